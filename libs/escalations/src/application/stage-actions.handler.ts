import { Injectable } from '@nestjs/common';
import { AuditService } from '@hips/audit';
import { CalendarService } from '@hips/calendar';
import { fail, InputCheck, RequestContext } from '@hips/common';
import { extendDue, MAX_EXTENSION_WORKING_DAYS } from '@hips/core';
import { caseActionPolicy as policy } from '../access/case-action.policy';
import type { EscalateInput, ExtendStageInput, RespondInput } from '../dto/case-action.input';
import type { UnitOfWork } from '@hips/database';
import { stagePolicyOf, type EscalationRow, type StageRow } from '../mappers';
import { CaseRepository } from '../persistence/case.repository';
import { StageRepository } from '../persistence/stage.repository';
import { ApplyDeadlinesHandler } from './apply-deadlines.handler';
import { CaseActionRunner } from './case-action-runner.service';
import { CaseChronicle } from './case-chronicle.service';
import { managerChain } from './manager-chain';
import { StageClock } from './stage-clock.service';

/** The actions on a case's current stage (docs/procedure.md §4 and §5): respond, escalate (or skip), extend. */
@Injectable()
export class StageActionsHandler {
  constructor(
    private readonly runner: CaseActionRunner,
    private readonly cases: CaseRepository,
    private readonly stages: StageRepository,
    private readonly clock: StageClock,
    private readonly breaches: ApplyDeadlinesHandler,
    private readonly chronicle: CaseChronicle,
    private readonly calendars: CalendarService,
    private readonly audit: AuditService,
  ) {}

  async respond(ctx: RequestContext, input: RespondInput) {
    new InputCheck().text(input.response, ['input', 'response'], { max: 10000, label: 'response' }).done();
    return this.runner.act(ctx, input, async (uow, { row, stage, now }) => {
      policy.transition(row, stage, 'RESPOND');
      const s = stage!;
      if (!policy.mayRespond(ctx, row, s)) {
        fail('FORBIDDEN', 'Only the responding agency’s owner of this stage may respond');
      }
      const updated = await this.cases.touch(uow, row);
      await this.stages.respond(uow, s.id, input.response.trim(), now);
      await this.clock.cancelDeadlines(uow, s.id, now);
      await this.chronicle.recordAction(
        uow,
        { row, kind: 'RESPONDED', stage: s.number, detail: null },
        'ESCALATION_RESPONDED',
      );
      return updated;
    });
  }

  async escalate(ctx: RequestContext, input: EscalateInput) {
    new InputCheck().text(input.rationale, ['input', 'rationale'], { max: 10000, label: 'rationale' }).done();
    return this.runner.act(ctx, input, async (uow, { row, stage, now }) => {
      const from = row.current_stage ?? 0;
      const to = input.toStage ?? from + 1;
      const skip = to !== from + 1;
      policy.transition(row, stage, skip ? 'SKIP' : 'ESCALATE', to);
      const s = stage!;
      const target = row.ladder.find((l) => l.number === to);
      if (!target) fail('VALIDATION', `stage ${to} is not in this case’s ladder`, ['input', 'toStage']);
      const managers = await managerChain(uow, s.raiser_owner_person_id);
      if (!policy.mayEscalate(ctx, row, s, managers, skip)) {
        fail(
          'FORBIDDEN',
          skip
            ? 'Skipping a stage needs the raising side’s manager or above'
            : 'Only the raising agency’s owner of this stage, or their manager, may escalate',
        );
      }
      return this.moveUp(uow, { row, stage: s, now }, to, input.rationale.trim());
    });
  }

  /**
   * Closes the current stage and opens stage `to` with its own deadline from the working-day clock: the one
   * place a case moves up its ladder (escalate, skip, and the reflective meeting's PROCEED_TO_STAGE_1). The
   * caller has checked the transition and who may act.
   */
  async moveUp(
    uow: UnitOfWork,
    { row, stage: s, now }: { row: EscalationRow; stage: StageRow; now: Date },
    to: number,
    rationale: string,
  ): Promise<EscalationRow> {
    const from = row.current_stage ?? 0;
    const skip = to !== from + 1;
    const target = row.ladder.find((l) => l.number === to)!;
    const updated = await this.cases.moveToStage(uow, row, to);
    await this.clock.close(uow, s.id, now, rationale);
    const skipped = Array.from({ length: to - from - 1 }, (_, i) => from + 1 + i).join(', ');
    await this.chronicle.record(uow, {
      row,
      kind: 'ESCALATED',
      stage: to,
      detail: `stage ${from} → ${to}${skip ? ` (skipped ${skipped})` : ''}: ${rationale}`,
    });
    const { calendar } = await this.calendars.currentOf(uow);
    const overdue = await this.clock.open(uow, {
      row: updated,
      calendar,
      policy: stagePolicyOf(target),
      start: now,
      now,
      raiserAnchor: s.raiser_owner_person_id ?? row.raised_by_person_id,
      responderAnchor: s.responder_owner_person_id ?? row.respondent_person_id,
      firstStage: false,
    });
    await this.audit.record(uow.em, uow.ctx, {
      action: skip ? 'ESCALATION_SKIPPED' : 'ESCALATION_ESCALATED',
      entityType: 'Escalation',
      entityId: row.id,
      detail: { from, to },
    });
    // A stage that opens already overdue breaches here, as the worker would (docs/procedure.md §4).
    return (await this.breaches.applyClaimed(uow, overdue, now)) ? this.cases.find(uow, row.id) : updated;
  }

  async extend(ctx: RequestContext, input: ExtendStageInput) {
    new InputCheck()
      .text(input.reason, ['input', 'reason'], { max: 5000, label: 'reason' })
      .that(
        Number.isInteger(input.workingDays) &&
          input.workingDays >= 1 &&
          input.workingDays <= MAX_EXTENSION_WORKING_DAYS,
        ['input', 'workingDays'],
        `workingDays must be from 1 to ${MAX_EXTENSION_WORKING_DAYS}`,
      )
      .done();
    return this.runner.act(ctx, input, async (uow, { row, stage, now }) => {
      policy.transition(row, stage, 'EXTEND');
      const s = stage!;
      if (!s.due_at || !s.due_start || s.working_days === null)
        fail('INVALID_STATE', 'This stage has no due date to extend');
      const urgent = row.urgency === 'URGENT';
      const managers = urgent ? new Set<string>() : await managerChain(uow, s.raiser_owner_person_id);
      if (!policy.mayExtend(ctx, row, managers)) {
        fail(
          'FORBIDDEN',
          urgent
            ? 'Urgent stages are extended only by the partnership manager'
            : 'A stage is extended by the raising side owner’s manager (or the partnership manager)',
        );
      }
      const { calendar } = await this.calendars.currentOf(uow);
      const moved = extendDue(calendar, s.due_at, input.workingDays);
      const total = s.working_days + input.workingDays;
      const updated = await this.cases.touch(uow, row);
      await this.stages.extend(
        uow,
        s.id,
        {
          reason: input.reason.trim(),
          workingDays: input.workingDays,
          dueAt: moved.dueAt,
          totalWorkingDays: total,
          explanation: moved.explanation,
        },
        moved.skippedDates,
      );
      const overdue = await this.clock.scheduleDeadlines(uow, {
        stage: s,
        calendar,
        start: s.due_start,
        workingDays: total,
        dueAt: moved.dueAt,
        now,
        rearm: false,
        breaches: s.breaches,
      });
      await this.chronicle.record(uow, {
        row,
        kind: 'EXTENDED',
        stage: s.number,
        detail: `+${input.workingDays} working days: ${input.reason.trim()}`,
      });
      await this.audit.record(uow.em, ctx, {
        action: 'ESCALATION_STAGE_EXTENDED',
        entityType: 'Escalation',
        entityId: row.id,
        detail: { stage: s.number, workingDays: input.workingDays, dueAt: moved.dueAt.toISOString() },
      });
      // An extension of an overdue stage the worker has not yet fired can still end in the past.
      return (await this.breaches.applyClaimed(uow, overdue, now)) ? this.cases.find(uow, row.id) : updated;
    });
  }
}
