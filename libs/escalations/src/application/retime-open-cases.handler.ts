import { Injectable } from '@nestjs/common';
import { AuditService } from '@hips/audit';
import { CalendarService } from '@hips/calendar';
import { computeDue, stageWorkingDays, toStagePolicy, type StagePolicy } from '@hips/core';
import type { UnitOfWork } from '@hips/database';
import { OpenCaseRetiming, PoliciesRepository, type PolicyRow } from '@hips/policies';
import { CaseRepository } from '../persistence/case.repository';
import { StageRepository } from '../persistence/stage.repository';
import { ApplyDeadlinesHandler } from './apply-deadlines.handler';
import { CaseChronicle } from './case-chronicle.service';
import { StageClock } from './stage-clock.service';

/** A policy version as re-timing reads it. */
export interface RetimingPolicy {
  id: string;
  agency_id: string | null;
  type: string;
  version: number;
  stages: StagePolicy[];
}

/** An open case whose current stage would be due at another time under the policy version. */
export interface RetimingCaseMove {
  escalationId: string;
  reference: string;
  stage: number;
  from: Date | null;
  to: Date;
}

/** A stored policy version with its stages normalised as the stage clock times them. */
export function asPinned(policy: PolicyRow): RetimingPolicy {
  return { ...policy, stages: policy.stages.map((s) => toStagePolicy(s)) };
}

/**
 * Re-timing open cases under a newly published policy version (docs/procedure.md §3): the open stages of the
 * cases the version governs (its agency's cases, or for a partnership default the cases of agencies without their
 * own policy) are re-timed from their opening instant under that version and the current calendar, keeping any
 * extension. Closed stages are never touched. With apply, the moves are written (stage, deadlines, outbox, event,
 * audit) and the case pins the new version; without, it is the dry run.
 */
@Injectable()
export class RetimeOpenCasesHandler extends OpenCaseRetiming {
  constructor(
    private readonly cases: CaseRepository,
    private readonly stages: StageRepository,
    private readonly clock: StageClock,
    private readonly breaches: ApplyDeadlinesHandler,
    private readonly chronicle: CaseChronicle,
    private readonly calendars: CalendarService,
    private readonly audit: AuditService,
    private readonly policies: PoliciesRepository,
  ) {
    super();
  }

  /** Publishing with applyToOpenCases: the moves written; answers how many cases moved. */
  async retime(uow: UnitOfWork, policy: PolicyRow): Promise<number> {
    const moves = await this.moves(uow, asPinned(policy), true);
    return new Set(moves.map((m) => m.escalationId)).size;
  }

  /** The moves of the open cases under `policy`: written with `apply`, else the dry run. */
  async moves(uow: UnitOfWork, policy: RetimingPolicy, apply: boolean): Promise<RetimingCaseMove[]> {
    const rows = await this.cases.openWithOpenStage(uow, {
      type: policy.type,
      agencyId: policy.agency_id,
      agenciesWithOwnPolicy: policy.agency_id
        ? []
        : await this.policies.agenciesWithOwnInForce(uow, policy.type),
    });
    const { calendar } = await this.calendars.currentOf(uow);
    const [{ now }]: { now: Date }[] = await uow.query('select now() as now');
    const moves: RetimingCaseMove[] = [];
    for (const row of rows) {
      const stage = await this.stages.find(uow, row.stage_id);
      const next = policy.stages.find((p) => p.number === stage.number);
      if (!next || !stage.due_start) continue;
      const workingDays =
        stageWorkingDays(next, row.urgency as 'STANDARD' | 'URGENT') ?? next.standardWorkingDays;
      const extra = stage.extension_working_days ?? 0;
      const due = computeDue(calendar, stage.due_start, workingDays + extra);
      if (stage.due_at && due.dueAt.getTime() === stage.due_at.getTime()) continue;
      moves.push({
        escalationId: row.id,
        reference: row.reference,
        stage: stage.number,
        from: stage.due_at,
        to: due.dueAt,
      });
      if (!apply) continue;
      const updated = await this.cases.repin(uow, row, policy.stages, policy.version);
      // The clock re-times from the opening instant; the extension rides on the stage's working days.
      const stretched = {
        ...next,
        standardWorkingDays: next.standardWorkingDays + extra,
        urgentWorkingDays: next.urgentWorkingDays + extra,
      };
      const overdue = await this.clock.time(uow, {
        row: updated,
        stage,
        calendar,
        policy: stretched,
        start: stage.due_start,
        now,
        rearm: false,
      });
      if (extra > 0) await this.stages.setWorkingDays(uow, stage.id, workingDays);
      await this.chronicle.record(uow, {
        row: updated,
        kind: 'RETIMED',
        stage: stage.number,
        detail: `policy version ${policy.version}: due ${stage.due_at?.toISOString() ?? 'none'} → ${due.dueAt.toISOString()}`,
      });
      await this.audit.record(uow.em, uow.ctx, {
        action: 'ESCALATION_RETIMED',
        entityType: 'Escalation',
        entityId: row.id,
        detail: { policyId: policy.id, version: policy.version, stage: stage.number },
      });
      // Moved into the past: the stage breaches now, with its breach action, after the move is recorded.
      await this.breaches.applyClaimed(uow, overdue, now);
    }
    return moves;
  }
}
