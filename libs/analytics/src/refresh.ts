import type { EntityManager } from 'typeorm';
import { WorkingCalendar } from '@hips/core';
import type { TenantDb } from '@hips/database';
import { CaseFact, CaseSource, computeCaseFact, FACT_COLUMNS } from './case-fact';
import { applyCellDeltas, CellAccumulator, FACT_FOR_CELLS_SQL, FactForCells } from './trend-cells';

/**
 * Keeping the read model up to date (README "Analytics").
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

interface CaseRow {
  id: string;
  type: string;
  status: string;
  urgency: string;
  category: string;
  level_of_need: string;
  raising_agency_id: string;
  responding_agency_id: string;
  raised_at: Date;
  closed_at: Date | null;
  current_stage: number | null;
  outcome_code: string | null;
  learning_themes: unknown;
  systemic_issue: boolean;
  reopen_count: number;
  calendar_version: number;
  raising_agency_type: string | null;
  responding_agency_type: string | null;
  stages: number[] | null;
  breached: number[] | null;
  extended_stages: number;
  extension_events: number;
  first_response_at: Date | null;
  breached_events: number[] | null;
}

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
    const [mark]: { last_event_at: Date | null }[] = await em.query(
      'select last_event_at from analytics_watermarks where partnership_id = $1',
      [partnershipId],
    );
    const full = options.full || !mark || mark.last_event_at === null;
    const since = full
      ? null
      : new Date(mark.last_event_at!.getTime() - (options.overlapMs ?? DEFAULT_OVERLAP_MS));
    const [{ latest }]: { latest: Date | null }[] = await em.query(
      `select greatest(
         (select max(at) from escalation_events where partnership_id = $1 and ($2::timestamptz is null or at > $2)),
         (select max(breached_at) from escalation_stages
           where partnership_id = $1 and ($2::timestamptz is null or breached_at > $2))) as latest`,
      [partnershipId, since],
    );
    const calendars = await calendarsOf(em, partnershipId);
    const batchSize = options.batchSize ?? 2000;
    let done = 0;
    if (full) {
      done = await rebuildPartnership(em, partnershipId, calendars, options);
    } else {
      const ids: { id: string }[] = await em.query(
        `select escalation_id as id from escalation_events where partnership_id = $1 and at > $2
         union
         select escalation_id from escalation_stages where partnership_id = $1 and breached_at > $2`,
        [partnershipId, since],
      );
      for (let i = 0; i < ids.length; i += batchSize) {
        done += await refreshCases(
          em,
          partnershipId,
          ids.slice(i, i + batchSize).map((r) => r.id),
          calendars,
        );
        options.onProgress?.(done);
      }
    }
    const watermark = latest ?? mark?.last_event_at ?? null;
    await em.query(
      `insert into analytics_watermarks (partnership_id, last_event_at, refreshed_at, cases_refreshed)
       values ($1, $2, now(), $3)
       on conflict (partnership_id) do update
         set last_event_at = excluded.last_event_at, refreshed_at = now(), cases_refreshed = excluded.cases_refreshed`,
      [partnershipId, watermark, done],
    );
    return { partnershipId, casesRefreshed: done, watermark };
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

/** The partnership's calendar versions (bank holidays plus its closure days), by version; 0 has none. */
async function calendarsOf(em: EntityManager, partnershipId: string): Promise<Map<number, WorkingCalendar>> {
  const rows: { version: number; date: string; reason: string }[] = await em.query(
    `select v.version, d.date::text as date, d.reason from calendar_versions v
       join calendar_closure_days d on d.calendar_version_id = v.id
      where v.partnership_id = $1 order by v.version, d.date`,
    [partnershipId],
  );
  const days = new Map<number, { date: string; reason: string }[]>();
  for (const row of rows) days.set(row.version, [...(days.get(row.version) ?? []), row]);
  const calendars = new Map<number, WorkingCalendar>();
  for (const [version, closureDays] of days) calendars.set(version, new WorkingCalendar({ closureDays }));
  return calendars;
}

const NO_CLOSURES = new WorkingCalendar();

/**
 * The case rows a fact is computed from: the case, its agencies' types, its stages and its events, aggregated per
 * case. `scope` limits it to the cases of $2 (uuid[]), or takes every case of the partnership (the rebuild: one
 * pass of hash joins instead of a look-up per case).
 */
function caseSql(scope: 'ids' | 'all'): string {
  const only = (column: string) => (scope === 'ids' ? ` and ${column} = any($2::uuid[])` : '');
  return `select e.id, e.type, e.status, e.urgency, e.category, e.level_of_need, e.raising_agency_id,
            e.responding_agency_id, e.raised_at, e.closed_at, e.current_stage, e.outcome_code, e.learning_themes,
            e.systemic_issue, e.reopen_count, e.calendar_version,
            ra.type as raising_agency_type, rs.type as responding_agency_type,
            s.stages, s.breached, coalesce(s.extended_stages, 0)::int as extended_stages,
            coalesce(v.extension_events, 0)::int as extension_events, v.breached_events,
            least(v.first_response_at, s.first_stage_response) as first_response_at
       from escalations e
       left join agencies ra on ra.id = e.raising_agency_id
       left join agencies rs on rs.id = e.responding_agency_id
       left join (
         select escalation_id, array_agg(number) as stages,
                array_agg(number) filter (where breached_at is not null) as breached,
                count(*) filter (where extended) as extended_stages,
                min(responded_at) as first_stage_response
           from escalation_stages where partnership_id = $1${only('escalation_id')}
          group by escalation_id) s on s.escalation_id = e.id
       left join (
         select escalation_id, count(*) filter (where kind = 'EXTENDED') as extension_events,
                min(at) filter (where kind = 'RESPONDED') as first_response_at,
                array_agg(stage) filter (where kind = 'STAGE_BREACHED' and stage is not null) as breached_events
           from escalation_events where partnership_id = $1${only('escalation_id')}
          group by escalation_id) v on v.escalation_id = e.id
      where e.partnership_id = $1${only('e.id')}`;
}

/** The fact row of one case row (caseSql). */
function factOf(r: CaseRow, partnershipId: string, calendars: Map<number, WorkingCalendar>): CaseFact {
  const source: CaseSource = {
    id: r.id,
    partnershipId,
    type: r.type,
    status: r.status,
    urgency: r.urgency,
    category: r.category,
    levelOfNeed: r.level_of_need,
    raisingAgencyId: r.raising_agency_id,
    raisingAgencyType: r.raising_agency_type ?? 'OTHER',
    respondingAgencyId: r.responding_agency_id,
    respondingAgencyType: r.responding_agency_type ?? 'OTHER',
    raisedAt: r.raised_at,
    closedAt: r.closed_at,
    currentStage: r.current_stage,
    outcomeCode: r.outcome_code,
    learningThemes: r.learning_themes,
    systemicIssue: r.systemic_issue,
    reopenCount: r.reopen_count,
    stages: r.stages ?? [],
    breachedStages: [...(r.breached ?? []), ...(r.breached_events ?? [])],
    extendedStages: r.extended_stages,
    extensionEvents: r.extension_events,
    firstResponseAt: r.first_response_at,
  };
  return computeCaseFact(source, calendars.get(r.calendar_version) ?? NO_CLOSURES);
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

/** Copies the names and types of the agencies into the read model (directory facts, for the agency dimensions). */
async function writeAgencies(em: EntityManager, agencyIds: string[]): Promise<void> {
  if (agencyIds.length === 0) return;
  await em.query(
    `insert into analytics_agencies (agency_id, name, type, refreshed_at)
     select a.id, a.name, a.type, now() from agencies a
      where a.id = any($1::uuid[])
     on conflict (agency_id) do update set name = excluded.name, type = excluded.type, refreshed_at = now()
      where analytics_agencies.name is distinct from excluded.name or analytics_agencies.type is distinct from excluded.type`,
    [agencyIds],
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
  // A cursor cannot take bind parameters: the (checked) id is inlined.
  await em.query(
    `declare analytics_rebuild no scroll cursor for ${caseSql('all').replaceAll('$1', `'${partnershipId}'::uuid`)}`,
  );
  const cells = new CellAccumulator();
  const agencies = new Set<string>();
  let done = 0;
  for (;;) {
    const rows: CaseRow[] = await em.query(`fetch ${options.batchSize ?? 5000} from analytics_rebuild`);
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
  await em.query('close analytics_rebuild');
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
  const rows: CaseRow[] = await em.query(caseSql('ids'), [partnershipId, ids]);
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
