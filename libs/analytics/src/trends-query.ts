import { analyticsError } from './analytics-errors';
import type { ApiError } from '@hips/common';
import type { EntityManager } from 'typeorm';
import { TrendDimension, TrendInterval } from './dto/trends.model';

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
export const MAX_YEARS = 25;
/** Read-model rows aggregated in memory per turn of the event loop. */
export const ROWS_PER_TURN = 2000;
/** How long the number of agencies (the values of an agency dimension) is reused before it is read again. */
export const AGENCY_COUNT_TTL_MS = 5 * 60_000;

/** The checked question: partnerships (ids and codes), whole periods, dimensions. */
export interface TrendsQuery {
  partnerships: { id: string; code: string }[];
  from: string;
  to: string;
  interval: TrendInterval;
  groupBy: TrendDimension[];
}

/** When an answer must be ready by. */
export interface Deadline {
  at: number;
  budgetMs: number;
}

/** A read-model query within the answer's deadline (its partnerships, under the analytics role). */
export type ReadModel = <T>(work: (em: EntityManager) => Promise<T>) => Promise<T>;

export function tooManyCells(): ApiError {
  return analyticsError(
    'ANALYTICS_TABLE_TOO_LARGE',
    `the answer would have more than ${MAX_CELLS} cells: use a longer interval, a shorter range or fewer dimensions`,
  );
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
