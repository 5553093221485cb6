import { setImmediate as nextTurn } from 'node:timers/promises';
import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ApiError, hasRole, RequestContext } from '@hips/common';
import type { DisclosedCount } from './disclosure';
import { AnalyticsDb, isQueryCanceled } from './analytics-db';
import { analyticsError, timeBudgetExceeded } from './analytics-errors';
import { DisclosurePool } from './disclosure-pool';
import { estimateTableCells, isAgencyDimension, MAX_TABLE_CELLS, monthsPerPeriod } from './table-size';
import { EscalationTrends, TrendBucket, TrendDimension, TrendInterval } from './dto/trends.model';
import { EscalationTrendsInput } from './dto/trends.input';
import { FACT_COLUMNS } from './case-fact';
import { percentileOfHistogram } from '@hips/core';
import { C_MEASURES, CELL_DIMENSIONS, groupingOf, MAX_CELL_GROUPING, R_MEASURES } from './trend-cells';
import { LEARNING_THEME_CODES } from './learning-themes';
import {
  AggregateRow,
  BucketStats,
  COUNT_MEASURES,
  CountMeasure,
  disclosedBuckets,
  guardedPercentile,
  keyOf,
  STAGES,
  TrendsBucketOut,
} from './trends';

export const ANALYTICS_DB = Symbol('ANALYTICS_DB');
export const DISCLOSURE_POOL = Symbol('DISCLOSURE_POOL');
/** The time budget of one answer in milliseconds (ANALYTICS_TIME_BUDGET_MS). */
export const ANALYTICS_TIME_BUDGET = Symbol('ANALYTICS_TIME_BUDGET');

/**
 * The most dimensions one answer may be grouped by. Answers of up to MAX_CELL_GROUPING dimensions besides
 * PARTNERSHIP read the pre-aggregated cells; more read the per-case facts (slower on a large read model).
 */
export const MAX_GROUP_BY = 4;
/**
 * The most cells one answer may have as read (the table asked for may span up to MAX_TABLE_CELLS, most of them
 * empty). What disclosure control of these cells may cost is bounded by the time budget, not by this.
 */
export const MAX_CELLS = 5000;
const MAX_YEARS = 25;
/** Read-model rows aggregated in memory per turn of the event loop. */
const ROWS_PER_TURN = 2000;
/** How long the number of agencies (the values of an agency dimension) is reused before it is read again. */
const AGENCY_COUNT_TTL_MS = 5 * 60_000;

/** SQL of each dimension over the read model (f), partnerships (p) and agency names (ra, rs). */
const DIMENSION_SQL: Record<TrendDimension, string> = {
  PARTNERSHIP: 'p.code',
  RAISING_AGENCY_TYPE: 'f.raising_agency_type',
  RESPONDING_AGENCY_TYPE: 'f.responding_agency_type',
  RAISING_AGENCY: `coalesce(ra.name, 'Unknown agency')`,
  RESPONDING_AGENCY: `coalesce(rs.name, 'Unknown agency')`,
  CATEGORY: 'f.category',
  URGENCY: 'f.urgency',
  LEVEL_OF_NEED: 'f.level_of_need',
  HIGHEST_STAGE: 'f.highest_stage::text',
  OUTCOME: `coalesce(f.outcome_code, 'OPEN')`,
};

/** The read model's columns the analytics role may read (never escalation_id). */
const READABLE_COLUMNS = FACT_COLUMNS.filter((c) => c.name !== 'escalation_id')
  .map((c) => `f.${c.name}`)
  .join(', ');

const TRUNC: Record<TrendInterval, string> = { MONTH: 'month', QUARTER: 'quarter', YEAR: 'year' };

/** A trend cell as read: arrays as comma-separated text. */
interface CellText {
  p: string;
  basis: string;
  month: string;
  k1: string;
  k2: string;
  counts: string;
  hist: string;
}

/** The checked question: partnerships (ids and codes), whole periods, dimensions. */
export interface TrendsQuery {
  partnerships: { id: string; code: string }[];
  from: string;
  to: string;
  interval: TrendInterval;
  groupBy: TrendDimension[];
}

/** One flat row of an export (CSV/JSON): suppressed counts display 'c'. */
export type TrendsExportRow = Record<string, string | number | null>;

/** When an answer must be ready by. */
interface Deadline {
  at: number;
  budgetMs: number;
}

@Injectable()
export class AnalyticsService {
  private agencies: { count: number; readAt: number } | undefined;

  constructor(
    @Inject(ANALYTICS_DB) private readonly db: AnalyticsDb,
    @Inject(DISCLOSURE_POOL) private readonly pool: DisclosurePool,
    @Inject(ANALYTICS_TIME_BUDGET) private readonly timeBudgetMs: number,
  ) {}

  /**
   * escalationTrends: who may ask (ANALYST: own partnership; HIPS_ANALYST: any), then the answer, disclosing only
   * the measures given (those behind the fields asked for; see measuresOfFields).
   */
  async trends(
    ctx: RequestContext,
    input: EscalationTrendsInput,
    measures: CountMeasure[] = [...COUNT_MEASURES],
  ): Promise<EscalationTrends> {
    const query = await this.authorise(ctx, input);
    const assembled = await this.compute(query, measures);
    return {
      suppressionThreshold: assembled.threshold,
      buckets: assembled.buckets.map((b) => toBucket(query, b)),
    };
  }

  /** The same answer as flat rows for the CSV and JSON exports (every measure; 'c' where suppressed). */
  async exportRows(ctx: RequestContext, input: EscalationTrendsInput): Promise<TrendsExportRow[]> {
    const query = await this.authorise(ctx, input);
    const assembled = await this.compute(query, [...COUNT_MEASURES]);
    return assembled.buckets.map((out) => {
      const b = toBucket(query, out);
      const row: TrendsExportRow = { periodStart: b.periodStart };
      for (const d of query.groupBy) row[d] = b.dimensions.find((x) => x.dimension === d)?.value ?? null;
      const show = (c: DisclosedCount) => c.display;
      row.raised = show(b.raised);
      row.resolved = show(b.resolved);
      row.breachedStages = show(b.breachedStages);
      row.stagesOpened = show(b.stagesOpened);
      row.extensions = show(b.extensions);
      row.stage0Used = show(b.stage0Used);
      row.resolvedAtStage0 = show(b.resolvedAtStage0);
      row.reopened = show(b.reopened);
      row.systemicFlags = show(b.systemicFlags);
      row.medianWorkingDaysToResolution = b.medianWorkingDaysToResolution;
      row.p90WorkingDaysToResolution = b.p90WorkingDaysToResolution;
      row.medianWorkingDaysToFirstResponse = b.medianWorkingDaysToFirstResponse;
      row.p90WorkingDaysToFirstResponse = b.p90WorkingDaysToFirstResponse;
      for (const s of b.resolvedAtStage) row[`resolvedAtStage${s.stage}`] = show(s.count);
      for (const t of b.learningThemes) row[`theme_${t.theme}`] = show(t.count);
      return row;
    });
  }

  /** Role rules and input checks; resolves partnership codes to ids. */
  async authorise(ctx: RequestContext, input: EscalationTrendsInput): Promise<TrendsQuery> {
    const hips = hasRole(ctx, 'HIPS_ANALYST');
    if (!hips && !hasRole(ctx, 'ANALYST')) {
      throw analyticsError('FORBIDDEN', 'Escalation trends need the ANALYST or HIPS_ANALYST role');
    }
    const codes = [...new Set(input.partnerships?.length ? input.partnerships : [ctx.partnershipCode])];
    if (!hips && (codes.length > 1 || codes[0] !== ctx.partnershipCode)) {
      throw analyticsError(
        'FORBIDDEN',
        'An ANALYST sees its own partnership only; other or several partnerships need HIPS_ANALYST',
      );
    }
    const groupBy = [...new Set(input.groupBy ?? [])];
    if (groupBy.length > MAX_GROUP_BY) {
      throw analyticsError('BAD_USER_INPUT', `groupBy takes at most ${MAX_GROUP_BY} dimensions`);
    }
    if (input.from > input.to) throw analyticsError('BAD_USER_INPUT', 'from must not be after to');
    const from = periodStart(input.from, input.interval);
    const to = periodEnd(input.to, input.interval);
    if (Number(to.slice(0, 4)) - Number(from.slice(0, 4)) >= MAX_YEARS) {
      throw analyticsError('BAD_USER_INPUT', `the range may span at most ${MAX_YEARS} years`);
    }
    // Refused by its size before the read model is queried or anything is computed.
    const cells = estimateTableCells({
      from,
      to,
      interval: input.interval,
      groupBy,
      partnerships: codes.length,
      agencies: groupBy.some(isAgencyDimension) ? await this.agencyCount() : 0,
    });
    if (cells > MAX_TABLE_CELLS) {
      throw analyticsError(
        'ANALYTICS_TABLE_TOO_LARGE',
        `the table asked for spans ${cells} cells (periods × values of each dimension; at most ${MAX_TABLE_CELLS}): use a longer interval, a shorter range or fewer dimensions`,
      );
    }
    const partnerships: { id: string; code: string }[] = await this.db.source.query(
      'select id, code from partnerships where code = any($1::text[]) order by code',
      [codes],
    );
    if (partnerships.length !== codes.length) {
      throw analyticsError('BAD_USER_INPUT', 'unknown partnership');
    }
    return { partnerships, from, to, interval: input.interval, groupBy };
  }

  /** Agencies the read model knows, plus "Unknown agency": the values an agency dimension may take. */
  private async agencyCount(): Promise<number> {
    const now = Date.now();
    if (!this.agencies || now - this.agencies.readAt > AGENCY_COUNT_TTL_MS) {
      const [row] = await this.db.source.query<{ n: number }[]>(
        'select count(*)::int as n from analytics_agencies',
      );
      this.agencies = { count: row.n + 1, readAt: now };
    }
    return this.agencies.count;
  }

  /**
   * Aggregates the read model and applies disclosure control to the measures asked for, within the time budget:
   * PostgreSQL cancels a query that outlives it, and disclosure control runs on a worker thread that is stopped
   * when the budget runs out (docs/security/heavy-work.md).
   */
  async compute(
    query: TrendsQuery,
    measures: CountMeasure[],
  ): Promise<{ threshold: number; buckets: TrendsBucketOut[] }> {
    const deadline: Deadline = { at: Date.now() + this.timeBudgetMs, budgetMs: this.timeBudgetMs };
    // The answer's own table: its cells and every margin. A finer answer (say, by PARTNERSHIP too) protects its
    // cells against its own margins, which include these cells, so each answer is safe against all coarser ones.
    const cellDimensions = query.groupBy.filter((d) => d !== TrendDimension.PARTNERSHIP);
    const { rows, stats } =
      cellDimensions.length <= MAX_CELL_GROUPING
        ? await this.fromCells(query, deadline)
        : await this.fromFacts(query, deadline);
    const n = 1 + query.groupBy.length;
    const disclosed = await this.pool.disclose(
      { dimensions: query.groupBy, rows, shown: [...Array(n).keys()], measures },
      deadline.at - Date.now(),
      deadline.budgetMs,
    );
    return { threshold: disclosed.threshold, buckets: disclosedBuckets(disclosed, stats) };
  }

  /** A read-model query within the answer's deadline. */
  private async read<T>(
    query: TrendsQuery,
    deadline: Deadline,
    work: (em: EntityManager) => Promise<T>,
  ): Promise<T> {
    const left = deadline.at - Date.now();
    if (left <= 0) throw timeBudgetExceeded(deadline.budgetMs);
    try {
      return await this.db.run(
        query.partnerships.map((p) => p.id),
        work,
        left,
      );
    } catch (error) {
      if (isQueryCanceled(error)) throw timeBudgetExceeded(deadline.budgetMs);
      throw error;
    }
  }

  /**
   * The answer from the pre-aggregated cells (trend-cells.ts): the rows of one grouping over the months of the
   * range, summed into periods (and over partnerships unless PARTNERSHIP is asked for) in memory; percentiles
   * exact from the merged histograms.
   */
  private async fromCells(
    query: TrendsQuery,
    deadline: Deadline,
  ): Promise<{ rows: AggregateRow[]; stats: Map<string, BucketStats> }> {
    const cellDimensions = CELL_DIMENSIONS.filter((d) => query.groupBy.includes(d as TrendDimension));
    const ids = query.partnerships.map((p) => p.id);
    const agencies = query.groupBy.some(
      (d) => d === TrendDimension.RAISING_AGENCY || d === TrendDimension.RESPONDING_AGENCY,
    );
    // Yearly answers read the year rows. Arrays come as comma-separated text: splitting it is several times cheaper
    // than the driver's array parser.
    const yearly = query.interval === TrendInterval.YEAR;
    // One bucket gathers at most this many rows (its months, partnerships summed over, both bases): reading more
    // means more than MAX_CELLS buckets, so the read stops there and the answer is refused.
    const perBucket =
      (yearly ? 1 : monthsPerPeriod(query.interval)) *
      (query.groupBy.includes(TrendDimension.PARTNERSHIP) ? 1 : ids.length) *
      2;
    const maxRows = MAX_CELLS * perBucket;
    const { cells, names } = await this.read(query, deadline, async (em) => ({
      cells: await em.query<CellText[]>(
        `select partnership_id::text as p, basis, month::text as month, k1, k2,
                array_to_string(counts, ',') as counts, array_to_string(hist, ',') as hist
           from analytics_trend_cells
          where partnership_id = any($1::uuid[]) and grouping = $2 and month between $3::date and $4::date
            and basis = any($5::text[])
          limit $6`,
        [
          ids,
          groupingOf(cellDimensions),
          query.from,
          query.to,
          yearly ? ['RY', 'CY'] : ['R', 'C'],
          maxRows + 1,
        ],
      ),
      names: agencies
        ? await em.query<{ id: string; name: string }[]>(
            'select agency_id::text as id, name from analytics_agencies',
          )
        : [],
    }));
    const agencyName = new Map(names.map((a) => [a.id, a.name]));
    const code = new Map(query.partnerships.map((p) => [p.id, p.code]));
    const valueOf = query.groupBy.map((d) => {
      if (d === TrendDimension.PARTNERSHIP) return (c: CellText) => code.get(c.p) ?? c.p;
      const k = (cellDimensions as string[]).indexOf(d) === 0 ? 'k1' : 'k2';
      return d === TrendDimension.RAISING_AGENCY || d === TrendDimension.RESPONDING_AGENCY
        ? (c: CellText) => agencyName.get(c[k]) ?? 'Unknown agency'
        : (c: CellText) => c[k];
    });
    if (cells.length > maxRows) throw tooManyCells();
    const periods = new Map<string, string>();
    const buckets = new Map<string, { row: AggregateRow; res: number[]; resp: number[] }>();
    for (const [i, c] of cells.entries()) {
      // Tens of thousands of rows are summed here: the event loop gets a turn now and then.
      if (i > 0 && i % ROWS_PER_TURN === 0) await nextTurn();
      let period = periods.get(c.month);
      if (period === undefined) {
        period = periodStart(c.month, query.interval);
        periods.set(c.month, period);
      }
      const values = valueOf.map((f) => f(c));
      const cheap = `${period}\u001f${values.join('\u001f')}`;
      let bucket = buckets.get(cheap);
      if (!bucket) {
        bucket = { row: { coordinates: [period, ...values], counts: {} }, res: [], resp: [] };
        buckets.set(cheap, bucket);
      }
      const raised = c.basis === 'R' || c.basis === 'RY';
      const measures = raised ? R_MEASURES : C_MEASURES;
      const counts = bucket.row.counts;
      const parts = c.counts === '' ? [] : c.counts.split(',');
      for (let i = 0; i < measures.length; i++)
        counts[measures[i]] = (counts[measures[i]] ?? 0) + +(parts[i] ?? 0);
      if (c.hist !== '') {
        const hist = raised ? bucket.resp : bucket.res;
        const days = c.hist.split(',');
        for (let v = 0; v < days.length; v++) hist[v] = (hist[v] ?? 0) + +days[v];
      }
    }
    if (buckets.size > MAX_CELLS) throw tooManyCells();
    const rows: AggregateRow[] = [];
    const stats = new Map<string, BucketStats>();
    const total = (h: number[]) => h.reduce((t, x) => t + (x ?? 0), 0);
    const dense = (h: number[]) => Array.from(h, (x) => x ?? 0);
    for (const b of buckets.values()) {
      const key = keyOf(b.row.coordinates);
      rows.push(b.row);
      const res = dense(b.res);
      const resp = dense(b.resp);
      stats.set(key, {
        resolvedWithDays: total(res),
        medianResolution: percentileOfHistogram(res, 50),
        p90Resolution: percentileOfHistogram(res, 90),
        respondedWithDays: total(resp),
        medianFirstResponse: percentileOfHistogram(resp, 50),
        p90FirstResponse: percentileOfHistogram(resp, 90),
      });
    }
    return { rows, stats };
  }

  /** The answer straight from the per-case facts (groupings the cells do not keep). */
  private async fromFacts(
    query: TrendsQuery,
    deadline: Deadline,
  ): Promise<{ rows: AggregateRow[]; stats: Map<string, BucketStats> }> {
    const dims = query.groupBy;
    const dimSql = dims.map((d, i) => `${DIMENSION_SQL[d]} as d${i}`);
    const dimCols = dims.map((_, i) => `d${i}`);
    const themeSums = LEARNING_THEME_CODES.map(
      (t, i) => `sum(case when '${t}' = any(themes) then 1 else 0 end)::int as t${i}`,
    );
    const stageSums = STAGES.map(
      (s) => `sum(case when resolved = 1 and closing_stage = ${s} then 1 else 0 end)::int as rs${s}`,
    );
    const groupBy = `period${dimCols.map((c) => `, ${c}`).join('')}`;
    const sql = `
      with base as (
        select ${READABLE_COLUMNS}${dimSql.map((d) => `, ${d}`).join('')}
          from analytics_case_facts f
          join partnerships p on p.id = f.partnership_id
          left join analytics_agencies ra on ra.agency_id = f.raising_agency_id
          left join analytics_agencies rs on rs.agency_id = f.responding_agency_id
         where f.partnership_id = any($1::uuid[])
           and (f.raised_on between $3::date and $4::date or (f.resolved and f.closed_on between $3::date and $4::date))
      ),
      ev as (
        select date_trunc($2, raised_on)::date as period${dimCols.map((c) => `, ${c}`).join('')},
               1 as raised, 0 as resolved, stages_breached, stages_count, extensions, used_stage0::int as s0,
               reopened::int as reopened, 0 as res_s0, 0 as systemic, null::int as closing_stage,
               '{}'::text[] as themes, null::int as wd_res, wd_to_first_response as wd_resp
          from base where raised_on between $3::date and $4::date
        union all
        select date_trunc($2, closed_on)::date${dimCols.map((c) => `, ${c}`).join('')},
               0, 1, 0, 0, 0, 0, 0, resolved_at_stage0::int, systemic::int, closing_stage,
               learning_themes, wd_to_resolution, null
          from base where resolved and closed_on between $3::date and $4::date
      )
      select period::text as period${dimCols.map((c) => `, ${c}`).join('')},
             sum(raised)::int as raised, sum(resolved)::int as resolved,
             sum(stages_breached)::int as breached, sum(stages_count)::int as stages,
             sum(extensions)::int as extensions, sum(s0)::int as s0, sum(res_s0)::int as res_s0,
             sum(reopened)::int as reopened, sum(systemic)::int as systemic,
             ${[...stageSums, ...themeSums].join(', ')},
             count(wd_res)::int as n_res,
             percentile_cont(0.5) within group (order by wd_res) as med_res,
             percentile_cont(0.9) within group (order by wd_res) as p90_res,
             count(wd_resp)::int as n_resp,
             percentile_cont(0.5) within group (order by wd_resp) as med_resp,
             percentile_cont(0.9) within group (order by wd_resp) as p90_resp
        from ev group by ${groupBy}
       limit $5`;
    const raw = await this.read<Record<string, unknown>[]>(query, deadline, (em) =>
      em.query(sql, [
        query.partnerships.map((p) => p.id),
        TRUNC[query.interval],
        query.from,
        query.to,
        MAX_CELLS + 1,
      ]),
    );
    if (raw.length > MAX_CELLS) throw tooManyCells();
    const rows: AggregateRow[] = [];
    const stats = new Map<string, BucketStats>();
    for (const r of raw) {
      const coordinates = [String(r.period), ...dimCols.map((c) => String(r[c]))];
      stats.set(keyOf(coordinates), {
        resolvedWithDays: Number(r.n_res),
        medianResolution: numberOrNull(r.med_res),
        p90Resolution: numberOrNull(r.p90_res),
        respondedWithDays: Number(r.n_resp),
        medianFirstResponse: numberOrNull(r.med_resp),
        p90FirstResponse: numberOrNull(r.p90_resp),
      });
      const counts: Record<string, number> = {
        raised: Number(r.raised),
        resolved: Number(r.resolved),
        breachedStages: Number(r.breached),
        stagesOpened: Number(r.stages),
        extensions: Number(r.extensions),
        stage0Used: Number(r.s0),
        resolvedAtStage0: Number(r.res_s0),
        reopened: Number(r.reopened),
        systemicFlags: Number(r.systemic),
      };
      for (const s of STAGES) counts[`resolvedAt:${s}`] = Number(r[`rs${s}`]);
      LEARNING_THEME_CODES.forEach((t, i) => (counts[`theme:${t}`] = Number(r[`t${i}`])));
      rows.push({ coordinates, counts });
    }
    return { rows, stats };
  }
}

function tooManyCells(): ApiError {
  return analyticsError(
    'ANALYTICS_TABLE_TOO_LARGE',
    `the answer would have more than ${MAX_CELLS} cells: use a longer interval, a shorter range or fewer dimensions`,
  );
}

function numberOrNull(v: unknown): number | null {
  return v === null || v === undefined ? null : Number(v);
}

/** A bucket whose counts are suppressed on first read (GraphQL reads only the fields asked for). */
function toBucket(query: TrendsQuery, b: TrendsBucketOut): TrendBucket {
  const bucket = {
    periodStart: b.coordinates[0],
    dimensions: query.groupBy.map((dimension, i) => ({ dimension, value: b.coordinates[i + 1] })),
  } as TrendBucket;
  const lazy = (name: keyof TrendBucket, get: () => unknown) =>
    Object.defineProperty(bucket, name, { enumerable: true, get });
  lazy('raised', () => b.count('raised'));
  lazy('resolved', () => b.count('resolved'));
  lazy('breachedStages', () => b.count('breachedStages'));
  lazy('stagesOpened', () => b.count('stagesOpened'));
  lazy('extensions', () => b.count('extensions'));
  lazy('stage0Used', () => b.count('stage0Used'));
  lazy('resolvedAtStage0', () => b.count('resolvedAtStage0'));
  lazy('reopened', () => b.count('reopened'));
  lazy('systemicFlags', () => b.count('systemicFlags'));
  lazy('medianWorkingDaysToResolution', () =>
    guardedPercentile(b.stats.medianResolution, b.stats.resolvedWithDays, b.count('resolved')),
  );
  lazy('p90WorkingDaysToResolution', () =>
    guardedPercentile(b.stats.p90Resolution, b.stats.resolvedWithDays, b.count('resolved')),
  );
  lazy('medianWorkingDaysToFirstResponse', () =>
    guardedPercentile(b.stats.medianFirstResponse, b.stats.respondedWithDays, b.count('raised')),
  );
  lazy('p90WorkingDaysToFirstResponse', () =>
    guardedPercentile(b.stats.p90FirstResponse, b.stats.respondedWithDays, b.count('raised')),
  );
  lazy('resolvedAtStage', () => STAGES.map((stage) => ({ stage, count: b.count(`resolvedAt:${stage}`) })));
  lazy('learningThemes', () =>
    LEARNING_THEME_CODES.map((theme) => ({ theme, count: b.count(`theme:${theme}`) })),
  );
  return bucket;
}

/** The first day of the period containing `date`. */
export function periodStart(date: string, interval: TrendInterval): string {
  const [y, m] = [Number(date.slice(0, 4)), Number(date.slice(5, 7))];
  const month =
    interval === TrendInterval.MONTH
      ? m
      : interval === TrendInterval.QUARTER
        ? Math.floor((m - 1) / 3) * 3 + 1
        : 1;
  return `${y}-${String(month).padStart(2, '0')}-01`;
}

/** The last day of the period containing `date`. */
export function periodEnd(date: string, interval: TrendInterval): string {
  const start = periodStart(date, interval);
  const months = interval === TrendInterval.MONTH ? 1 : interval === TrendInterval.QUARTER ? 3 : 12;
  const next = new Date(Date.UTC(Number(start.slice(0, 4)), Number(start.slice(5, 7)) - 1 + months, 1));
  return new Date(next.getTime() - 86_400_000).toISOString().slice(0, 10);
}
