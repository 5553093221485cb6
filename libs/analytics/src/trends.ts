import {
  Cell,
  discloseRows,
  Disclosed,
  DisclosedCount,
  Sum,
  SUPPRESSED,
  SUPPRESSION_THRESHOLD,
} from './disclosure';
import { discloseChildren } from './children-disclosure';
import { LEARNING_THEME_CODES } from './learning-themes';

/**
 * Assembling a trends answer from aggregated rows, with disclosure control. Pure: the SQL (analytics.service.ts)
 * gives rows at the finest grain asked for; each count measure is suppressed on its own table (libs/core
 * suppressCrossTable, the hypercube method), whose cells are
 * those rows and whose published sums are every margin (each subset of the dimensions, the period included):
 * any margin is what a coarser query would show, so the answer is protected against differencing with them.
 */

export const STAGES = [0, 1, 2, 3, 4];

/** Count measures, each a column of the aggregate rows. */
export const COUNT_MEASURES = [
  'raised',
  'resolved',
  'breachedStages',
  'stagesOpened',
  'extensions',
  'stage0Used',
  'resolvedAtStage0',
  'reopened',
  'systemicFlags',
  'children',
  // Per closing stage; not named resolvedAtStage<n>: resolvedAtStage0 above is a measure of its own.
  ...STAGES.map((s) => `resolvedAt:${s}`),
  ...LEARNING_THEME_CODES.map((t) => `theme:${t}`),
] as const;
export type CountMeasure = string;

/** One aggregate row: its coordinates (period first, then one value per dimension) and its counts. */
export interface AggregateRow {
  coordinates: string[];
  counts: Record<CountMeasure, number>;
}

/** Percentiles at the answer's grain (computed by the database, type 7 as percentile_cont). */
export interface BucketStats {
  resolvedWithDays: number;
  medianResolution: number | null;
  p90Resolution: number | null;
  respondedWithDays: number;
  medianFirstResponse: number | null;
  p90FirstResponse: number | null;
}

export interface TrendsTableInput {
  /** Names of the coordinates after the period (e.g. ['PARTNERSHIP', 'CATEGORY']). */
  dimensions: string[];
  /** Finest-grain rows. */
  rows: AggregateRow[];
  /**
   * Indexes (into the coordinates, 0 = period) of what the answer shows; coordinates left out are summed over
   * (a HIPS-wide answer over several partnerships without the PARTNERSHIP dimension).
   */
  shown: number[];
  /** By the key of the shown coordinates (keyOf). */
  stats: Map<string, BucketStats>;
  threshold?: number;
}

export interface TrendsBucketOut {
  coordinates: string[];
  count(measure: CountMeasure): DisclosedCount;
  stats: BucketStats;
}

const EMPTY_STATS: BucketStats = {
  resolvedWithDays: 0,
  medianResolution: null,
  p90Resolution: null,
  respondedWithDays: 0,
  medianFirstResponse: null,
  p90FirstResponse: null,
};

/** Minimum number of values for a median or 90th percentile (procedure: fewer than 6 → null). */
export const MIN_PERCENTILE_COUNT = 6;

export function keyOf(values: readonly (string | null)[]): string {
  return JSON.stringify(values);
}

/** Every proper subset of 0..n-1 (as index lists), the empty one (grand total) included. */
function properSubsets(n: number): number[][] {
  const out: number[][] = [];
  for (let mask = 0; mask < (1 << n) - 1; mask++) {
    out.push([...Array(n).keys()].filter((i) => mask & (1 << i)));
  }
  return out;
}

/** Disclosure control of one measure over the rows (cells keyed as measureTable's, margins `sum:...`). */
export function discloseMeasure(
  rows: AggregateRow[],
  measure: CountMeasure,
  threshold = SUPPRESSION_THRESHOLD,
): Disclosed {
  return discloseRows(
    rows.map((r) => ({ coordinates: r.coordinates, count: r.counts[measure] ?? 0 })),
    threshold,
  );
}

/**
 * The disclosure table of one measure: cells, and every margin as a published sum (what an attacker sees of
 * an answer and all coarser ones; the tests attack it).
 */
export function measureTable(rows: AggregateRow[], measure: CountMeasure): { cells: Cell[]; sums: Sum[] } {
  const cells = rows.map((r) => ({ key: keyOf(r.coordinates), count: r.counts[measure] ?? 0 }));
  const n = rows[0]?.coordinates.length ?? 0;
  const sums: Sum[] = [];
  for (const kept of properSubsets(n)) {
    const groups = new Map<string, string[]>();
    for (const r of rows) {
      const key = keyOf(r.coordinates.map((v, i) => (kept.includes(i) ? v : null)));
      const group = groups.get(key);
      if (group) group.push(keyOf(r.coordinates));
      else groups.set(key, [keyOf(r.coordinates)]);
    }
    for (const [key, cellKeys] of groups) sums.push({ key: `sum:${key}`, cellKeys });
  }
  return { cells, sums };
}

/**
 * The answer's buckets, in period then dimension order. Counts are suppressed lazily, one measure at a time
 * (an answer that asks only for `raised` pays only for its table).
 */
export function assembleTrends(input: TrendsTableInput): { threshold: number; buckets: TrendsBucketOut[] } {
  const threshold = input.threshold ?? SUPPRESSION_THRESHOLD;
  const n = input.rows[0]?.coordinates.length ?? 0;
  const all = input.shown.length === n;
  const disclosed = new Map<CountMeasure, Disclosed>();
  const tableOf = (measure: CountMeasure): Disclosed => {
    let table = disclosed.get(measure);
    if (!table) {
      table =
        measure === 'children'
          ? discloseChildren(
              input.rows.map((r) => ({
                coordinates: r.coordinates,
                key: keyOf(r.coordinates),
                count: r.counts.children ?? 0,
              })),
              tableOf('raised'),
              threshold,
            )
          : discloseMeasure(input.rows, measure, threshold);
      disclosed.set(measure, table);
    }
    return table;
  };
  const buckets = new Map<string, string[]>();
  for (const r of input.rows) {
    const coordinates = input.shown.map((i) => r.coordinates[i]);
    buckets.set(keyOf(coordinates), coordinates);
  }
  const ordered = [...buckets.values()].sort((a, b) => compareCoordinates(a, b));
  return {
    threshold,
    buckets: ordered.map((coordinates) => {
      const cellKey = keyOf(coordinates);
      const sumKey = `sum:${keyOf(
        [...Array(n).keys()].map((i) => {
          const at = input.shown.indexOf(i);
          return at === -1 ? null : coordinates[at];
        }),
      )}`;
      return {
        coordinates,
        stats: input.stats.get(cellKey) ?? EMPTY_STATS,
        count: (measure) => {
          const table = tableOf(measure);
          const found = all ? table.cells.get(cellKey) : table.sums.get(sumKey);
          // Children are people: hidden wherever the bucket's case count is (docs/api/analytics.md).
          if (measure === 'children' && found && !found.suppressed) {
            const raised = tableOf('raised');
            if ((all ? raised.cells.get(cellKey) : raised.sums.get(sumKey))?.suppressed)
              return { value: null, suppressed: true, display: SUPPRESSED };
          }
          return found ?? { value: 0, suppressed: false, display: '0' };
        },
      };
    }),
  };
}

function compareCoordinates(a: string[], b: string[]): number {
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  }
  return 0;
}

/** A percentile shown only when its count is at least 6 and not suppressed. */
export function guardedPercentile(value: number | null, n: number, count: DisclosedCount): number | null {
  if (value === null || n < MIN_PERCENTILE_COUNT || count.suppressed) return null;
  return Math.round(value * 100) / 100;
}

/**
 * One answer's disclosure control, as run on a disclosure thread (trends.worker.ts): the rows, which coordinates
 * the answer shows, and the measures it needs (every other measure's table is never computed).
 */
export interface DisclosureTask {
  dimensions: string[];
  rows: AggregateRow[];
  shown: number[];
  measures: CountMeasure[];
  threshold?: number;
}

/** A disclosed answer in a compact form (cheap to pass between threads). */
export interface DisclosedTrends {
  threshold: number;
  /** Each bucket's coordinates, in answer order. */
  coordinates: string[][];
  measures: CountMeasure[];
  /** values[bucket × measures.length + measure]: the count, or -1 where suppressed. */
  values: Int32Array;
}

/** Suppresses the task's measures eagerly (assembleTrends does it lazily, on the calling thread). */
export function discloseTrends(task: DisclosureTask): DisclosedTrends {
  const assembled = assembleTrends({ ...task, stats: new Map() });
  const m = task.measures.length;
  const values = new Int32Array(assembled.buckets.length * m);
  assembled.buckets.forEach((bucket, b) => {
    task.measures.forEach((measure, i) => {
      const count = bucket.count(measure);
      values[b * m + i] = count.suppressed ? -1 : (count.value ?? 0);
    });
  });
  return {
    threshold: assembled.threshold,
    coordinates: assembled.buckets.map((b) => b.coordinates),
    measures: task.measures,
    values,
  };
}

/** The buckets of a disclosed answer, with their percentiles; reading a measure not disclosed is a bug. */
export function disclosedBuckets(
  disclosed: DisclosedTrends,
  stats: Map<string, BucketStats>,
): TrendsBucketOut[] {
  const m = disclosed.measures.length;
  const column = new Map(disclosed.measures.map((measure, i) => [measure, i]));
  return disclosed.coordinates.map((coordinates, b) => ({
    coordinates,
    stats: stats.get(keyOf(coordinates)) ?? EMPTY_STATS,
    count: (measure) => {
      const i = column.get(measure);
      if (i === undefined) throw new Error(`measure ${measure} was not disclosed for this answer`);
      const value = disclosed.values[b * m + i];
      return value < 0
        ? { value: null, suppressed: true, display: SUPPRESSED }
        : { value, suppressed: false, display: String(value) };
    },
  }));
}

/** The count measures each TrendBucket field reads (percentiles read the count they are guarded by). */
const MEASURES_OF_FIELD: Record<string, readonly CountMeasure[]> = {
  raised: ['raised'],
  resolved: ['resolved'],
  breachedStages: ['breachedStages'],
  stagesOpened: ['stagesOpened'],
  extensions: ['extensions'],
  stage0Used: ['stage0Used'],
  resolvedAtStage0: ['resolvedAtStage0'],
  reopened: ['reopened'],
  systemicFlags: ['systemicFlags'],
  children: ['raised', 'children'],
  medianWorkingDaysToResolution: ['resolved'],
  p90WorkingDaysToResolution: ['resolved'],
  medianWorkingDaysToFirstResponse: ['raised'],
  p90WorkingDaysToFirstResponse: ['raised'],
  resolvedAtStage: STAGES.map((s) => `resolvedAt:${s}`),
  learningThemes: LEARNING_THEME_CODES.map((t) => `theme:${t}`),
};

/** The measures an answer showing these TrendBucket fields needs, in COUNT_MEASURES order. */
export function measuresOfFields(fields: Iterable<string>): CountMeasure[] {
  const needed = new Set<CountMeasure>();
  for (const field of fields) for (const measure of MEASURES_OF_FIELD[field] ?? []) needed.add(measure);
  return COUNT_MEASURES.filter((measure) => needed.has(measure));
}
