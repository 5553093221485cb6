import { Injectable } from '@nestjs/common';
import type { StagePolicy } from '@hips/core';
import type { UnitOfWork } from '@hips/database';
import type { StageRow } from '../mappers';

/** A stage's due date as computed (docs/architecture.md "Deadlines"). */
export interface StageTiming {
  start: Date;
  dueAt: Date;
  workingDays: number;
  explanation: string;
  skippedDates: string[];
  /** Set when the due time had already passed as the stage was timed. */
  breachedAt: Date | null;
}

/** Every statement on `escalation_stages`. */
@Injectable()
export class StageRepository {
  async find(uow: UnitOfWork, id: string): Promise<StageRow> {
    const [stage]: StageRow[] = await uow.query('select * from escalation_stages where id = $1', [id]);
    return stage;
  }

  findMany(uow: UnitOfWork, ids: string[]): Promise<StageRow[]> {
    return uow.query('select * from escalation_stages where id = any($1)', [ids]);
  }

  async findByNumber(uow: UnitOfWork, escalationId: string, number: number | null): Promise<StageRow | null> {
    const [stage]: StageRow[] = await uow.query(
      'select * from escalation_stages where escalation_id = $1 and number = $2',
      [escalationId, number],
    );
    return stage ?? null;
  }

  /** The stage of that number opened last. */
  async latestByNumber(uow: UnitOfWork, escalationId: string, number: number): Promise<StageRow | null> {
    const [stage]: StageRow[] = await uow.query(
      'select * from escalation_stages where escalation_id = $1 and number = $2 order by opened_at desc limit 1',
      [escalationId, number],
    );
    return stage ?? null;
  }

  /** Everyone who owned a stage of the case, on either side. */
  async ownerIds(uow: UnitOfWork, escalationId: string): Promise<(string | null)[]> {
    const ids: { id: string | null }[] = await uow.query(
      `select raiser_owner_person_id as id from escalation_stages where escalation_id = $1
       union select responder_owner_person_id from escalation_stages where escalation_id = $1`,
      [escalationId],
    );
    return ids.map((i) => i.id);
  }

  async insert(
    uow: UnitOfWork,
    escalationId: string,
    policy: StagePolicy,
    opened: { at: Date; raiserOwner: string | null; responderOwner: string | null },
  ): Promise<StageRow> {
    const [stage]: StageRow[] = await uow.query(
      `insert into escalation_stages (partnership_id, escalation_id, number, name, role_type, status, breaches, opened_at,
         raiser_owner_person_id, responder_owner_person_id)
       values ($1, $2, $3, $4, $5, 'AWAITING_RESPONSE', $6, $7, $8, $9) returning *`,
      [
        uow.partnershipId,
        escalationId,
        policy.number,
        policy.name,
        policy.roleType,
        policy.breaches,
        opened.at,
        opened.raiserOwner,
        opened.responderOwner,
      ],
    );
    return stage;
  }

  async setTiming(uow: UnitOfWork, stageId: string, t: StageTiming): Promise<void> {
    await uow.query(
      `update escalation_stages set due_start = $2, due_at = $3, working_days = $4, due_explanation = $5,
         skipped_dates = $6, breached_at = case when $7::boolean then $8::timestamptz else breached_at end
       where id = $1`,
      [
        stageId,
        t.start,
        t.dueAt,
        t.workingDays,
        t.explanation,
        JSON.stringify(t.skippedDates),
        t.breachedAt !== null,
        t.breachedAt,
      ],
    );
  }

  async setWorkingDays(uow: UnitOfWork, stageId: string, workingDays: number): Promise<void> {
    await uow.query('update escalation_stages set working_days = $2 where id = $1', [stageId, workingDays]);
  }

  /** Marks stages breached (a stage already breached keeps its first instant). */
  async markBreached(uow: UnitOfWork, stageIds: string[], at: Date): Promise<void> {
    await uow.query(
      'update escalation_stages set breached_at = coalesce(breached_at, $2) where id = any($1)',
      [stageIds, at],
    );
  }

  async respond(uow: UnitOfWork, stageId: string, response: string, at: Date): Promise<void> {
    await uow.query(
      `update escalation_stages set status = 'RESPONDED', response = $2, responded_at = $3 where id = $1`,
      [stageId, response, at],
    );
  }

  async extend(
    uow: UnitOfWork,
    stageId: string,
    e: { reason: string; workingDays: number; dueAt: Date; totalWorkingDays: number; explanation: string },
    skippedDates: string[],
  ): Promise<void> {
    await uow.query(
      `update escalation_stages set extended = true, extension_reason = $2, extension_working_days = $3, due_at = $4,
         working_days = $5, due_explanation = coalesce(due_explanation, '') || '; ' || $6,
         skipped_dates = skipped_dates || $7::jsonb
       where id = $1`,
      [
        stageId,
        e.reason,
        e.workingDays,
        e.dueAt,
        e.totalWorkingDays,
        e.explanation,
        JSON.stringify(skippedDates),
      ],
    );
  }

  /** Closes a stage; an escalation records its rationale. */
  async close(uow: UnitOfWork, stageId: string, at: Date, escalationRationale?: string): Promise<void> {
    if (escalationRationale === undefined) {
      await uow.query(`update escalation_stages set status = 'CLOSED', closed_at = $2 where id = $1`, [
        stageId,
        at,
      ]);
      return;
    }
    await uow.query(
      `update escalation_stages set status = 'CLOSED', closed_at = $2, escalation_rationale = $3 where id = $1`,
      [stageId, at, escalationRationale],
    );
  }

  /** A reopened case's stage awaits a response again from `at`, its breach forgotten. */
  async reopen(uow: UnitOfWork, stageId: string, at: Date): Promise<void> {
    await uow.query(
      `update escalation_stages set status = 'AWAITING_RESPONSE', closed_at = null, breached_at = null, opened_at = $2
        where id = $1`,
      [stageId, at],
    );
  }
}
