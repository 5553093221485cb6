import type { RoleType } from '../policy/types';

// The organisational structure as plain data: what routing and the structural checks read. Loaded by a service
// inside the tenant's transaction; nothing here does I/O.

export interface OrgUnitNode {
  readonly id: string;
  readonly agencyId: string;
  readonly parentId: string | null;
  readonly name: string;
}

export interface OrgPerson {
  readonly id: string;
  readonly displayName: string;
  readonly agencyId: string;
  /** Disabled people never own a stage. */
  readonly disabled?: boolean;
}

/** A post (role assignment) in the tenant: a person holding a role type in a unit. */
export interface OrgPost {
  readonly personId: string;
  readonly orgUnitId: string;
  readonly roleType: RoleType;
  readonly managerPersonId: string | null;
  readonly deputyPersonIds: readonly string[];
}

/** A period of absence, both dates inclusive (YYYY-MM-DD, London calendar dates). */
export interface OrgAbsence {
  readonly personId: string;
  readonly from: string;
  readonly to: string;
  readonly reason: string;
}

export interface OrgStructure {
  readonly units: readonly OrgUnitNode[];
  readonly people: readonly OrgPerson[];
  readonly posts: readonly OrgPost[];
  readonly absences: readonly OrgAbsence[];
}
