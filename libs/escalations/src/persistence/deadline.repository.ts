import { Injectable } from '@nestjs/common';
import type { UnitOfWork } from '@hips/database';

export type DeadlineKind = 'DUE' | 'REMINDER_HALF' | 'REMINDER_DAY_BEFORE';

/** A deadline row's identity as jobs know it (`deadline-<id>-<version>`). */
export interface DeadlineVersion {
  id: string;
  version: number;
}

/** The case's statements on `deadlines` (the runner in libs/deadlines claims and fires them). */
@Injectable()
export class DeadlineRepository {
  /**
   * Upserts one deadline of a stage. A moved row gets a new version and the caller's `firedAt` (a row moved into
   * the past is claimed as fired, like a new one); a fired row stays fired unless `rearm`. Answers the row as
   * written, or nothing when a fired row was left alone.
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
}
