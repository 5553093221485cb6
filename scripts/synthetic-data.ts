import { randomUUID } from 'node:crypto';
import type { PoolClient } from 'pg';
import type { DataSource, QueryRunner } from 'typeorm';
import { defaultLadder, type StagePolicy } from '@hips/core';
import {
  PARTNERSHIP_WEIGHTS,
  DAY,
  SETUP,
  TEARDOWN,
  CASES,
  STAGES,
  CUT_AT_END,
  NO_EXTENSION_AFTER_END,
  ESCALATIONS,
  STAGE_ROWS,
  EVENTS,
} from './synthetic-data-sql';

/**
 * Synthetic escalation cases for analytics (docs/benchmarks.md): realistic mixes of partnerships, agencies (those of the
 * demo data), categories, urgency, stages, breaches, extensions and outcomes over several years, written
 * straight into the case tables as the owner, generated inside PostgreSQL (see generateSyntheticCases). No child
 * identifiers are generated; free text is a fixed placeholder.
 */

export interface SyntheticOptions {
  count: number;
  /** Seed of PostgreSQL's random() (setseed, per batch): the same seed gives the same cases (ids aside). */
  seed?: number;
  /** Raised between these instants (default: the last 4 years up to now). */
  start?: Date;
  end?: Date;
  /** Only these partnerships (codes); default all four, weighted by size. */
  partnerships?: string[];
  /** Fixed values for every case (for tests). */
  fixed?: Partial<{
    category: string;
    urgency: string;
    levelOfNeed: string;
    status: 'OPEN' | 'RESOLVED' | 'WITHDRAWN' | 'CLOSED_BY_PARTNERSHIP';
    closingStage: number;
  }>;
  /** Cases per transaction (default 10,000). */
  batchSize?: number;
  /** Connections loading batches concurrently (default 2). */
  connections?: number;
  onProgress?: (done: number, total: number) => void;
}

interface Partnership {
  id: string;
  code: string;
  prefix: string;
  agencies: { id: string; type: string }[];
  /** The case's ladder: the partnership's default policy (stage names, roles, working days). */
  ladder: StagePolicy[];
}

/** Loads the partnerships and their relevant agencies (the demo data must be loaded). */
async function partnershipsOf(db: DataSource, codes?: string[]): Promise<Partnership[]> {
  const rows: { id: string; code: string; prefix: string; reflective: string | null }[] = await db.query(
    `select id, code, reference_prefix as prefix, reflective_step_name as reflective from partnerships
      where $1::text[] is null or code = any($1::text[]) order by code`,
    [codes ?? null],
  );
  const agencies: { partnership_id: string; id: string; type: string }[] = await db.query(
    `select m.partnership_id, a.id, a.type from agency_memberships m join agencies a on a.id = m.agency_id
      order by a.name`,
  );
  return rows
    .map((p) => ({
      ...p,
      agencies: agencies.filter((a) => a.partnership_id === p.id),
      ladder: defaultLadder('GENERAL', p.reflective ?? 'Reflective step'),
    }))
    .filter((p) => p.agencies.length >= 2);
}

/**
 * Writes `count` cases; returns the number written. Run as the owner (a superuser: row-level security does not
 * apply, and the bulk load skips the per-row foreign-key triggers, its rows being generated consistent).
 *
 * The rows are generated inside PostgreSQL, set-based: per batch, one INSERT ... SELECT from generate_series
 * draws every case's choices with random() (seeded with setseed from the seed and the batch number, so the same
 * seed gives the same cases, ids aside) into a temporary table, a second one lays out each case's stages, and
 * three INSERT ... SELECT write escalations, escalation_stages and escalation_events, in one transaction per batch
 * (synchronous_commit off). No row crosses the wire. Batches run on `connections` connections at once. Raised
 * instants are stratified over [start, end) in case order (uniform, but ascending), and ids are time-ordered, so
 * every index insert lands near an index's right-hand edge rather than on random pages.
 */
export async function generateSyntheticCases(db: DataSource, options: SyntheticOptions): Promise<number> {
  const end = options.end ?? new Date();
  const start = options.start ?? new Date(end.getTime() - 4 * 365 * DAY);
  const partnerships = await partnershipsOf(db, options.partnerships);
  if (partnerships.length === 0) throw new Error('no partnership with agencies: load the demo data first');
  const totalWeight = partnerships.reduce((t, p) => t + (PARTNERSHIP_WEIGHTS[p.code] ?? 10), 0);
  const run = randomUUID().slice(0, 8).toUpperCase();
  const batchSize = options.batchSize ?? 10_000;
  const fixed = options.fixed ?? {};
  const seed = options.seed ?? 1;
  const total = options.count;
  const batches = Math.ceil(total / batchSize);
  const connections = Math.max(1, Math.min(options.connections ?? 2, batches));

  const runners: QueryRunner[] = [];
  let done = 0;
  let nextBatch = 0;
  let failed = false;
  const worker = async (runner: QueryRunner): Promise<void> => {
    const client = (await runner.connect()) as PoolClient;
    for (const sql of SETUP) await client.query(sql);
    let lo = 0;
    for (const [idx, p] of partnerships.entries()) {
      const hi = lo + (PARTNERSHIP_WEIGHTS[p.code] ?? 10) / totalWeight;
      const csc = p.agencies.flatMap((a, i) => (a.type === 'CHILDRENS_SOCIAL_CARE' ? [i + 1] : []));
      await client.query(`insert into syn_p values ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, [
        idx,
        p.id,
        p.code,
        p.prefix,
        lo,
        idx === partnerships.length - 1 ? 2 : hi,
        p.agencies.map((a) => a.id),
        csc,
        JSON.stringify(p.ladder),
      ]);
      for (const s of p.ladder) {
        await client.query(`insert into syn_step values ($1, $2, $3, $4, $5, $6, $7)`, [
          idx,
          s.number,
          s.name,
          s.roleType,
          s.breaches,
          s.standardWorkingDays,
          s.urgentWorkingDays,
        ]);
      }
      lo = hi;
    }
    try {
      while (nextBatch < batches && !failed) {
        const batch = nextBatch++;
        const first = batch * batchSize;
        const last = Math.min(first + batchSize, total);
        await client.query('begin');
        try {
          // Losing the last batches in a crash is harmless for seeding; skip the per-row foreign-key triggers.
          await client.query('set local synchronous_commit = off');
          await client.query('set local session_replication_role = replica');
          // JIT-compiling these statements would take longer than running them (about a second per batch).
          await client.query('set local jit = off');
          await client.query('select setseed($1)', [((seed * 7919 + batch) % 2_000_003) / 2_000_003]);
          await client.query(CASES, [
            first,
            last,
            total,
            start.toISOString(),
            end.toISOString(),
            run,
            fixed.urgency ?? null,
            fixed.category ?? null,
            fixed.levelOfNeed ?? null,
            fixed.status ?? null,
            fixed.closingStage ?? null,
          ]);
          await client.query(STAGES, [end.toISOString()]);
          await client.query(CUT_AT_END, [end.toISOString(), fixed.status ?? null]);
          await client.query(NO_EXTENSION_AFTER_END, [end.toISOString()]);
          await client.query(ESCALATIONS);
          await client.query(STAGE_ROWS);
          await client.query(EVENTS);
          await client.query('commit');
        } catch (error) {
          failed = true;
          await client.query('rollback').catch(() => undefined);
          throw error;
        }
        done += last - first;
        options.onProgress?.(done, total);
      }
    } finally {
      await client.query(TEARDOWN).catch(() => undefined);
    }
  };
  try {
    for (let i = 0; i < connections; i++) runners.push(db.createQueryRunner());
    const results = await Promise.allSettled(runners.map(worker));
    const rejected = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (rejected) throw rejected.reason;
  } finally {
    await Promise.all(runners.map((r) => r.release()));
  }
  return done;
}

/** A one-line progress bar on stderr: [#######.......]  52% 520000/1000000  14,210/s */
export function progressBar(label: string, width = 30): (done: number, total: number) => void {
  const started = Date.now();
  return (done, total) => {
    const ratio = total === 0 ? 1 : done / total;
    const filled = Math.round(ratio * width);
    const rate = Math.round(done / Math.max((Date.now() - started) / 1000, 0.001));
    process.stderr.write(
      `\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(Math.round(ratio * 100)).padStart(3)}% ${done}/${total}  ${rate.toLocaleString('en-GB')}/s`,
    );
    if (done >= total) process.stderr.write('\n');
  };
}
