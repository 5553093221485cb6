import { Injectable } from '@nestjs/common';
import { AuditService } from '@hips/audit';
import { CalendarService } from '@hips/calendar';
import { fail, idOf, InputCheck, notFound, RequestContext } from '@hips/common';
import { computeDue, REOPEN_WINDOW_WORKING_DAYS } from '@hips/core';
import type { UnitOfWork } from '@hips/database';
import { AgencyMembershipRepository } from '@hips/directory';
import { caseActionPolicy as policy } from '../access/case-action.policy';
import type {
  PartnershipDecisionInput,
  ReopenInput,
  ResolveInput,
  WithdrawInput,
} from '../dto/case-action.input';
import { OutcomeCode } from '../dto/escalation-enums';
import { stagePolicyOf, type EscalationRow, type StageRow } from '../mappers';
import { CaseRepository, ResolutionRecord } from '../persistence/case.repository';
import { OutboxRepository } from '@hips/deadlines';
import { StageRepository } from '../persistence/stage.repository';
import { ApplyDeadlinesHandler } from './apply-deadlines.handler';
import { CaseActionRunner } from './case-action-runner.service';
import { CaseChronicle } from './case-chronicle.service';
import { managerChain } from './manager-chain';
import { StageClock } from './stage-clock.service';

/** The actions that close a case or open it again (docs/procedure.md §5). */
@Injectable()
export class ClosingActionsHandler {
  constructor(
    private readonly runner: CaseActionRunner,
    private readonly cases: CaseRepository,
    private readonly stages: StageRepository,
    private readonly outbox: OutboxRepository,
    private readonly clock: StageClock,
    private readonly breaches: ApplyDeadlinesHandler,
    private readonly chronicle: CaseChronicle,
    private readonly calendars: CalendarService,
    private readonly memberships: AgencyMembershipRepository,
    private readonly audit: AuditService,
  ) {}

  async resolve(ctx: RequestContext, input: ResolveInput) {
    const themes = (input.learningThemes ?? []).map((t) => t.trim());
    const check = new InputCheck()
      .text(input.statement, ['input', 'statement'], { max: 10000, label: 'statement' })
      .that(
        input.outcome !== OutcomeCode.PARTNERSHIP_DECISION && input.outcome !== OutcomeCode.WITHDRAWN,
        ['input', 'outcome'],
        'PARTNERSHIP_DECISION and WITHDRAWN are recorded by recordPartnershipDecision and withdrawEscalation',
      )
      .that(
        themes.length <= 20 && themes.every((t) => t.length >= 1 && t.length <= 100),
        ['input', 'learningThemes'],
        'up to 20 learning themes of 1 to 100 characters',
      );
    (input.agreedActions ?? []).forEach((a, i) =>
      check.text(a.description, ['input', 'agreedActions', String(i), 'description'], {
        max: 2000,
        label: 'description',
      }),
    );
    check.done();
    return this.runner.act(ctx, input, async (uow, { row, stage, now }) => {
      policy.transition(row, stage, 'RESOLVE');
      const s = stage!;
      if (input.outcome === OutcomeCode.RESOLVED_BY_REFLECTIVE_STEP && s.number !== 0) {
        fail('VALIDATION', 'RESOLVED_BY_REFLECTIVE_STEP applies only at stage 0', ['input', 'outcome']);
      }
      const managers = policy.isSideOwner(ctx, s.raiser_owner_person_id, row.raising_agency_id, s.role_type)
        ? new Set<string>()
        : await managerChain(uow, s.raiser_owner_person_id);
      if (!policy.mayResolve(ctx, row, s, managers)) {
        fail('FORBIDDEN', 'Only the raising agency’s owner of this stage, or their manager, may resolve');
      }
      return this.close(
        uow,
        { row, stage: s, now },
        {
          outcome: input.outcome,
          statement: input.statement.trim(),
          agreedActions: await this.agreedActions(uow, input),
          learningThemes: themes,
          systemicIssue: Boolean(input.systemicIssue),
        },
      );
    });
  }

  /**
   * Resolves the case at its current stage: the one place a case is resolved (resolve, and the reflective
   * meeting's RESOLVED outcome). The caller has checked the transition and who may act.
   */
  async close(
    uow: UnitOfWork,
    { row, stage: s, now }: { row: EscalationRow; stage: StageRow; now: Date },
    outcome: { outcome: OutcomeCode; statement: string } & ResolutionRecord,
  ): Promise<EscalationRow> {
    const resolution: ResolutionRecord = {
      agreedActions: outcome.agreedActions,
      learningThemes: outcome.learningThemes,
      systemicIssue: outcome.systemicIssue,
    };
    const updated = await this.cases.close(
      uow,
      row,
      { status: 'RESOLVED', closedAt: now, code: outcome.outcome, statement: outcome.statement },
      resolution,
    );
    await this.clock.close(uow, s.id, now);
    await this.chronicle.record(uow, { row, kind: 'RESOLVED', stage: s.number, detail: outcome.outcome });
    if (outcome.systemicIssue)
      await this.outbox.insert(uow, 'SYSTEMIC_ISSUE_FLAGGED', `systemic-${row.id}-${updated.version}`, {
        escalationId: row.id,
        reference: row.reference,
      });
    await this.audit.record(uow.em, uow.ctx, {
      action: 'ESCALATION_RESOLVED',
      entityType: 'Escalation',
      entityId: row.id,
      detail: { stage: s.number, outcome: outcome.outcome, systemicIssue: outcome.systemicIssue },
    });
    return updated;
  }

  async withdraw(ctx: RequestContext, input: WithdrawInput) {
    new InputCheck().text(input.reason, ['input', 'reason'], { max: 5000, label: 'reason' }).done();
    return this.runner.act(ctx, input, async (uow, { row, stage, now }) => {
      policy.transition(row, stage, 'WITHDRAW');
      const s = stage!;
      if (!policy.mayWithdraw(ctx, row, s))
        fail('FORBIDDEN', 'Only the raiser (or the raising side’s current stage owner) may withdraw');
      const reason = input.reason.trim();
      const updated = await this.cases.close(uow, row, {
        status: 'WITHDRAWN',
        closedAt: now,
        code: 'WITHDRAWN',
        statement: reason,
      });
      await this.clock.close(uow, s.id, now);
      await this.chronicle.recordAction(
        uow,
        { row, kind: 'WITHDRAWN', stage: s.number, detail: reason },
        'ESCALATION_WITHDRAWN',
      );
      return updated;
    });
  }

  async reopen(ctx: RequestContext, input: ReopenInput) {
    new InputCheck().text(input.reason, ['input', 'reason'], { max: 5000, label: 'reason' }).done();
    return this.runner.act(ctx, input, async (uow, { row, stage, now }) => {
      policy.transition(row, stage, 'REOPEN');
      const s = stage!;
      if (!policy.mayReopen(ctx, row, s)) fail('FORBIDDEN', 'Only the raiser may reopen a resolved case');
      const { calendar } = await this.calendars.currentOf(uow);
      const closes = computeDue(calendar, row.closed_at!, REOPEN_WINDOW_WORKING_DAYS).dueAt;
      if (now.getTime() > closes.getTime()) {
        fail(
          'INVALID_STATE',
          `A resolved case may be reopened within ${REOPEN_WINDOW_WORKING_DAYS} working days; that ended ${closes.toISOString()}`,
        );
      }
      const updated = await this.cases.reopen(uow, row);
      const pinned = row.ladder.find((l) => l.number === s.number)!;
      await this.stages.reopen(uow, s.id, now);
      const overdue = await this.clock.time(uow, {
        row: updated,
        stage: { ...s, status: 'AWAITING_RESPONSE' },
        calendar,
        policy: stagePolicyOf(pinned),
        start: now,
        now,
        rearm: true,
      });
      await this.chronicle.recordAction(
        uow,
        { row, kind: 'REOPENED', stage: s.number, detail: input.reason.trim() },
        'ESCALATION_REOPENED',
      );
      const breached = await this.breaches.applyClaimed(uow, overdue, now);
      return breached ? this.cases.find(uow, row.id) : updated;
    });
  }

  async partnershipDecision(ctx: RequestContext, input: PartnershipDecisionInput) {
    new InputCheck().text(input.statement, ['input', 'statement'], { max: 10000, label: 'statement' }).done();
    return this.runner.act(ctx, input, async (uow, { row, stage, now }) => {
      policy.transition(row, stage, 'PARTNERSHIP_DECISION');
      if (!policy.mayRecordPartnershipDecision(ctx))
        fail('FORBIDDEN', 'Only the partnership manager records the partnership decision');
      const s = stage!;
      const updated = await this.cases.close(uow, row, {
        status: 'CLOSED_BY_PARTNERSHIP',
        closedAt: now,
        code: 'PARTNERSHIP_DECISION',
        statement: input.statement.trim(),
      });
      await this.clock.close(uow, s.id, now);
      await this.chronicle.recordAction(
        uow,
        { row, kind: 'PARTNERSHIP_DECISION', stage: s.number, detail: null },
        'ESCALATION_PARTNERSHIP_DECISION',
      );
      return updated;
    });
  }

  /** The resolution's agreed actions, each owned by a relevant agency of the partnership. */
  private async agreedActions(
    uow: UnitOfWork,
    input: ResolveInput,
  ): Promise<ResolutionRecord['agreedActions']> {
    const actions: ResolutionRecord['agreedActions'] = [];
    for (const [i, a] of (input.agreedActions ?? []).entries()) {
      const agencyId = idOf(a.ownerAgencyId, 'Agency');
      if (!agencyId || !(await this.memberships.isMember(uow, agencyId))) {
        notFound('Agency', ['input', 'agreedActions', String(i), 'ownerAgencyId']);
      }
      actions.push({
        description: a.description.trim(),
        ownerAgencyId: agencyId,
        dueDate: a.dueDate ?? null,
        done: false,
      });
    }
    return actions;
  }
}
