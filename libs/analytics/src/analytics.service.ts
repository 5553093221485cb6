import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { hasRole, RequestContext } from '@hips/common';
import type { DisclosedCount } from './disclosure';
import { AnalyticsDb, isQueryCanceled } from './analytics-db';
import { analyticsError, timeBudgetExceeded } from './analytics-errors';
import { DisclosurePool } from './disclosure-pool';
import { estimateTableCells, isAgencyDimension, MAX_TABLE_CELLS } from './table-size';
import { EscalationTrends, TrendBucket, TrendDimension } from './dto/trends.model';
import { EscalationTrendsInput } from './dto/trends.input';
import { MAX_CELL_GROUPING } from './trend-cells';
import { LEARNING_THEME_CODES } from './learning-themes';
import {
  COUNT_MEASURES,
  CountMeasure,
  disclosedBuckets,
  guardedPercentile,
  STAGES,
  TrendsBucketOut,
} from './trends';
import { partnershipsByCodes } from './persistence/case-facts.source';
import { trendsFromCells } from './trends-from-cells';
import { trendsFromFacts } from './trends-from-facts';
import {
  AGENCY_COUNT_TTL_MS,
  Deadline,
  MAX_GROUP_BY,
  MAX_YEARS,
  periodEnd,
  periodStart,
  ReadModel,
  TrendsQuery,
} from './trends-query';

export const ANALYTICS_DB = Symbol('ANALYTICS_DB');
export const DISCLOSURE_POOL = Symbol('DISCLOSURE_POOL');
/** The time budget of one answer in milliseconds (ANALYTICS_TIME_BUDGET_MS). */
export const ANALYTICS_TIME_BUDGET = Symbol('ANALYTICS_TIME_BUDGET');

/** One flat row of an export (CSV/JSON): suppressed counts display 'c'. */
export type TrendsExportRow = Record<string, string | number | null>;

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
      row.children = show(b.children);
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
    const partnerships = await partnershipsByCodes(this.db.source, codes);
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
    const read: ReadModel = (work) => this.read(query, deadline, work);
    const { rows, stats } =
      cellDimensions.length <= MAX_CELL_GROUPING
        ? await trendsFromCells(query, read)
        : await trendsFromFacts(query, read);
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
  lazy('children', () => b.count('children'));
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
