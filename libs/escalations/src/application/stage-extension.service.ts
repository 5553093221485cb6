import { Injectable } from '@nestjs/common';
import { AuditService } from '@hips/audit';
import { CalendarService } from '@hips/calendar';
import { fail, InputCheck } from '@hips/common';
import { extendDue, MAX_EXTENSION_WORKING_DAYS } from '@hips/core';
import type { UnitOfWork } from '@hips/database';
import { caseActionPolicy as policy } from '../access/case-action.policy';
import type { EscalationRow } from '../mappers';
import { CaseRepository } from '../persistence/case.repository';
import { StageRepository } from '../persistence/stage.repository';
import { ApplyDeadlinesHandler } from './apply-deadlines.handler';
import type { LoadedCase } from './case-action-runner.service';
import { CaseChronicle } from './case-chronicle.service';
import { ExtensionProposalLapse } from './extension-proposal-lapse.service';
import { StageClock } from './stage-clock.service';

/** An extension's input, as extendStage and a proposal take it: 1 to 5 working days and a reason. */
export function checkExtensionInput(input: { workingDays: number; reason: string }): void {
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
}

/**
 * Extending the current stage once (docs/procedure.md §4), the one home of both routes: the manager's
 * extendStage and an extension both owners agreed. The state machine refuses a second extension whichever route
 * made the first; the due date moves by working days on the current calendar and the deadlines are re-scheduled
 * through the stage clock.
 */
@Injectable()
export class StageExtension {
  constructor(
    private readonly cases: CaseRepository,
    private readonly stages: StageRepository,
    private readonly clock: StageClock,
    private readonly chronicle: CaseChronicle,
    private readonly calendars: CalendarService,
    private readonly audit: AuditService,
    private readonly proposals: ExtensionProposalLapse,
    private readonly breaches: ApplyDeadlinesHandler,
  ) {}

  /** Whether the stage may be extended at all (once, and only with a due date); INVALID_STATE when not. */
  checkExtendable({ row, stage }: LoadedCase): void {
    policy.transition(row, stage, 'EXTEND');
    const s = stage!;
    if (!s.due_at || !s.due_start || s.working_days === null)
      fail('INVALID_STATE', 'This stage has no due date to extend');
  }

  /** Extends the loaded case's current stage; the caller has checked who may. */
  async apply(
    uow: UnitOfWork,
    loaded: LoadedCase,
    e: { workingDays: number; reason: string; agreed: boolean },
  ): Promise<EscalationRow> {
    this.checkExtendable(loaded);
    const { row, now } = loaded;
    const s = loaded.stage!;
    const { calendar } = await this.calendars.currentOf(uow);
    const moved = extendDue(calendar, s.due_at!, e.workingDays);
    const total = s.working_days! + e.workingDays;
    const updated = await this.cases.touch(uow, row);
    await this.stages.extend(
      uow,
      s.id,
      {
        reason: e.reason,
        workingDays: e.workingDays,
        dueAt: moved.dueAt,
        totalWorkingDays: total,
        explanation: moved.explanation,
      },
      moved.skippedDates,
    );
    const overdue = await this.clock.scheduleDeadlines(uow, {
      stage: s,
      calendar,
      start: s.due_start!,
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
      detail: `+${e.workingDays} working days${e.agreed ? ' (agreed by both owners)' : ''}: ${e.reason}`,
    });
    // A proposal still open when a manager extends has nothing left to decide.
    await this.proposals.lapse(uow, [s.id], now, 'the stage was extended');
    await this.audit.record(uow.em, uow.ctx, {
      action: 'ESCALATION_STAGE_EXTENDED',
      entityType: 'Escalation',
      entityId: row.id,
      detail: {
        stage: s.number,
        workingDays: e.workingDays,
        dueAt: moved.dueAt.toISOString(),
        ...(e.agreed ? { agreed: true } : {}),
      },
    });
    // An extension of an overdue stage the worker has not yet fired can still end in the past: it breaches here,
    // as the worker would (docs/procedure.md §4).
    return (await this.breaches.applyClaimed(uow, overdue, now)) ? this.cases.find(uow, row.id) : updated;
  }
}
