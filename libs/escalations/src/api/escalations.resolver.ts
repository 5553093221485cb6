import { Args, ID, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Ctx, RequestContext, withUserErrors } from '@hips/common';
import { CaseRecordHandler } from '../application/case-record.handler';
import { ClosingActionsHandler } from '../application/closing-actions.handler';
import { EscalationReadService } from '../application/escalation-read.service';
import { RaiseEscalationHandler } from '../application/raise-escalation.handler';
import { RetimingPreviewService } from '../application/retiming-preview.service';
import { StageActionsHandler } from '../application/stage-actions.handler';
import {
  AddEscalationNoteInput,
  EscalateInput,
  ExtendStageInput,
  MarkAgreedActionDoneInput,
  PartnershipDecisionInput,
  ReopenInput,
  ResolveInput,
  RespondInput,
  WithdrawInput,
} from '../dto/case-action.input';
import { EscalationFilter } from '../dto/escalation-filter.input';
import {
  EscalationNotePayload,
  EscalationPayload,
  RaiseEscalationPayload,
} from '../dto/escalation-payloads.model';
import { Escalation, EscalationConnection } from '../dto/escalation.model';
import { RaiseEscalationInput } from '../dto/raise-escalation.input';
import { RetimingMove } from '../dto/retiming-move.model';

@Resolver()
export class EscalationsResolver {
  constructor(
    private readonly intake: RaiseEscalationHandler,
    private readonly stageActions: StageActionsHandler,
    private readonly closingActions: ClosingActionsHandler,
    private readonly record: CaseRecordHandler,
    private readonly read: EscalationReadService,
    private readonly retiming: RetimingPreviewService,
  ) {}

  @Query(() => [RetimingMove], {
    description:
      'Dry run of publishEscalationPolicy(applyToOpenCases: true): each open case whose due date would move, from and to.',
  })
  openCaseRetimingPreview(
    @Ctx() ctx: RequestContext,
    @Args('policyId', { type: () => ID }) policyId: string,
  ): Promise<RetimingMove[]> {
    return this.retiming.preview(ctx, policyId);
  }

  @Query(() => Escalation, { nullable: true })
  escalation(
    @Ctx() ctx: RequestContext,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<Escalation | null> {
    return this.read.byGlobalId(ctx, id);
  }

  @Query(() => EscalationConnection)
  escalations(
    @Ctx() ctx: RequestContext,
    @Args('first', { type: () => Int, nullable: true }) first?: number,
    @Args('after', { type: () => String, nullable: true }) after?: string,
    @Args('filter', { type: () => EscalationFilter, nullable: true }) filter?: EscalationFilter,
  ): Promise<EscalationConnection> {
    return this.read.list(ctx, first, after, filter);
  }

  @Mutation(() => RaiseEscalationPayload)
  raiseEscalation(@Ctx() ctx: RequestContext, @Args('input') input: RaiseEscalationInput) {
    return withUserErrors(() => this.intake.raise(ctx, input));
  }

  @Mutation(() => EscalationPayload)
  respondToEscalation(@Ctx() ctx: RequestContext, @Args('input') input: RespondInput) {
    return withUserErrors(() => this.stageActions.respond(ctx, input));
  }

  @Mutation(() => EscalationPayload)
  escalateEscalation(@Ctx() ctx: RequestContext, @Args('input') input: EscalateInput) {
    return withUserErrors(() => this.stageActions.escalate(ctx, input));
  }

  @Mutation(() => EscalationPayload)
  extendStage(@Ctx() ctx: RequestContext, @Args('input') input: ExtendStageInput) {
    return withUserErrors(() => this.stageActions.extend(ctx, input));
  }

  @Mutation(() => EscalationPayload)
  resolveEscalation(@Ctx() ctx: RequestContext, @Args('input') input: ResolveInput) {
    return withUserErrors(() => this.closingActions.resolve(ctx, input));
  }

  @Mutation(() => EscalationPayload, {
    description:
      'Marks one agreed action of a resolved case as done (a practitioner or manager of the action’s owner agency or of either agency of the case).',
  })
  markAgreedActionDone(@Ctx() ctx: RequestContext, @Args('input') input: MarkAgreedActionDoneInput) {
    return withUserErrors(() => this.record.markAgreedActionDone(ctx, input));
  }

  @Mutation(() => EscalationPayload)
  withdrawEscalation(@Ctx() ctx: RequestContext, @Args('input') input: WithdrawInput) {
    return withUserErrors(() => this.closingActions.withdraw(ctx, input));
  }

  @Mutation(() => EscalationPayload)
  reopenEscalation(@Ctx() ctx: RequestContext, @Args('input') input: ReopenInput) {
    return withUserErrors(() => this.closingActions.reopen(ctx, input));
  }

  @Mutation(() => EscalationPayload)
  recordPartnershipDecision(@Ctx() ctx: RequestContext, @Args('input') input: PartnershipDecisionInput) {
    return withUserErrors(() => this.closingActions.partnershipDecision(ctx, input));
  }

  @Mutation(() => EscalationNotePayload)
  addEscalationNote(@Ctx() ctx: RequestContext, @Args('input') input: AddEscalationNoteInput) {
    return withUserErrors(() => this.record.addNote(ctx, input));
  }
}
