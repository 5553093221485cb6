import { Module, OnModuleInit } from '@nestjs/common';
import { CalendarModule } from '@hips/calendar';
import { DirectoryModule, DirectoryService } from '@hips/directory';
import { PoliciesModule, PoliciesService } from '@hips/policies';
import { EscalationReadService } from './application/escalation-read.service';
import { EscalationsResolver } from './api/escalations.resolver';
import { EscalationFieldsResolver } from './api/escalation-fields.resolver';
import {
  AgreedActionFieldsResolver,
  EscalationEventFieldsResolver,
  EscalationStageFieldsResolver,
} from './api/escalation-detail-fields.resolver';
import { DeadlineEffects } from '@hips/deadlines';
import { CaseNotifier } from './case-notifier';
import { asPinned, RetimingService } from './retiming';
import { EscalationDeadlineEffects } from './escalation-deadline-effects';
import { EscalationsService } from './escalations.service';
import { OverdueDeadlinesResolver } from './api/overdue-deadlines.resolver';
import { OverdueDeadlinesService } from './application/overdue-deadlines.service';
import { LegalHoldFieldsResolver, RetentionResolver } from './api/retention.resolver';
import { RetentionService } from './application/retention.service';
import { PartnershipCalendarSource, PublishedPolicySource, StructureOwnerRouter } from './seam-bindings';
import { CalendarSource, DefaultOwnerRouter, DefaultPolicySource, OwnerRouter, PolicySource } from './seams';

/**
 * The escalation case (README "Escalation cases"). The three seams are bound to the published policies, the partnership calendars
 * and the org-structure routing; the defaults remain as their fallbacks.
 */
@Module({
  imports: [DirectoryModule, PoliciesModule, CalendarModule],
  providers: [
    DefaultPolicySource,
    DefaultOwnerRouter,
    { provide: PolicySource, useClass: PublishedPolicySource },
    { provide: CalendarSource, useClass: PartnershipCalendarSource },
    { provide: OwnerRouter, useClass: StructureOwnerRouter },
    CaseNotifier,
    RetimingService,
    EscalationsService,
    { provide: DeadlineEffects, useClass: EscalationDeadlineEffects },
    EscalationReadService,
    EscalationsResolver,
    EscalationFieldsResolver,
    EscalationStageFieldsResolver,
    AgreedActionFieldsResolver,
    EscalationEventFieldsResolver,
    RetentionService,
    RetentionResolver,
    OverdueDeadlinesService,
    OverdueDeadlinesResolver,
    LegalHoldFieldsResolver,
  ],
  exports: [EscalationsService, EscalationReadService, RetentionService, DeadlineEffects],
})
export class EscalationsModule implements OnModuleInit {
  constructor(
    private readonly directory: DirectoryService,
    private readonly read: EscalationReadService,
    private readonly policies: PoliciesService,
    private readonly escalations: EscalationsService,
  ) {}

  onModuleInit(): void {
    this.policies.onPublishedForOpenCases(async (em, ctx, policy) => {
      const moves = await this.escalations.retimeForPolicy(em, ctx, asPinned(policy), true);
      return new Set(moves.map((m) => m.escalationId)).size;
    });
    this.directory.registerNodeType('Escalation', (ctx, id) => this.read.byGlobalId(ctx, id));
    this.directory.registerNodeType('EscalationEvent', (ctx, id) => this.read.eventByGlobalId(ctx, id));
  }
}
