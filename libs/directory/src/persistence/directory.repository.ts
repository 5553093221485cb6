import { Injectable } from '@nestjs/common';
import type { RoleType } from '@hips/core';
import type { EntityManager } from 'typeorm';
import type { UnitOfWork } from '@hips/database';
import type { AgencyRow, OrgUnitRow, PartnershipRow, PersonRow } from '../mappers';

/**
 * Reads of the directory's tables (partnerships, agencies, org_units, people, role_assignments) by id, under
 * row-level security for the unit's partnership.
 */
@Injectable()
export class DirectoryRepository {
  /**
   * An enabled person in a partnership and the role types they hold there, for authentication (no unit of work
   * exists yet: the caller's transaction is set to that partnership).
   */
  async personInPartnership(
    em: EntityManager,
    personId: string,
    partnershipId: string,
  ): Promise<{ agency_id: string; code: string; roles: RoleType[] | null } | undefined> {
    const [row] = await em.query<{ agency_id: string; code: string; roles: RoleType[] | null }[]>(
      `select p.agency_id, pa.code,
         (select array_agg(distinct r.role_type) from role_assignments r where r.person_id = p.id) as roles
       from people p join partnerships pa on pa.id = $2
       where p.id = $1 and p.disabled_at is null`,
      [personId, partnershipId],
    );
    return row;
  }

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

  /** The children of these units, by name. */
  orgUnitsByParents(uow: UnitOfWork, parentIds: readonly string[]): Promise<OrgUnitRow[]> {
    return uow.query('select * from org_units where parent_id = any($1) order by name, id', [parentIds]);
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

  /** Every unit of the agency the given unit belongs to (none when the unit is not visible). */
  orgUnitsOfAgencyOf(uow: UnitOfWork, orgUnitId: string): Promise<OrgUnitRow[]> {
    return uow.query(
      `select u.id, u.agency_id, u.parent_id, u.name from org_units u
       where u.agency_id = (select agency_id from org_units where id = $1)`,
      [orgUnitId],
    );
  }

  /** Who these people are for routing: agency, name and whether the account is disabled. */
  routablePeople(
    uow: UnitOfWork,
    ids: readonly string[],
  ): Promise<(PersonRow & { disabled_at: Date | null })[]> {
    return uow.query('select id, agency_id, display_name, disabled_at from people where id = any($1)', [ids]);
  }

  /** Whether the unit exists in the agency. */
  async orgUnitInAgency(uow: UnitOfWork, unitId: string, agencyId: string): Promise<boolean> {
    const rows: unknown[] = await uow.query('select 1 from org_units where id = $1 and agency_id = $2', [
      unitId,
      agencyId,
    ]);
    return rows.length > 0;
  }

  async insertOrgUnit(
    uow: UnitOfWork,
    unit: { agencyId: string; parentId: string | null; name: string },
  ): Promise<OrgUnitRow> {
    const [row]: OrgUnitRow[] = await uow.query(
      'insert into org_units (agency_id, parent_id, name) values ($1, $2, $3) returning *',
      [unit.agencyId, unit.parentId, unit.name],
    );
    return row;
  }

  /** Whether a person of this e-mail is visible to the unit's partnership. */
  async emailVisible(uow: UnitOfWork, email: string): Promise<boolean> {
    const rows: unknown[] = await uow.query('select 1 from people where email = $1', [email]);
    return rows.length > 0;
  }

  /** A new account whose home is the unit's partnership (unique per e-mail and partnership). */
  async insertPerson(
    uow: UnitOfWork,
    person: { email: string; displayName: string; agencyId: string; passwordHash: string },
  ): Promise<PersonRow> {
    const [row]: PersonRow[] = await uow.query(
      `insert into people (email, display_name, agency_id, home_partnership_id, password_hash)
       values ($1, $2, $3, $4, $5) returning *`,
      [person.email, person.displayName, person.agencyId, uow.partnershipId, person.passwordHash],
    );
    return row;
  }

  /** A new agency, registered by the unit's partnership. */
  async insertAgency(uow: UnitOfWork, agency: { name: string; type: string }): Promise<AgencyRow> {
    const [row]: AgencyRow[] = await uow.query(
      `insert into agencies (name, type, registered_by_partnership_id) values ($1, $2, $3) returning *`,
      [agency.name, agency.type, uow.partnershipId],
    );
    return row;
  }
}
