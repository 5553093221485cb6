import { Injectable } from '@nestjs/common';
import type { UnitOfWork } from '@hips/database';

export type DeadlineKind = 'DUE' | 'REMINDER_HALF' | 'REMINDER_DAY_BEFORE';

/** A deadline row's identity as jobs know it (`deadline-<id>-<version>`). */
export interface DeadlineVersion {
  id: string;
  version: number;
}

/** A deadline row as the firing claim answers it. */
export interface ClaimedDeadlineRow {
  id: string;
  partnership_id: string;
  escalation_id: string;
  stage_id: string;
  kind: DeadlineKind;
  due_at: Date;
  version: number;
  fired_at: Date;
}

/** Which due deadlines a claim takes: `only` one, or up to `limit` with `prefer` first, never `exclude`. */
export interface DeadlineClaim {
  prefer?: string;
  only?: string;
  exclude: string[];
  limit: number;
}

/** An unfired deadline past its due time, as partnership admins see it. */
export interface OverdueDeadlineRow {
  escalation_id: string;
  kind: string;
  due_at: Date;
  minutes: number;
}

/** Due and still pending, in the unit's partnership (the partial index IDX_deadlines_pending serves it). */
const DUE_IN_PARTNERSHIP =
  'partnership_id = $1 and fired_at is null and cancelled_at is null and due_at <= now()';

/** The same predicate as the pending index (IDX_deadlines_pending), so counting overdue rows uses it. */
const OVERDUE = `fired_at is null and cancelled_at is null and due_at < now() - make_interval(mins => $1)`;

/**
 * Every statement on `deadlines` (docs/architecture.md "Deadlines"): the case schedules, moves and cancels them;
 * the runner claims and fires them; admins list the overdue ones.
 */
@Injectable()
export class DeadlineRepository {
  /**
   * Upserts one deadline of a stage. A moved row gets a new version; a fired row stays fired unless `rearm`.
   * Answers the row as written, or nothing when a fired row was left alone.
   */
  async upsert(
    uow: UnitOfWork,
    d: { escalationId: string; stageId: string; kind: DeadlineKind; dueAt: Date; firedAt: Date | null },
    rearm: boolean,
  ): Promise<(DeadlineVersion & { fired_at: Date | null }) | undefined> {
    const rows = await uow.changed<DeadlineVersion & { fired_at: Date | null }>(
      `insert into deadlines (partnership_id, escalation_id, stage_id, kind, due_at, fired_at)
       values ($1, $2, $3, $4, $5, $6)
       on conflict (stage_id, kind) do update
         set due_at = excluded.due_at, version = deadlines.version + 1, cancelled_at = null,
             fired_at = excluded.fired_at
       where $7::boolean or deadlines.fired_at is null
       returning id, version, fired_at`,
      [uow.partnershipId, d.escalationId, d.stageId, d.kind, d.dueAt, d.firedAt, rearm],
    );
    return rows[0];
  }

  /** Cancels a stage's pending deadlines; answers them with their new versions. */
  cancelPending(uow: UnitOfWork, stageId: string, at: Date): Promise<DeadlineVersion[]> {
    return uow.changed<DeadlineVersion>(
      `update deadlines set cancelled_at = $2, version = version + 1
        where stage_id = $1 and fired_at is null and cancelled_at is null returning id, version`,
      [stageId, at],
    );
  }

  /**
   * Claims due deadlines with one guarded update (FOR UPDATE SKIP LOCKED, so concurrent claims take disjoint rows
   * and a fired or cancelled row is never claimed): they are fired as of now.
   */
  claimDue(uow: UnitOfWork, claim: DeadlineClaim): Promise<ClaimedDeadlineRow[]> {
    return uow.changed<ClaimedDeadlineRow>(
      `with due as (
         select id from deadlines
          where ${DUE_IN_PARTNERSHIP} and ($2::uuid is null or id = $2::uuid) and not (id = any($3::uuid[]))
          order by coalesce(id = $4::uuid, false) desc, due_at
          limit $5 for update skip locked)
       update deadlines d set fired_at = now() from due where d.id = due.id
       returning d.id, d.partnership_id, d.escalation_id, d.stage_id, d.kind, d.due_at, d.version, d.fired_at`,
      [uow.partnershipId, claim.only ?? null, claim.exclude, claim.prefer ?? null, claim.limit],
    );
  }

  /** Ids of due deadlines, `prefer` first, then by due time (without claiming them). */
  async dueIds(uow: UnitOfWork, exclude: string[], prefer: string | null, limit: number): Promise<string[]> {
    const rows: { id: string }[] = await uow.query(
      `select id from deadlines where ${DUE_IN_PARTNERSHIP} and not (id = any($2::uuid[]))
        order by coalesce(id = $3::uuid, false) desc, due_at limit $4`,
      [uow.partnershipId, exclude, prefer, limit],
    );
    return rows.map((r) => r.id);
  }

  /** How many deadlines are at least `lateByMinutes` overdue and unfired. */
  async countOverdue(uow: UnitOfWork, lateByMinutes: number): Promise<number> {
    const [{ count }]: { count: number }[] = await uow.query(
      `select count(*)::int as count from deadlines where ${OVERDUE}`,
      [lateByMinutes],
    );
    return count;
  }

  /** The first `first` of them, oldest due first. */
  listOverdue(uow: UnitOfWork, lateByMinutes: number, first: number): Promise<OverdueDeadlineRow[]> {
    return uow.query<OverdueDeadlineRow[]>(
      `select escalation_id, kind, due_at, floor(extract(epoch from now() - due_at) / 60)::int as minutes
         from deadlines where ${OVERDUE} order by due_at, id limit $2`,
      [lateByMinutes, first],
    );
  }
}
