import { Global, Module } from '@nestjs/common';
import { AuditService } from './audit.service';
import { AuditLogRepository } from './persistence/audit-log.repository';

@Global()
@Module({ providers: [AuditLogRepository, AuditService], exports: [AuditService] })
export class AuditModule {}
