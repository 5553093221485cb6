import type { EntityManager } from 'typeorm';
import type { WorkingCalendar } from '@hips/core';
import type { TenantDb } from '@hips/database';
import { CaseFact, FACT_COLUMNS } from './case-fact';
import {
  calendarsOf,
  casesChangedSince,
  closeCaseCursor,
  factOf,
  fetchCases,
  latestCaseActivity,
  openCaseCursor,
  readCases,
  writeAgencies,
} from './persistence/case-facts.source';
import { applyCellDeltas, CellAccumulator, FACT_FOR_CELLS_SQL, FactForCells } from './trend-cells';

/**
 * Keeping the read model up to date (docs/api/analytics.md).
 *
 * Incremental: per partnership, a watermark on escalation_events (and stage breaches): every case with an event
 * or a breach since the watermark (minus an overlap, for transactions that committed after later ones) has its
 * fact row recomputed from the case tables. Recomputing a row is a pure function of the case's rows, so a case
 * refreshed twice, or a pass that runs twice, changes nothing: idempotent by construction. The trend cells
 * (trend-cells.ts) are kept by difference in the same transaction: old contributions out, new ones in.
 * Rebuild: the partnership's fact rows are deleted and the same computation runs for every case of it (one cursor
 * pass over the case tables; vanished cases simply do not come back), then its cells are recomputed from scratch.
 *
 * Each partnership is refreshed in one transaction through TenantDb (hips_app, row-level security), serialised by
 * an advisory lock, so concurrent passes (two workers, a rebuild) wait for each other.
 */

export interface RefreshOptions {
  /** Recompute every case (the rebuild), not only those touched since the watermark. */
  full?: boolean;
  /** Re-read this much before the watermark (default 5 minutes). */
  overlapMs?: number;
  /** Cases per batch (default 2000; the rebuild fetches 5000 at a time). */
  batchSize?: number;
  /** Called after each batch with the cases done so far. */
  onProgress?: (done: number) => void;
}

export interface RefreshResult {
  partnershipId: string;
  casesRefreshed: number;
  watermark: Date | null;
}

export const DEFAULT_OVERLAP_MS = 5 * 60 * 1000;

/** Refreshes one partnership's fact rows (incremental unless `full`). */
export async function refreshPartnership(
  db: TenantDb,
  partnershipId: string,
  options: RefreshOptions = {},
): Promise<RefreshResult> {
  return db.run({ partnershipId }, async (em) => {
    await em.query(`select pg_advisory_xact_lock(hashtextextended('analytics-refresh:' || $1, 0))`, [
      partnershipId,
    ]);
    // The watermark and `since` stay database text (microseconds), never a millisecond JS Date.
    const [mark]: { last_event_at: string | null; since: string | null }[] = await em.query(
      `select last_event_at::text as last_event_at,
              (last_event_at - $2::double precision * interval '1 millisecond')::text as since
         from analytics_watermarks where partnership_id = $1`,
      [partnershipId, options.overlapMs ?? DEFAULT_OVERLAP_MS],
    );
    const full = options.full || !mark || mark.last_event_at === null;
    const since = full ? null : mark.since;
    const latest = await latestCaseActivity(em, partnershipId, since);
    const calendars = await calendarsOf(em, partnershipId);
    const batchSize = options.batchSize ?? 2000;
    let done = 0;
    if (full) {
      done = await rebuildPartnership(em, partnershipId, calendars, options);
    } else {
      const ids = await casesChangedSince(em, partnershipId, since!);
      for (let i = 0; i < ids.length; i += batchSize) {
        done += await refreshCases(em, partnershipId, ids.slice(i, i + batchSize), calendars);
        options.onProgress?.(done);
      }
    }
    const watermark = latest ?? mark?.last_event_at ?? null;
    const [saved]: { last_event_at: Date | null }[] = await em.query(
      `insert into analytics_watermarks (partnership_id, last_event_at, refreshed_at, cases_refreshed)
       values ($1, $2, now(), $3)
       on conflict (partnership_id) do update
         set last_event_at = excluded.last_event_at, refreshed_at = now(), cases_refreshed = excluded.cases_refreshed
       returning last_event_at`,
      [partnershipId, watermark, done],
    );
    return { partnershipId, casesRefreshed: done, watermark: saved.last_event_at };
  });
}

/** Every partnership, one after the other (incremental unless `full`). What the worker runs periodically. */
export async function refreshAllPartnerships(
  db: TenantDb,
  options: RefreshOptions = {},
): Promise<RefreshResult[]> {
  const partnerships = await db.partnerships();
  const results: RefreshResult[] = [];
  for (const { id } of partnerships) results.push(await refreshPartnership(db, id, options));
  return results;
}

const FACT_NAMES = FACT_COLUMNS.map((c) => c.name);

/** Inserts fact rows; `upsert` replaces existing rows of the same cases. */
async function writeFacts(em: EntityManager, facts: CaseFact[], upsert: boolean): Promise<void> {
  if (facts.length === 0) return;
  await em.query(
    `insert into analytics_case_facts (${FACT_NAMES.join(', ')}, refreshed_at)
     select ${FACT_NAMES.join(', ')}, now()
       from jsonb_to_recordset($1::jsonb) as r(${FACT_COLUMNS.map((c) => `${c.name} ${c.sqlType}`).join(', ')})
     ${
       upsert
         ? `on conflict (partnership_id, escalation_id) do update set
       ${FACT_NAMES.filter((c) => c !== 'partnership_id' && c !== 'escalation_id')
         .map((c) => `${c} = excluded.${c}`)
         .join(', ')},
       refreshed_at = excluded.refreshed_at`
         : ''
     }`,
    [JSON.stringify(facts)],
  );
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The rebuild of one partnership, inside its refresh transaction: every fact row deleted and recomputed from
 * the case tables in one cursor pass, then every trend cell recomputed from those facts from scratch (not by
 * difference), then the agency names.
 */
async function rebuildPartnership(
  em: EntityManager,
  partnershipId: string,
  calendars: Map<number, WorkingCalendar>,
  options: RefreshOptions,
): Promise<number> {
  if (!UUID.test(partnershipId)) throw new RangeError(`not a partnership id: ${partnershipId}`);
  await em.query('delete from analytics_case_facts where partnership_id = $1', [partnershipId]);
  await openCaseCursor(em, partnershipId);
  const cells = new CellAccumulator();
  const agencies = new Set<string>();
  let done = 0;
  for (;;) {
    const rows = await fetchCases(em, options.batchSize ?? 5000);
    if (rows.length === 0) break;
    const facts = rows.map((r) => factOf(r, partnershipId, calendars));
    await writeFacts(em, facts, false);
    for (const f of facts) {
      cells.add(f);
      agencies.add(f.raising_agency_id);
      agencies.add(f.responding_agency_id);
    }
    done += rows.length;
    options.onProgress?.(done);
  }
  await closeCaseCursor(em);
  await em.query('delete from analytics_trend_cells where partnership_id = $1', [partnershipId]);
  await cells.write(em, partnershipId, 'insert');
  await writeAgencies(em, [...agencies]);
  return done;
}

/**
 * Recomputes and upserts the fact rows of the given cases (and the names of their agencies), and applies the
 * difference to the trend cells.
 */
async function refreshCases(
  em: EntityManager,
  partnershipId: string,
  ids: string[],
  calendars: Map<number, WorkingCalendar>,
): Promise<number> {
  const rows = await readCases(em, partnershipId, ids);
  if (rows.length === 0) return 0;
  const facts = rows.map((r) => factOf(r, partnershipId, calendars));
  const before: FactForCells[] = await em.query(
    `select ${FACT_FOR_CELLS_SQL} from analytics_case_facts
      where partnership_id = $1 and escalation_id = any($2::uuid[])`,
    [partnershipId, rows.map((r) => r.id)],
  );
  await writeFacts(em, facts, true);
  await applyCellDeltas(em, partnershipId, before, facts);
  await writeAgencies(em, [...new Set(rows.flatMap((r) => [r.raising_agency_id, r.responding_agency_id]))]);
  return rows.length;
}
