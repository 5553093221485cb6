import { Injectable } from '@nestjs/common';
import type { RoleType } from '@hips/core';
import type { UnitOfWork } from '@hips/database';
import type { AgencyRow, OrgUnitRow, PartnershipRow, PersonRow } from '../mappers';

/**
 * Reads of the directory's tables (partnerships, agencies, org_units, people, role_assignments) by id, under
 * row-level security for the unit's partnership.
 */
@Injectable()
export class DirectoryRepository {
  partnerships(uow: UnitOfWork): Promise<PartnershipRow[]> {
    return uow.query('select * from partnerships order by code');
  }

  partnershipsByIds(uow: UnitOfWork, ids: readonly string[]): Promise<PartnershipRow[]> {
    return uow.query('select * from partnerships where id = any($1)', [ids]);
  }

  agenciesByIds(uow: UnitOfWork, ids: readonly string[]): Promise<AgencyRow[]> {
    return uow.query('select * from agencies where id = any($1)', [ids]);
  }

  /** The codes of the partnerships each agency belongs to (a SECURITY DEFINER function: across tenants). */
  partnershipCodesOfAgencies(
    uow: UnitOfWork,
    agencyIds: readonly string[],
  ): Promise<{ agency_id: string; code: string }[]> {
    return uow.query('select * from directory_agency_partnerships($1)', [agencyIds]);
  }

  orgUnitsByAgencies(uow: UnitOfWork, agencyIds: readonly string[]): Promise<OrgUnitRow[]> {
    return uow.query('select * from org_units where agency_id = any($1) order by name, id', [agencyIds]);
  }

  orgUnitsByIds(uow: UnitOfWork, ids: readonly string[]): Promise<OrgUnitRow[]> {
    return uow.query('select * from org_units where id = any($1)', [ids]);
  }

  peopleByIds(uow: UnitOfWork, ids: readonly string[]): Promise<PersonRow[]> {
    return uow.query('select * from people where id = any($1)', [ids]);
  }

  /** The role types each person holds in the unit's partnership, by role type. */
  roleTypesOf(
    uow: UnitOfWork,
    personIds: readonly string[],
  ): Promise<{ person_id: string; role_type: RoleType }[]> {
    return uow.query(
      `select distinct person_id, role_type from role_assignments
       where partnership_id = $1 and person_id = any($2) order by role_type`,
      [uow.partnershipId, personIds],
    );
  }
}
