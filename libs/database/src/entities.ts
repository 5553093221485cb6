import { ANALYTICS_ENTITIES } from '../../analytics/src/analytics.entity';
import { AuditLogEntity } from '../../audit/src/audit-log.entity';
import { PlatformAuditLogEntity } from '../../audit/src/platform-audit-log.entity';
import { ApiKeyEntity } from '../../auth/src/api-key.entity';
import { RefreshTokenEntity } from '../../auth/src/refresh-token.entity';
import { CalendarClosureDayEntity, CalendarVersionEntity } from '../../calendar/src/calendar.entity';
import { AbsenceEntity } from '../../directory/src/absence.entity';
import { AgencyMembershipEntity } from '../../directory/src/agency-membership.entity';
import { AgencyEntity } from '../../directory/src/agency.entity';
import { PostDeputyEntity } from '../../directory/src/deputy.entity';
import { OrgUnitEntity } from '../../directory/src/org-unit.entity';
import { PartnershipEntity } from '../../directory/src/partnership.entity';
import { PersonEntity } from '../../directory/src/person.entity';
import { RoleAssignmentEntity } from '../../directory/src/role-assignment.entity';
import { RoleGrantRequestEntity } from '../../directory/src/role-grant.entity';
import { ESCALATION_ENTITIES } from '../../escalations/src/escalation.entity';
import { NotificationEntity } from '../../notifications/src/notification.entity';
import { EscalationPolicyEntity } from '../../policies/src/policy.entity';
import { WebhookDeliveryEntity, WebhookEndpointEntity } from '../../webhooks/src/webhook.entity';

/** Every entity, in one list shared by the data sources and the migration drift check. */
export const ALL_ENTITIES = [
  PartnershipEntity,
  AgencyEntity,
  AgencyMembershipEntity,
  OrgUnitEntity,
  PersonEntity,
  RoleAssignmentEntity,
  ApiKeyEntity,
  RefreshTokenEntity,
  AuditLogEntity,
  PlatformAuditLogEntity,
  CalendarVersionEntity,
  CalendarClosureDayEntity,
  EscalationPolicyEntity,
  // organisational structures and routing
  PostDeputyEntity,
  AbsenceEntity,
  ...ESCALATION_ENTITIES,
  NotificationEntity,
  // webhooks
  WebhookEndpointEntity,
  WebhookDeliveryEntity,
  // the analytics read model
  ...ANALYTICS_ENTITIES,
  // separation of duties: four-eyes role grants (docs/security/separation-of-duties.md)
  RoleGrantRequestEntity,
];
