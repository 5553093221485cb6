import { Injectable } from '@nestjs/common';
import { AuditEntry, AuditService } from '@hips/audit';
import { CalendarService } from '@hips/calendar';
import { UnitOfWork } from '@hips/database';
import { DeadlineEffects, FiredDeadline, systemContext } from '@hips/deadlines';
import { CaseNotifier, DeadlineEvent } from './case-notifier.service';
import { EscalationRow, StageRow, stagePolicyOf } from '../mappers';
import { CaseRepository } from '../persistence/case.repository';
import { StageRepository } from '../persistence/stage.repository';
import { CaseChronicle } from './case-chronicle.service';
import { ExtensionProposalLapse } from './extension-proposal-lapse.service';
import { StageClock } from './stage-clock.service';

interface Breach {
  deadline: FiredDeadline;
  row: EscalationRow;
  stage: StageRow;
  action: string;
}

/**
 * What firing deadlines does to cases, inside the worker's firing transaction (docs/architecture.md "Deadlines"):
 * a reminder is an event and notifications; at the due time the stage is marked breached and the pinned policy's
 * breach action runs (NOTIFY; RECOMMEND_ESCALATION flags the case; AUTO_ESCALATE opens the next stage with its
 * own deadline). Reminders and breaches are written set-based, a few statements for the whole batch; the actions
 * that change a case then run case by case.
 */
@Injectable()
export class ApplyDeadlinesHandler extends DeadlineEffects {
  constructor(
    private readonly cases: CaseRepository,
    private readonly stages: StageRepository,
    private readonly chronicle: CaseChronicle,
    private readonly notifier: CaseNotifier,
    private readonly clock: StageClock,
    private readonly calendars: CalendarService,
    private readonly auditLog: AuditService,
    private readonly proposals: ExtensionProposalLapse,
  ) {
    super();
  }

  /** The effects of a batch of one partnership; answers the audit entries (the runner appends them last). */
  async apply(uow: UnitOfWork, deadlines: FiredDeadline[], firedAt: Date): Promise<AuditEntry[]> {
    if (deadlines.length === 0) return [];
    const cases = await this.cases.lockMany(uow, [...new Set(deadlines.map((d) => d.escalationId))]);
    const stages = await this.stages.findMany(uow, [...new Set(deadlines.map((d) => d.stageId))]);
    const caseById = new Map(cases.map((c) => [c.id, c]));
    const stageById = new Map(stages.map((st) => [st.id, st]));
    const recorded: {
      row: EscalationRow;
      stage: StageRow;
      kind: DeadlineEvent['event']['kind'];
      detail: string;
    }[] = [];
    const breaches: Breach[] = [];
    for (const deadline of deadlines) {
      const row = caseById.get(deadline.escalationId);
      const stage = stageById.get(deadline.stageId);
      // Closing or moving a stage cancels its deadlines in the same transaction; this only guards against drift.
      if (!row || !stage || row.status !== 'OPEN' || stage.status === 'CLOSED') continue;
      if (deadline.kind !== 'DUE') {
        // A reminder fired after its stage breached (both overdue, fired by two batches) would say nothing new.
        if (stage.breached_at) continue;
        const detail =
          deadline.kind === 'REMINDER_HALF'
            ? 'half of the stage’s working time has passed'
            : 'one working day before the stage is due';
        recorded.push({ row, stage, kind: 'REMINDER_SENT', detail });
        continue;
      }
      const action = row.ladder.find((l) => l.number === stage.number)?.breachAction ?? 'NOTIFY';
      const detail = `due ${stage.due_at?.toISOString() ?? ''}; breach action ${action}`;
      recorded.push({ row, stage, kind: 'STAGE_BREACHED', detail });
      breaches.push({ deadline, row, stage, action });
    }
    if (breaches.length > 0) {
      await this.stages.markBreached(
        uow,
        breaches.map((b) => b.stage.id),
        firedAt,
      );
    }
    const events = await this.chronicle.recordMany(
      uow,
      recorded.map((r) => ({ row: r.row, kind: r.kind, stage: r.stage.number, detail: r.detail })),
    );
    await this.notifier.deadlineEventsRecorded(
      uow,
      recorded.map((r, i) => ({ event: { ...events[i], kind: r.kind }, row: r.row, stage: r.stage })),
    );
    // A proposal to extend a stage lapses at its due time (docs/procedure.md §4).
    await this.proposals.lapse(
      uow,
      breaches.map((b) => b.stage.id),
      firedAt,
      'the stage reached its due time',
    );
    const audit: AuditEntry[] = [];
    for (const breach of breaches) audit.push(...(await this.breachAction(uow, breach, firedAt)));
    return audit;
  }

  /**
   * A stage timed with its due time already past (raised back-dated, re-timed, reopened, extended, or opened by an
   * auto-escalation): the stage clock claimed its DUE row in the caller's transaction; the same effects as the
   * worker's, then the same audit append, run here at once (docs/procedure.md §4). Answers whether anything ran.
   */
  async applyClaimed(uow: UnitOfWork, claimed: FiredDeadline | null, firedAt: Date): Promise<boolean> {
    if (!claimed) return false;
    // The worker's unit for a batch: the system as actor, the batch's id as request id.
    const batch = new UnitOfWork(
      systemContext(uow.partnershipId, `deadlines-${claimed.id}-${claimed.version}`),
      uow.em,
    );
    const entries = await this.apply(batch, [claimed], firedAt);
    await this.audit(batch, entries);
    return true;
  }

  /** The audit entries of one firing transaction, in one append. */
  audit(uow: UnitOfWork, entries: AuditEntry[]): Promise<void> {
    return this.auditLog.recordMany(uow.em, uow.ctx, entries);
  }

  /**
   * Runs a breached stage's breach action; answers its audit entry, followed by those of a next stage that opened
   * already overdue (each auto-escalation climbs the ladder, so this ends).
   */
  private async breachAction(uow: UnitOfWork, b: Breach, firedAt: Date): Promise<AuditEntry[]> {
    const { deadline, row, stage, action } = b;
    const next = row.ladder.find((l) => l.number === stage.number + 1);
    const autoEscalated = action === 'AUTO_ESCALATE' && Boolean(next);
    let overdueNext: FiredDeadline | null = null;
    if (action === 'RECOMMEND_ESCALATION' || (action === 'AUTO_ESCALATE' && !next)) {
      const updated = await this.cases.recommendEscalation(uow, row, firedAt);
      await this.chronicle.record(uow, {
        row: updated,
        kind: 'ESCALATION_RECOMMENDED',
        stage: stage.number,
        detail: 'the stage breached: escalation is recommended',
      });
    } else if (autoEscalated && next) {
      const reason = 'automatic escalation after the deadline passed';
      const updated = await this.cases.autoEscalate(uow, row, next.number);
      await this.clock.close(uow, stage.id, firedAt, reason);
      await this.chronicle.record(uow, {
        row: updated,
        kind: 'ESCALATED',
        stage: next.number,
        detail: `stage ${stage.number} → ${next.number}: ${reason}`,
      });
      const { calendar } = await this.calendars.currentOf(uow);
      overdueNext = await this.clock.open(uow, {
        row: updated,
        calendar,
        policy: stagePolicyOf(next),
        start: firedAt,
        now: firedAt,
        raiserAnchor: stage.raiser_owner_person_id ?? row.raised_by_person_id,
        responderAnchor: stage.responder_owner_person_id ?? row.respondent_person_id,
        firstStage: false,
      });
    }
    const entry: AuditEntry = {
      action: autoEscalated ? 'ESCALATION_AUTO_ESCALATED' : 'STAGE_BREACHED',
      entityType: 'Escalation',
      entityId: row.id,
      detail: {
        stage: stage.number,
        breachAction: action,
        ...(autoEscalated && next ? { to: next.number } : {}),
        deadline: `${deadline.id}-${deadline.version}`,
      },
    };
    return overdueNext ? [entry, ...(await this.apply(uow, [overdueNext], firedAt))] : [entry];
  }
}
