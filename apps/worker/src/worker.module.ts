import { Module } from '@nestjs/common';
import { AuditModule } from '@hips/audit';
import { ConfigModule } from '@hips/config';
import { DatabaseModule, RedisModule } from '@hips/database';
import { EscalationsModule } from '@hips/escalations';
import { ALL_ENTITIES } from '../../entities';

/** The worker's dependency graph: the same services as the API (as the application role), without GraphQL. */
@Module({
  imports: [ConfigModule, DatabaseModule.forRoot(ALL_ENTITIES), RedisModule, AuditModule, EscalationsModule],
})
export class WorkerModule {}
