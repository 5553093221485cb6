import { AgencyType, PartnershipCode, toGlobalId } from '@hips/common';
import { Agency, OrgUnit, Partnership, Person } from './dto/directory.model';

export interface PartnershipRow {
  id: string;
  code: string;
  name: string;
  contact_email: string;
  reflective_step_name: string | null;
}
export interface AgencyRow {
  id: string;
  name: string;
  type: string;
  created_at: Date;
}
export interface OrgUnitRow {
  id: string;
  agency_id: string;
  parent_id: string | null;
  name: string;
}
export interface PersonRow {
  id: string;
  agency_id: string;
  display_name: string;
}

export const toPartnership = (r: PartnershipRow): Partnership => ({
  __typename: 'Partnership',
  id: toGlobalId('Partnership', r.id),
  uuid: r.id,
  code: r.code as PartnershipCode,
  name: r.name,
  contactEmail: r.contact_email,
  reflectiveStepName: r.reflective_step_name,
});

export const toAgency = (r: AgencyRow): Agency => ({
  __typename: 'Agency',
  id: toGlobalId('Agency', r.id),
  uuid: r.id,
  name: r.name,
  type: r.type as AgencyType,
});

export const toOrgUnit = (r: OrgUnitRow): OrgUnit => ({
  __typename: 'OrgUnit',
  id: toGlobalId('OrgUnit', r.id),
  uuid: r.id,
  agencyUuid: r.agency_id,
  parentUuid: r.parent_id,
  name: r.name,
});

export const toPerson = (r: PersonRow): Person => ({
  __typename: 'Person',
  id: toGlobalId('Person', r.id),
  uuid: r.id,
  agencyUuid: r.agency_id,
  displayName: r.display_name,
});
