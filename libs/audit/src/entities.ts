import { AuditLogEntity } from './audit-log.entity';
import { PlatformAuditLogEntity } from './platform-audit-log.entity';

/** The audit library's tables, registered by the composition root (apps/entities.ts). */
export const AUDIT_ENTITIES = [AuditLogEntity, PlatformAuditLogEntity];
