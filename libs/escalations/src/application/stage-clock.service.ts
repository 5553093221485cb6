import { Injectable } from '@nestjs/common';
import {
  computeDue,
  reminderInstants,
  stageWorkingDays,
  type RoleType,
  type StagePolicy,
  type WorkingCalendar,
} from '@hips/core';
import type { UnitOfWork } from '@hips/database';
import { CaseNotifier } from './case-notifier.service';
import type { EscalationRow, StageRow } from '../mappers';
import { DeadlineKind, DeadlineRepository, OutboxRepository, type FiredDeadline } from '@hips/deadlines';
import { StageRepository } from '../persistence/stage.repository';
import { ExtensionProposalLapse } from './extension-proposal-lapse.service';
import { StageOwnerRouter } from './stage-owner-router.service';

/** A stage to open on a case. */
export interface OpenStage {
  row: EscalationRow;
  calendar: WorkingCalendar;
  policy: StagePolicy;
  /** Where the stage's working time starts (a back-dated challenge, or now). */
  start: Date;
  now: Date;
  /** The people routing starts from on each side; on the first stage, the raiser and named respondent own it. */
  raiserAnchor: string | null;
  responderAnchor: string | null;
  firstStage: boolean;
}

/** A stage to (re)time from `start` under `policy`. */
export interface TimeStage {
  row: EscalationRow;
  stage: StageRow;
  calendar: WorkingCalendar;
  policy: StagePolicy;
  start: Date;
  now: Date;
  /** Fired deadlines fire again (reopening starts a fresh clock). */
  rearm: boolean;
}

/** The deadline rows of a stage due at `dueAt` after `workingDays` from `start`. */
export interface ScheduleDeadlines {
  stage: Pick<StageRow, 'id' | 'escalation_id' | 'number'>;
  calendar: WorkingCalendar;
  start: Date;
  workingDays: number;
  dueAt: Date;
  now: Date;
  rearm: boolean;
  /** A stage that never breaches (the reflective step) has reminders but no DUE deadline. */
  breaches: boolean;
}

/**
 * The stage clock (docs/architecture.md "Deadlines"): opening a stage with its owners, its due date with the
 * explanation, and its deadline rows, each scheduled or cancelled through an outbox row whose dedupe key is the
 * job id `deadline-<id>-<version>`.
 */
@Injectable()
export class StageClock {
  constructor(
    private readonly stages: StageRepository,
    private readonly deadlines: DeadlineRepository,
    private readonly outbox: OutboxRepository,
    private readonly router: StageOwnerRouter,
    private readonly notifier: CaseNotifier,
    private readonly proposals: ExtensionProposalLapse,
  ) {}

  /**
   * Opens a stage: owners on both sides (routed), due date with its explanation, deadlines and their outbox rows.
   * Answers the stage's DUE deadline when it had already passed and this call claimed it (see `time`).
   */
  async open(uow: UnitOfWork, o: OpenStage): Promise<FiredDeadline | null> {
    const { row, policy, now } = o;
    const partnershipStage = policy.roleType === 'PARTNERSHIP_MANAGER';
    const raiserRole: RoleType = partnershipStage ? 'SENIOR_MANAGER' : policy.roleType;
    const raiserOwner =
      o.firstStage && o.raiserAnchor
        ? o.raiserAnchor
        : await this.router.resolve(uow, {
            agencyId: row.raising_agency_id,
            roleType: raiserRole,
            anchorPersonId: o.raiserAnchor,
            at: now,
          });
    const responderOwner =
      o.firstStage && o.responderAnchor
        ? o.responderAnchor
        : await this.router.resolve(uow, {
            agencyId: partnershipStage ? null : row.responding_agency_id,
            roleType: policy.roleType,
            anchorPersonId: partnershipStage ? null : o.responderAnchor,
            at: now,
          });
    const stage = await this.stages.insert(uow, row.id, policy, { at: o.start, raiserOwner, responderOwner });
    const overdue = await this.time(uow, {
      row,
      stage,
      calendar: o.calendar,
      policy,
      start: o.start,
      now,
      rearm: false,
    });
    await this.notifier.stageOpened(uow, row.id, await this.stages.find(uow, stage.id));
    return overdue;
  }

  /**
   * Computes and stores a stage's due date from `start`, and (re)schedules its deadlines. A due time already past
   * is a breach like any other (docs/procedure.md §4): its DUE row is claimed as fired here, in the caller's
   * transaction, and answered, so that the caller runs the worker's breach effects on it once its own work is
   * recorded (ApplyDeadlinesHandler.applyClaimed) and the worker can never fire it again.
   */
  async time(uow: UnitOfWork, t: TimeStage): Promise<FiredDeadline | null> {
    const { policy, now } = t;
    const workingDays =
      stageWorkingDays(policy, t.row.urgency as 'STANDARD' | 'URGENT') ?? policy.standardWorkingDays;
    const due = computeDue(t.calendar, t.start, workingDays);
    await this.stages.setTiming(uow, t.stage.id, {
      start: t.start,
      dueAt: due.dueAt,
      workingDays,
      explanation: due.explanation,
      skippedDates: due.skippedDates,
      breachedAt: null,
    });
    return this.scheduleDeadlines(uow, {
      stage: t.stage,
      calendar: t.calendar,
      start: t.start,
      workingDays,
      dueAt: due.dueAt,
      now,
      rearm: t.rearm,
      breaches: policy.breaches,
    });
  }

  /**
   * Upserts the stage's deadline rows. A moved row gets a new version (the stale job finds nothing); rows already
   * fired stay fired unless `rearm`. Rows whose instant has passed are marked fired at once: a past reminder is not
   * sent, a past DUE row is claimed and answered (its breach effects are the caller's to run). Each scheduled row
   * gets a DEADLINE_SCHEDULED outbox row.
   */
  async scheduleDeadlines(uow: UnitOfWork, s: ScheduleDeadlines): Promise<FiredDeadline | null> {
    let claimedDue: FiredDeadline | null = null;
    const reminders = reminderInstants(s.calendar, s.start, s.workingDays);
    const wanted: [DeadlineKind, Date | null][] = [
      ['DUE', s.breaches ? s.dueAt : null],
      ['REMINDER_HALF', reminders.halfway],
      ['REMINDER_DAY_BEFORE', reminders.dayBefore],
    ];
    for (const [kind, at] of wanted) {
      if (!at) continue;
      const past = at.getTime() <= s.now.getTime();
      const deadline = await this.deadlines.upsert(
        uow,
        {
          escalationId: s.stage.escalation_id,
          stageId: s.stage.id,
          kind,
          dueAt: at,
          firedAt: past ? s.now : null,
        },
        s.rearm,
      );
      if (deadline && deadline.fired_at && kind === 'DUE') {
        claimedDue = {
          id: deadline.id,
          partnershipId: uow.partnershipId,
          escalationId: s.stage.escalation_id,
          stageId: s.stage.id,
          kind,
          dueAt: at,
          version: deadline.version,
        };
      }
      if (deadline && !deadline.fired_at) {
        await this.outbox.insert(uow, 'DEADLINE_SCHEDULED', `deadline-${deadline.id}-${deadline.version}`, {
          deadlineId: deadline.id,
          version: deadline.version,
          kind,
          escalationId: s.stage.escalation_id,
          stage: s.stage.number,
          dueAt: at.toISOString(),
        });
      }
    }
    return claimedDue;
  }

  /** Cancels a stage's pending deadlines, each with a DEADLINE_CANCELLED outbox row. */
  async cancelDeadlines(uow: UnitOfWork, stageId: string, now: Date): Promise<void> {
    for (const d of await this.deadlines.cancelPending(uow, stageId, now)) {
      await this.outbox.insert(uow, 'DEADLINE_CANCELLED', `deadline-${d.id}-${d.version}`, {
        deadlineId: d.id,
        version: d.version,
      });
    }
  }

  /**
   * Closes a stage (an escalation records its rationale), cancels its deadlines and lapses an extension proposal
   * still open on it.
   */
  async close(uow: UnitOfWork, stageId: string, now: Date, escalationRationale?: string): Promise<void> {
    await this.stages.close(uow, stageId, now, escalationRationale);
    await this.cancelDeadlines(uow, stageId, now);
    await this.proposals.lapse(uow, [stageId], now, 'the stage moved on');
  }
}
