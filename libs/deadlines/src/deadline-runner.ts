import type { Queue } from 'bullmq';
import type { Logger } from 'pino';
import type { EntityManager } from 'typeorm';
import { changedRows, TenantDb } from '@hips/database';
import { DeadlineEffects, FiredDeadline } from './deadline-effects';

/** Deterministic BullMQ job id of one version of a deadline (no colons: BullMQ forbids them). */
export function deadlineJobId(deadlineId: string, version: number): string {
  return `deadline-${deadlineId}-${version}`;
}

export interface FireDeadlineJob {
  partnershipId: string;
  deadlineId: string;
  version: number;
}

interface DeadlineRow {
  id: string;
  partnership_id: string;
  escalation_id: string;
  stage_id: string;
  kind: FiredDeadline['kind'];
  due_at: Date;
  version: number;
  fired_at: Date;
}

/**
 * PostgreSQL is the truth, BullMQ the alarm clock (architecture.md): the outbox is relayed to delayed jobs after
 * commit; a job fires its deadline with one guarded update whose effect commits in the same transaction; a sweeper
 * fires whatever is overdue, so a lost or late job costs at most one sweep interval.
 */
export class DeadlineRunner {
  constructor(
    private readonly db: TenantDb,
    private readonly effects: DeadlineEffects,
    private readonly queue: Queue<FireDeadlineJob>,
    private readonly logger: Logger,
    /** Rows the sweeper fires at once (each in its own transaction and connection). */
    private readonly sweepConcurrency = 8,
  ) {}

  private async partnerships(): Promise<string[]> {
    return (await this.db.partnerships()).map((p) => p.id);
  }

  /** Moves committed outbox rows about deadlines to BullMQ; re-relaying is harmless (deterministic job ids). */
  async relayOutbox(batchSize = 500): Promise<number> {
    let relayed = 0;
    for (const partnershipId of await this.partnerships()) {
      relayed += await this.db.run({ partnershipId }, async (em) => {
        const rows: {
          id: string;
          topic: string;
          payload: { deadlineId: string; version: number; dueAt?: string };
        }[] = await em.query(
          `select id, topic, payload from outbox
             where partnership_id = $1 and relayed_at is null and available_at <= now()
               and topic in ('DEADLINE_SCHEDULED', 'DEADLINE_CANCELLED')
             order by created_at limit $2 for update skip locked`,
          [partnershipId, batchSize],
        );
        const now = Date.now();
        await this.queue.addBulk(
          rows
            .filter((row) => row.topic === 'DEADLINE_SCHEDULED')
            .map((row) => ({
              name: 'fire-deadline',
              data: { partnershipId, deadlineId: row.payload.deadlineId, version: row.payload.version },
              opts: {
                jobId: deadlineJobId(row.payload.deadlineId, row.payload.version),
                delay: Math.max(0, new Date(row.payload.dueAt ?? 0).getTime() - now),
              },
            })),
        );
        // A superseded version's job is a no-op anyway (the version no longer matches); removing it is tidiness.
        for (const row of rows.filter((r) => r.topic === 'DEADLINE_CANCELLED')) {
          await this.queue
            .remove(deadlineJobId(row.payload.deadlineId, row.payload.version - 1))
            .catch(() => 0);
        }
        if (rows.length > 0) {
          await em.query(`update outbox set relayed_at = now(), attempts = attempts + 1 where id = any($1)`, [
            rows.map((r) => r.id),
          ]);
        }
        return rows.length;
      });
    }
    return relayed;
  }

  /**
   * Fires one version of a deadline: zero rows from the guarded update means it already fired, was cancelled or
   * moved (a duplicate or stale job), and nothing happens.
   */
  async fire(job: FireDeadlineJob): Promise<boolean> {
    return this.db.run({ partnershipId: job.partnershipId }, (em) =>
      this.fireIn(em, job.deadlineId, job.version),
    );
  }

  private async fireIn(em: EntityManager, deadlineId: string, version: number): Promise<boolean> {
    const [row] = await changedRows<DeadlineRow>(
      em,
      `update deadlines set fired_at = now()
       where id = $1 and version = $2 and fired_at is null and cancelled_at is null and due_at <= now()
       returning id, partnership_id, escalation_id, stage_id, kind, due_at, version, fired_at`,
      [deadlineId, version],
    );
    if (!row) return false;
    await this.effects.apply(
      em,
      {
        id: row.id,
        partnershipId: row.partnership_id,
        escalationId: row.escalation_id,
        stageId: row.stage_id,
        kind: row.kind,
        dueAt: row.due_at,
        version: row.version,
      },
      row.fired_at,
    );
    return true;
  }

  /**
   * Fires every overdue, unfired deadline, each in its own transaction (one failing effect does not hold back the
   * others; it is logged and retried at the next sweep). Concurrent sweepers and jobs are safe: the guarded update
   * lets exactly one of them fire each version.
   */
  async sweep(batchSize = 1000): Promise<number> {
    let fired = 0;
    for (const partnershipId of await this.partnerships()) {
      let after = new Date(0);
      for (;;) {
        const due: { id: string; version: number; due_at: Date }[] = await this.db.run(
          { partnershipId },
          (em) =>
            em.query(
              `select id, version, due_at from deadlines
           where partnership_id = $1 and fired_at is null and cancelled_at is null and due_at <= now() and due_at >= $3
           order by due_at limit $2`,
              [partnershipId, batchSize, after],
            ),
        );
        let firedNow = 0;
        const pending = [...due];
        const fireNext = async (): Promise<void> => {
          for (let d = pending.shift(); d; d = pending.shift()) {
            try {
              if (await this.fire({ partnershipId, deadlineId: d.id, version: d.version })) firedNow += 1;
            } catch (error) {
              this.logger.error(
                { deadlineId: d.id, err: error instanceof Error ? error.message : String(error) },
                'deadline effect failed',
              );
            }
          }
        };
        await Promise.all(Array.from({ length: this.sweepConcurrency }, fireNext));
        fired += firedNow;
        // A full batch that fired nothing is failing effects: leave them for the next sweep rather than spin.
        if (due.length < batchSize || firedNow === 0) break;
        after = due[due.length - 1].due_at;
      }
    }
    if (fired > 0) this.logger.info({ fired }, 'sweeper fired overdue deadlines');
    return fired;
  }
}
