import { Module, OnModuleInit } from '@nestjs/common';
import { DirectoryModule, DirectoryService } from '@hips/directory';
import { EscalationReadService } from './escalation-read.service';
import {
  AgreedActionFieldsResolver,
  EscalationEventFieldsResolver,
  EscalationFieldsResolver,
  EscalationsResolver,
  EscalationStageFieldsResolver,
} from './escalations.resolver';
import { EscalationsService } from './escalations.service';
import {
  CalendarSource,
  DefaultCalendarSource,
  DefaultOwnerRouter,
  DefaultPolicySource,
  OwnerRouter,
  PolicySource,
} from './seams';

/**
 * The escalation case (issue 4). The three seams are bound here: swap `useClass` when libs/policies,
 * libs/calendar and the org-structure routing provide the real implementations.
 */
@Module({
  imports: [DirectoryModule],
  providers: [
    { provide: PolicySource, useClass: DefaultPolicySource },
    { provide: CalendarSource, useClass: DefaultCalendarSource },
    { provide: OwnerRouter, useClass: DefaultOwnerRouter },
    EscalationsService,
    EscalationReadService,
    EscalationsResolver,
    EscalationFieldsResolver,
    EscalationStageFieldsResolver,
    AgreedActionFieldsResolver,
    EscalationEventFieldsResolver,
  ],
  exports: [EscalationsService, EscalationReadService],
})
export class EscalationsModule implements OnModuleInit {
  constructor(
    private readonly directory: DirectoryService,
    private readonly read: EscalationReadService,
  ) {}

  onModuleInit(): void {
    this.directory.registerNodeType('Escalation', (ctx, id) => this.read.byGlobalId(ctx, id));
    this.directory.registerNodeType('EscalationEvent', (ctx, id) => this.read.eventByGlobalId(ctx, id));
  }
}
