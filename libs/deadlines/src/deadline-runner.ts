import type { Queue } from 'bullmq';
import type { Logger } from 'pino';
import { TenantDb, UnitOfWork } from '@hips/database';
import { DEFAULT_DEADLINE_BATCH_SIZE } from '@hips/config';
import { DeadlineEffects } from './deadline-effects';
import { DeadlineClaim, DeadlineRepository } from './persistence/deadline.repository';
import { OutboxRepository } from './persistence/outbox.repository';
import { systemContext } from './system-context';

const CLAIMS_REMEMBERED = 100_000;

const errorMessage = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Deterministic BullMQ job id of one version of a deadline (no colons: BullMQ forbids them). */
export function deadlineJobId(deadlineId: string, version: number): string {
  return `deadline-${deadlineId}-${version}`;
}

export interface FireDeadlineJob {
  partnershipId: string;
  deadlineId: string;
  version: number;
}

/**
 * PostgreSQL is the truth, BullMQ the alarm clock (docs/architecture.md "Deadlines"): the outbox is relayed to delayed jobs after
 * commit; a job claims the due deadlines of its partnership (its own first) with one guarded update, and their
 * effects commit in the same transaction; a sweeper fires whatever is overdue, so a lost or late job costs at most
 * one sweep interval.
 */
export class DeadlineRunner {
  constructor(
    private readonly db: TenantDb,
    private readonly effects: DeadlineEffects,
    private readonly queue: Queue<FireDeadlineJob>,
    private readonly logger: Logger,
    /** Batches the sweeper fires at once (each in its own transaction and connection). */
    private readonly sweepConcurrency = 8,
    /** Most deadlines one firing transaction claims. */
    private readonly batchSize = DEFAULT_DEADLINE_BATCH_SIZE,
    private readonly deadlines = new DeadlineRepository(),
    private readonly outbox = new OutboxRepository(),
  ) {}

  /** One transaction of the runner in a partnership, as the system (docs/architecture.md "Unit of work"). */
  private inPartnership<T>(partnershipId: string, work: (uow: UnitOfWork) => Promise<T>): Promise<T> {
    return this.db.transaction(systemContext(partnershipId, 'deadline-runner'), work);
  }

  /** Deadline versions (job ids) claimed by this process's batches, oldest first. */
  private readonly claimedHere = new Set<string>();

  private partnershipIds: { ids: string[]; at: number } | null = null;

  /** The partnerships (seeded, rarely changed), read at most once a minute: a burst should not wait on it. */
  private async partnerships(): Promise<string[]> {
    if (!this.partnershipIds || Date.now() - this.partnershipIds.at > 60_000) {
      this.partnershipIds = { ids: (await this.db.partnerships()).map((p) => p.id), at: Date.now() };
    }
    return this.partnershipIds.ids;
  }

  /** Moves committed outbox rows about deadlines to BullMQ; re-relaying is harmless (deterministic job ids). */
  async relayOutbox(batchSize = 500): Promise<number> {
    let relayed = 0;
    for (const partnershipId of await this.partnerships()) {
      relayed += await this.inPartnership(partnershipId, async (uow) => {
        const rows = await this.outbox.claimPending<{ deadlineId: string; version: number; dueAt?: string }>(
          uow,
          ['DEADLINE_SCHEDULED', 'DEADLINE_CANCELLED'],
          batchSize,
          true,
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
        await this.outbox.markRelayed(
          uow,
          rows.map((r) => r.id),
        );
        return rows.length;
      });
    }
    return relayed;
  }

  /**
   * A job is an alarm clock, not an order: it fires the due deadlines of its partnership (its own first) in
   * batches. Returns how many this call fired; a job whose deadline already fired, was cancelled or moved fires
   * nothing. Throws (so BullMQ retries with backoff) only when its own deadline's effect failed.
   */
  async fire(job: FireDeadlineJob): Promise<number> {
    // Claimed by a batch of this process (in progress or committed): nothing to ask PostgreSQL. In a burst most
    // jobs find their deadline already taken by an earlier job's batch.
    if (this.claimedHere.has(deadlineJobId(job.deadlineId, job.version))) return 0;
    const result = await this.fireDue(job.partnershipId, { prefer: job.deadlineId });
    if (result.failed.includes(job.deadlineId))
      throw new Error(`the effect of deadline ${job.deadlineId} failed`);
    return result.fired;
  }

  /**
   * Claims up to `batchSize` due deadlines of one partnership with one guarded update (FOR UPDATE SKIP LOCKED, so
   * concurrent jobs and sweeps claim disjoint rows, and a fired or cancelled row is never claimed) and applies
   * their effects in the same transaction: one commit and one audit append for the batch. If the batch fails, it
   * is rolled back and its deadlines are fired one per transaction, so only a failing effect waits for a retry.
   */
  async fireDue(
    partnershipId: string,
    options: { prefer?: string; exclude?: string[] } = {},
  ): Promise<{ fired: number; failed: string[] }> {
    const exclude = options.exclude ?? [];
    const claimed: string[] = [];
    try {
      const fired = await this.inPartnership(partnershipId, (uow) =>
        this.claimAndApply(uow, { ...options, exclude, limit: this.batchSize }, claimed),
      );
      return { fired: fired.length, failed: [] };
    } catch (error) {
      for (const key of claimed) this.claimedHere.delete(key); // rolled back: not claimed after all
      this.logger.warn(
        { partnershipId, err: errorMessage(error) },
        'deadline batch failed: firing one at a time',
      );
    }
    const due = await this.inPartnership(partnershipId, (uow) =>
      this.deadlines.dueIds(uow, exclude, options.prefer ?? null, this.batchSize),
    );
    let fired = 0;
    const failed: string[] = [];
    for (const id of due) {
      try {
        const single: string[] = [];
        const ids = await this.db
          .transaction(systemContext(partnershipId, 'deadline-runner'), (uow) =>
            this.claimAndApply(uow, { only: id, exclude, limit: 1 }, single),
          )
          .catch((error: unknown) => {
            for (const key of single) this.claimedHere.delete(key);
            throw error;
          });
        fired += ids.length;
      } catch (error) {
        failed.push(id);
        this.logger.error({ deadlineId: id, err: errorMessage(error) }, 'deadline effect failed');
      }
    }
    return { fired, failed };
  }

  private async claimAndApply(uow: UnitOfWork, claim: DeadlineClaim, claimed: string[]): Promise<string[]> {
    const rows = await this.deadlines.claimDue(uow, claim);
    if (rows.length === 0) return [];
    // A job that finds more than its own deadline due has hit a burst (deadlines cluster at the same times of day,
    // in every partnership): sweep them all now rather than wait for each partnership's jobs to come up.
    if (claim.prefer && rows.length > 1) this.sweepSoon();
    for (const row of rows) {
      const key = deadlineJobId(row.id, row.version);
      claimed.push(key);
      this.claimedHere.add(key);
    }
    // Bounded: forgetting an old claim only costs its job a query that finds nothing.
    for (const key of this.claimedHere) {
      if (this.claimedHere.size <= CLAIMS_REMEMBERED) break;
      this.claimedHere.delete(key);
    }
    // Within a case in due order (a reminder before the breach); the effects lock the cases in id order.
    rows.sort(
      (a, b) => a.escalation_id.localeCompare(b.escalation_id) || a.due_at.getTime() - b.due_at.getTime(),
    );
    // The batch's effects and audit entries are the system's, under the batch's id.
    const batch = new UnitOfWork(
      systemContext(uow.partnershipId, `deadlines-${rows[0].id}-${rows[0].version}`),
      uow.em,
    );
    const entries = await this.effects.apply(
      batch,
      rows.map((row) => ({
        id: row.id,
        partnershipId: row.partnership_id,
        escalationId: row.escalation_id,
        stageId: row.stage_id,
        kind: row.kind,
        dueAt: row.due_at,
        version: row.version,
      })),
      rows[0].fired_at,
    );
    await this.effects.audit(batch, entries);
    return rows.map((r) => r.id);
  }

  private burstSweep: Promise<unknown> | null = null;

  /** One background sweep at a time; its errors are logged (the periodic sweeper is the safety net). */
  private sweepSoon(): void {
    if (this.burstSweep) return;
    this.burstSweep = this.sweep()
      .catch((error: unknown) => this.logger.error({ err: errorMessage(error) }, 'burst sweep failed'))
      .finally(() => {
        this.burstSweep = null;
      });
  }

  /** Waits for a background sweep in progress (at shutdown). */
  async idle(): Promise<void> {
    await this.burstSweep;
  }

  /**
   * Fires every overdue, unfired deadline: per partnership, `sweepConcurrency` batches at a time until nothing due
   * is left. Concurrent sweepers and jobs are safe: each row is claimed by exactly one of them. A deadline whose
   * effect failed is left for the next sweep (logged), not retried in this one.
   */
  async sweep(): Promise<number> {
    const partnerships = await this.partnerships();
    const perPartnership = Math.max(1, Math.ceil(this.sweepConcurrency / partnerships.length));
    let fired = 0;
    await Promise.all(
      partnerships.map(async (partnershipId) => {
        const failed: string[] = [];
        const drain = async (): Promise<void> => {
          for (;;) {
            const result = await this.fireDue(partnershipId, { exclude: failed });
            fired += result.fired;
            failed.push(...result.failed);
            if (result.fired === 0 && result.failed.length === 0) return;
          }
        };
        await Promise.all(Array.from({ length: perPartnership }, drain));
      }),
    );
    if (fired > 0) this.logger.info({ fired }, 'sweeper fired overdue deadlines');
    return fired;
  }
}
