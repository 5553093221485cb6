import { Module } from '@nestjs/common';
import { AuditModule } from '@hips/audit';
import { DatabaseModule, RedisModule } from '@hips/database';
import { EscalationsModule } from '@hips/escalations';
import { ALL_ENTITIES } from '../../entities';

/** The worker's dependency graph: the same services as the API (as the application role), without GraphQL. */
/** Its configuration comes from the entry point (withConfig in main.ts). */
@Module({ imports: [DatabaseModule.forRoot(ALL_ENTITIES), RedisModule, AuditModule, EscalationsModule] })
export class WorkerModule {}
