import { Injectable } from '@nestjs/common';
import { fail } from '@hips/common';
import type { StagePolicy } from '@hips/core';
import type { UnitOfWork } from '@hips/database';
import { caseVisibility } from '../access/case-visibility.policy';
import type { EscalationRow } from '../mappers';

/** The columns a new case is written with (status OPEN, version 1 by default). */
export interface NewCase {
  reference: string;
  type: string;
  urgency: string;
  category: string;
  levelOfNeed: string;
  raisingAgencyId: string;
  respondingAgencyId: string;
  respondentPersonId: string | null;
  summary: string;
  desiredOutcome: string;
  riskSummary: string;
  immediateRiskActioned: boolean;
  policyVersion: number;
  ladder: readonly StagePolicy[];
  calendarVersion: number;
  currentStage: number;
  challengedAt: Date | null;
  conferenceDate: string | null;
  raisedAt: Date;
  idempotencyKey: string | null;
  requestFingerprint: string | null;
  /** How many children the case concerns (analytics counts it after the purge). */
  childCount?: number;
}

/** How a case closes: the outcome recorded with it (agreed actions and themes only when resolved). */
export interface CaseOutcome {
  status: 'RESOLVED' | 'WITHDRAWN' | 'CLOSED_BY_PARTNERSHIP';
  closedAt: Date;
  code: string;
  statement: string;
}

/** Agreed actions, learning themes and the systemic flag of a resolution. */
export interface ResolutionRecord {
  agreedActions: { description: string; ownerAgencyId: string; dueDate: string | null; done: boolean }[];
  learningThemes: string[];
  systemicIssue: boolean;
}

/**
 * Every statement on `escalations` (and its reference counters). Changes of a case are guarded updates: each
 * bumps `version` only if nobody else did first, so concurrent changes of one case serialise and exactly one
 * wins; the loser gets CONFLICT.
 */
@Injectable()
export class CaseRepository {
  /** Locks cases in id order (every batch does), so two batches never wait on each other in a cycle. */
  lockMany(uow: UnitOfWork, ids: string[]): Promise<EscalationRow[]> {
    return uow.query('select * from escalations where id = any($1) order by id for update', [ids]);
  }

  /** The case as it is now in this transaction. */
  async find(uow: UnitOfWork, id: string): Promise<EscalationRow> {
    const [row]: EscalationRow[] = await uow.query('select * from escalations where id = $1', [id]);
    return row;
  }

  /** The case if the caller may see it, with the database clock. */
  /** The case if the unit's viewer may see it (access/case-visibility.policy.ts), with the database's now. */
  async findVisible(uow: UnitOfWork, id: string): Promise<(EscalationRow & { now: Date }) | undefined> {
    const params: unknown[] = [id];
    const visible = caseVisibility.sql(uow.ctx, params);
    const [row]: (EscalationRow & { now: Date })[] = await uow.query(
      `select e.*, now() as now from escalations e where e.id = $1 and ${visible}`,
      params,
    );
    return row;
  }

  async findByIdempotencyKey(uow: UnitOfWork, key: string): Promise<EscalationRow | undefined> {
    const [row]: EscalationRow[] = await uow.query(
      'select * from escalations where partnership_id = $1 and idempotency_key = $2',
      [uow.partnershipId, key],
    );
    return row;
  }

  /**
   * Open cases of a type whose current stage is open, with that stage's id, in raising order: the raising
   * agency's (agencyId), or with agencyId null those of agencies not in `agenciesWithOwnPolicy`.
   */
  openWithOpenStage(
    uow: UnitOfWork,
    scope: { type: string; agencyId: string | null; agenciesWithOwnPolicy: string[] },
  ): Promise<(EscalationRow & { stage_id: string })[]> {
    return uow.query(
      `select c.*, s.id as stage_id from escalations c
       join escalation_stages s on s.escalation_id = c.id and s.status <> 'CLOSED' and s.number = c.current_stage
       where c.partnership_id = $1 and c.status = 'OPEN' and c.type = $2
         and (($3::uuid is not null and c.raising_agency_id = $3::uuid)
           or ($3::uuid is null and not (c.raising_agency_id = any($4::uuid[]))))
       order by c.raised_at, c.id`,
      [uow.partnershipId, scope.type, scope.agencyId, scope.agenciesWithOwnPolicy],
    );
  }

  /** The next number of the partnership's references in a year (one counter row per year). */
  async nextReferenceNumber(uow: UnitOfWork, year: number): Promise<number> {
    const [{ last }]: { last: number }[] = await uow.query(
      `insert into reference_counters (partnership_id, year, last) values ($1, $2, 1)
       on conflict (partnership_id, year) do update set last = reference_counters.last + 1 returning last`,
      [uow.partnershipId, year],
    );
    return last;
  }

  async insert(uow: UnitOfWork, c: NewCase): Promise<EscalationRow> {
    const [row]: EscalationRow[] = await uow.query(
      `insert into escalations (partnership_id, reference, type, status, urgency, category, level_of_need,
         raising_agency_id, responding_agency_id, raised_by_person_id, raised_by_api_key_id, respondent_person_id,
         summary, desired_outcome, risk_summary, immediate_risk_actioned, policy_version, ladder, calendar_version,
         current_stage, challenged_at, conference_date, raised_at, idempotency_key, request_fingerprint, child_count)
       values ($1, $2, $3, 'OPEN', $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21,
         $22, $23, $24, $25)
       returning *`,
      [
        uow.partnershipId,
        c.reference,
        c.type,
        c.urgency,
        c.category,
        c.levelOfNeed,
        c.raisingAgencyId,
        c.respondingAgencyId,
        uow.ctx.personId,
        uow.ctx.apiKeyId,
        c.respondentPersonId,
        c.summary,
        c.desiredOutcome,
        c.riskSummary,
        c.immediateRiskActioned,
        c.policyVersion,
        JSON.stringify(c.ladder),
        c.calendarVersion,
        c.currentStage,
        c.challengedAt,
        c.conferenceDate,
        c.raisedAt,
        c.idempotencyKey,
        c.requestFingerprint,
        c.childCount ?? 1,
      ],
    );
    return row;
  }

  /** A change recorded elsewhere (a stage's response, extension...): only the version moves. */
  touch(uow: UnitOfWork, row: EscalationRow): Promise<EscalationRow> {
    return this.guarded(uow, row, '', []);
  }

  moveToStage(uow: UnitOfWork, row: EscalationRow, stage: number): Promise<EscalationRow> {
    return this.guarded(uow, row, 'current_stage = $3', [stage]);
  }

  /** The automatic escalation of a breach: the next stage, and the recommendation (if any) is spent. */
  autoEscalate(uow: UnitOfWork, row: EscalationRow, stage: number): Promise<EscalationRow> {
    return this.guarded(uow, row, 'current_stage = $3, escalation_recommended_at = null', [stage]);
  }

  recommendEscalation(uow: UnitOfWork, row: EscalationRow, at: Date): Promise<EscalationRow> {
    return this.guarded(uow, row, 'escalation_recommended_at = $3', [at]);
  }

  /** Pins another policy version's ladder (re-timing). */
  repin(uow: UnitOfWork, row: EscalationRow, ladder: readonly StagePolicy[], version: number) {
    return this.guarded(uow, row, 'ladder = $3, policy_version = $4', [JSON.stringify(ladder), version]);
  }

  close(uow: UnitOfWork, row: EscalationRow, o: CaseOutcome, resolution?: ResolutionRecord) {
    const outcome = `status = $3, closed_at = $4, outcome_code = $5, outcome_statement = $6, outcome_recorded_at = $4`;
    const params: unknown[] = [o.status, o.closedAt, o.code, o.statement];
    if (!resolution) return this.guarded(uow, row, outcome, params);
    return this.guarded(
      uow,
      row,
      `${outcome}, agreed_actions = $7, learning_themes = $8, systemic_issue = $9`,
      [
        ...params,
        JSON.stringify(resolution.agreedActions),
        JSON.stringify(resolution.learningThemes),
        resolution.systemicIssue,
      ],
    );
  }

  /** Back to OPEN: the outcome, agreed actions and themes are cleared and the reopening counted. */
  reopen(uow: UnitOfWork, row: EscalationRow): Promise<EscalationRow> {
    return this.guarded(
      uow,
      row,
      `status = 'OPEN', closed_at = null, outcome_code = null, outcome_statement = null, outcome_recorded_at = null,
       agreed_actions = '[]', learning_themes = '[]', reopen_count = reopen_count + 1`,
      [],
    );
  }

  /** Marks agreed action `index` done, stamped with the database clock. */
  markAgreedActionDone(uow: UnitOfWork, row: EscalationRow, index: number): Promise<EscalationRow> {
    return this.guarded(
      uow,
      row,
      `agreed_actions = jsonb_set(agreed_actions, array[($3::int)::text], (agreed_actions -> $3::int) || jsonb_build_object('done', true, 'doneAt', now()))`,
      [index],
    );
  }

  /** The guarded update: `set` is this class's own fragment, its parameters from $3. */
  private async guarded(
    uow: UnitOfWork,
    row: EscalationRow,
    set: string,
    params: unknown[],
  ): Promise<EscalationRow> {
    const [updated] = await uow.changed<EscalationRow>(
      `update escalations set version = version + 1${set ? `, ${set}` : ''} where id = $1 and version = $2 returning *`,
      [row.id, row.version, ...params],
    );
    if (!updated) fail('CONFLICT', 'The case was changed by someone else at the same time: reload and retry');
    return updated;
  }
}
