export * from './audit-log.entity';
export * from './audit.module';
export * from './audit.service';
export { AuditLogRepository } from './persistence/audit-log.repository';
export type { AuditLogRow } from './persistence/audit-log.repository';
export * from './platform-audit-log.entity';
export * from './entities';
