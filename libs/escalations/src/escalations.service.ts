import { Injectable } from '@nestjs/common';
import type { RequestContext } from '@hips/common';
import { CaseRecordHandler } from './application/case-record.handler';
import { ClosingActionsHandler } from './application/closing-actions.handler';
import { RaiseEscalationHandler, type RaiseResult } from './application/raise-escalation.handler';
import { StageActionsHandler } from './application/stage-actions.handler';
import type {
  AddEscalationNoteInput,
  EscalateInput,
  ExtendStageInput,
  MarkAgreedActionDoneInput,
  PartnershipDecisionInput,
  ReopenInput,
  RespondInput,
  ResolveInput,
  WithdrawInput,
} from './dto/case-action.input';
import type { RaiseEscalationInput } from './dto/raise-escalation.input';

export type { RaiseResult };
export { MAX_EXPECTED_BIRTH_MONTHS_AHEAD, REDIRECT_GUIDANCE } from './application/raise-rules';

/**
 * The escalation case's write side as the API calls it: raising (with screening), every action of
 * docs/procedure.md §5 and notes, each a use case of application/ in its own tenant transaction.
 */
@Injectable()
export class EscalationsService {
  constructor(
    private readonly intake: RaiseEscalationHandler,
    private readonly stageActions: StageActionsHandler,
    private readonly closingActions: ClosingActionsHandler,
    private readonly record: CaseRecordHandler,
  ) {}

  raise(ctx: RequestContext, input: RaiseEscalationInput): Promise<RaiseResult> {
    return this.intake.raise(ctx, input);
  }

  respond(ctx: RequestContext, input: RespondInput) {
    return this.stageActions.respond(ctx, input);
  }

  escalate(ctx: RequestContext, input: EscalateInput) {
    return this.stageActions.escalate(ctx, input);
  }

  extend(ctx: RequestContext, input: ExtendStageInput) {
    return this.stageActions.extend(ctx, input);
  }

  resolve(ctx: RequestContext, input: ResolveInput) {
    return this.closingActions.resolve(ctx, input);
  }

  markAgreedActionDone(ctx: RequestContext, input: MarkAgreedActionDoneInput) {
    return this.record.markAgreedActionDone(ctx, input);
  }

  withdraw(ctx: RequestContext, input: WithdrawInput) {
    return this.closingActions.withdraw(ctx, input);
  }

  reopen(ctx: RequestContext, input: ReopenInput) {
    return this.closingActions.reopen(ctx, input);
  }

  partnershipDecision(ctx: RequestContext, input: PartnershipDecisionInput) {
    return this.closingActions.partnershipDecision(ctx, input);
  }

  addNote(ctx: RequestContext, input: AddEscalationNoteInput) {
    return this.record.addNote(ctx, input);
  }
}
