import { AbsenceEntity } from './absence.entity';
import { AgencyMembershipEntity } from './agency-membership.entity';
import { AgencyEntity } from './agency.entity';
import { PostDeputyEntity } from './deputy.entity';
import { OrgUnitEntity } from './org-unit.entity';
import { PartnershipEntity } from './partnership.entity';
import { PersonEntity } from './person.entity';
import { RoleAssignmentEntity } from './role-assignment.entity';
import { RoleGrantRequestEntity } from './role-grant.entity';

/** The directory's tables, registered by the composition root (apps/entities.ts). */
export const DIRECTORY_ENTITIES = [
  PartnershipEntity,
  AgencyEntity,
  AgencyMembershipEntity,
  OrgUnitEntity,
  PersonEntity,
  RoleAssignmentEntity,
  // organisational structures and routing
  PostDeputyEntity,
  AbsenceEntity,
  // separation of duties: four-eyes role grants (docs/security/separation-of-duties.md)
  RoleGrantRequestEntity,
];
