import { Injectable } from '@nestjs/common';
import { AuditService } from '@hips/audit';
import { fail, RequestContext } from '@hips/common';
import type { UnitOfWork } from '@hips/database';
import { caseActionPolicy as policy } from '../access/case-action.policy';
import { CaseNotifier } from './case-notifier.service';
import {
  CaseSide,
  ExtensionProposalStatus,
  type DecideStageExtensionInput,
  type ProposeStageExtensionInput,
  type StageExtensionProposal,
} from '../dto/stage-extension.model';
import type { Escalation } from '../dto/escalation.model';
import type { StageRow } from '../mappers';
import { CaseRepository } from '../persistence/case.repository';
import {
  ExtensionProposalRow,
  StageExtensionProposalRepository,
} from '../persistence/stage-extension-proposal.repository';
import { CaseActionRunner, type LoadedCase } from './case-action-runner.service';
import { CaseChronicle } from './case-chronicle.service';
import { checkExtensionInput, StageExtension } from './stage-extension.service';

export const toExtensionProposal = (p: ExtensionProposalRow): StageExtensionProposal => ({
  id: p.id,
  proposedByUuid: p.proposed_by_person_id,
  decidedByUuid: p.decided_by_person_id,
  proposedBySide: p.proposed_by_side as CaseSide,
  workingDays: p.working_days,
  reason: p.reason,
  status: p.status as ExtensionProposalStatus,
  proposedAt: p.proposed_at,
  decidedAt: p.decided_at,
});

interface ExtensionAnswer {
  escalation: Escalation;
  proposal: StageExtensionProposal;
}

/**
 * An extension by both owners agreeing (docs/procedure.md §4): one owner of the current stage proposes working days
 * and a reason, the other side's owner accepts (the stage is extended once, as extendStage does) or declines. A
 * proposal lapses when the stage moves on, is extended another way, or reaches its due time.
 */
@Injectable()
export class StageExtensionAgreementHandler {
  constructor(
    private readonly runner: CaseActionRunner,
    private readonly cases: CaseRepository,
    private readonly proposals: StageExtensionProposalRepository,
    private readonly extension: StageExtension,
    private readonly chronicle: CaseChronicle,
    private readonly notifier: CaseNotifier,
    private readonly audit: AuditService,
  ) {}

  async propose(ctx: RequestContext, input: ProposeStageExtensionInput): Promise<ExtensionAnswer> {
    checkExtensionInput(input);
    let proposal: ExtensionProposalRow | undefined;
    const { escalation } = await this.runner.act(ctx, input, async (uow, loaded) => {
      this.extension.checkExtendable(loaded);
      const { row, now } = loaded;
      const s = loaded.stage!;
      if (row.urgency === 'URGENT')
        fail('FORBIDDEN', 'Urgent stages are extended only by the partnership manager');
      const side = policy.extensionSideOf(ctx, row, s);
      if (!side)
        fail('FORBIDDEN', 'An extension is proposed by an owner of the current stage on either side');
      this.refuseIfDue(s, now);
      if (await this.proposals.findOpen(uow, s.id)) {
        fail('INVALID_STATE', 'An extension of this stage is already awaiting a decision');
      }
      // The case's version moves: proposals of one case are serialised by its row.
      const updated = await this.cases.touch(uow, row);
      const reason = input.reason.trim();
      proposal = await this.proposals.insert(uow, {
        escalationId: row.id,
        stageId: s.id,
        personId: ctx.personId!,
        side,
        workingDays: input.workingDays,
        reason,
        at: now,
      });
      await this.chronicle.record(uow, {
        row,
        kind: 'EXTENSION_PROPOSED',
        stage: s.number,
        detail: `+${input.workingDays} working days proposed by the ${side.toLowerCase()} side: ${reason}`,
      });
      const decider = side === 'RAISING' ? s.responder_owner_person_id : s.raiser_owner_person_id;
      await this.tell(uow, proposal, s, decider, 'proposed', [
        `The other owner of stage ${s.number} of ${row.reference} proposes extending it by ${input.workingDays} working days.`,
        'Open the case to accept or decline the proposal.',
      ]);
      await this.record(uow, 'ESCALATION_EXTENSION_PROPOSED', proposal, s);
      return updated;
    });
    return { escalation, proposal: toExtensionProposal(proposal!) };
  }

  accept(ctx: RequestContext, input: DecideStageExtensionInput): Promise<ExtensionAnswer> {
    return this.decide(ctx, input, 'ACCEPTED');
  }

  decline(ctx: RequestContext, input: DecideStageExtensionInput): Promise<ExtensionAnswer> {
    return this.decide(ctx, input, 'DECLINED');
  }

  private async decide(
    ctx: RequestContext,
    input: DecideStageExtensionInput,
    status: 'ACCEPTED' | 'DECLINED',
  ): Promise<ExtensionAnswer> {
    let decided: ExtensionProposalRow | null = null;
    const { escalation } = await this.runner.act(ctx, input, async (uow, loaded: LoadedCase) => {
      const { row, stage, now } = loaded;
      const open = stage ? await this.proposals.findOpen(uow, stage.id) : null;
      if (!stage || !open) {
        fail('INVALID_STATE', 'The current stage has no extension proposal awaiting a decision');
      }
      if (!policy.mayDecideExtension(ctx, row, stage, open)) {
        fail('FORBIDDEN', 'An extension proposal is decided by the other side’s owner of the stage');
      }
      if (status === 'ACCEPTED') {
        this.extension.checkExtendable(loaded);
        this.refuseIfDue(stage, now);
      }
      decided = await this.proposals.decide(uow, open.id, { status, personId: ctx.personId!, at: now });
      if (!decided) fail('CONFLICT', 'The proposal was decided by someone else at the same time: reload');
      const word = status.toLowerCase();
      await this.chronicle.record(uow, {
        row,
        kind: `EXTENSION_${status}`,
        stage: stage.number,
        detail: `the proposal of +${open.working_days} working days was ${word}`,
      });
      await this.tell(uow, decided, stage, open.proposed_by_person_id, word, [
        `The extension you proposed for stage ${stage.number} of ${row.reference} was ${word}.`,
      ]);
      const updated =
        status === 'ACCEPTED'
          ? await this.extension.apply(uow, loaded, {
              workingDays: open.working_days,
              reason: open.reason,
              agreed: true,
            })
          : await this.cases.touch(uow, row);
      await this.record(uow, `ESCALATION_EXTENSION_${status}`, decided, stage);
      return updated;
    });
    return { escalation, proposal: toExtensionProposal(decided!) };
  }

  /** A stage at or past its due time has breached: what was proposed for it has lapsed. */
  private refuseIfDue(stage: StageRow, now: Date): void {
    if (stage.due_at && stage.due_at.getTime() <= now.getTime()) {
      fail('INVALID_STATE', 'The stage has reached its due time: a proposal to extend it has lapsed');
    }
  }

  private tell(
    uow: UnitOfWork,
    p: ExtensionProposalRow,
    stage: StageRow,
    personId: string | null,
    word: string,
    lines: string[],
  ): Promise<void> {
    return this.notifier.tellPeople(uow, p.escalation_id, {
      key: `extension-${p.id}-${word}`,
      kind: `EXTENSION_${word.toUpperCase()}`,
      personIds: [personId],
      subject: `extension of stage ${stage.number} ${word}`,
      lines,
    });
  }

  private record(uow: UnitOfWork, action: string, p: ExtensionProposalRow, stage: StageRow): Promise<void> {
    return this.audit.record(uow.em, uow.ctx, {
      action,
      entityType: 'Escalation',
      entityId: p.escalation_id,
      detail: { stage: stage.number, workingDays: p.working_days, proposal: p.id },
    });
  }
}
