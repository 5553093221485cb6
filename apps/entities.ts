import { ANALYTICS_ENTITIES } from '@hips/analytics';
import { AUDIT_ENTITIES } from '@hips/audit';
import { AUTH_ENTITIES } from '@hips/auth';
import { CALENDAR_ENTITIES } from '@hips/calendar';
import { DIRECTORY_ENTITIES } from '@hips/directory';
import { ESCALATION_ENTITIES } from '@hips/escalations';
import { NOTIFICATION_ENTITIES } from '@hips/notifications';
import { POLICY_ENTITIES } from '@hips/policies';
import { WEBHOOK_ENTITIES } from '@hips/webhooks';

/**
 * Every entity: the composition root. Each library exports its own list; the processes (apps/*) and the scripts
 * that need the whole schema (the migration drift check) take the union from here, so no library points upwards
 * (docs/architecture.md "Modules").
 */
export const ALL_ENTITIES = [
  ...DIRECTORY_ENTITIES,
  ...AUTH_ENTITIES,
  ...AUDIT_ENTITIES,
  ...CALENDAR_ENTITIES,
  ...POLICY_ENTITIES,
  ...ESCALATION_ENTITIES,
  ...NOTIFICATION_ENTITIES,
  ...WEBHOOK_ENTITIES,
  ...ANALYTICS_ENTITIES,
];
