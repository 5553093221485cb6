import { AgencyType, UrgencyEnum } from '@hips/common';
import { DisagreementCategory, LevelOfNeed, OutcomeCode } from '@hips/escalations';
import { TrendDimension, TrendInterval } from './dto/trends.model';

/**
 * How big a trends table may be (docs/security/heavy-work.md). Disclosure control of a table costs far more than
 * reading it (every cell and margin of every measure), so a table is refused by its size *before* anything is
 * read or computed: the size of the table asked for is the number of periods times the number of values of each
 * dimension, which the request alone gives (agency dimensions: the number of agencies known to the read model).
 */

/** The most cells a table asked for may span (periods × values of each dimension). */
export const MAX_TABLE_CELLS = 100_000;

const enumSize = (e: object): number => Object.keys(e).length;

/** The number of values of each dimension, or the request's count that gives it. */
const VALUES: Record<TrendDimension, number | 'partnerships' | 'agencies'> = {
  PARTNERSHIP: 'partnerships',
  RAISING_AGENCY: 'agencies',
  RESPONDING_AGENCY: 'agencies',
  RAISING_AGENCY_TYPE: enumSize(AgencyType),
  RESPONDING_AGENCY_TYPE: enumSize(AgencyType),
  CATEGORY: enumSize(DisagreementCategory),
  URGENCY: enumSize(UrgencyEnum),
  LEVEL_OF_NEED: enumSize(LevelOfNeed),
  // Stages 0 to 4.
  HIGHEST_STAGE: 5,
  // Every outcome, and OPEN for cases without one.
  OUTCOME: enumSize(OutcomeCode) + 1,
};

export function isAgencyDimension(d: TrendDimension): boolean {
  return VALUES[d] === 'agencies';
}

const MONTHS: Record<TrendInterval, number> = { MONTH: 1, QUARTER: 3, YEAR: 12 };

/** Months in one period of the interval. */
export function monthsPerPeriod(interval: TrendInterval): number {
  return MONTHS[interval];
}

/** Periods from the one containing `from` to the one containing `to` (dates YYYY-MM-DD, from <= to). */
export function periodCount(from: string, to: string, interval: TrendInterval): number {
  const month = (d: string) => Number(d.slice(0, 4)) * 12 + Number(d.slice(5, 7)) - 1;
  const size = MONTHS[interval];
  return Math.floor(month(to) / size) - Math.floor(month(from) / size) + 1;
}

export interface TableShape {
  from: string;
  to: string;
  interval: TrendInterval;
  groupBy: readonly TrendDimension[];
  /** Partnerships asked for (the values of PARTNERSHIP). */
  partnerships: number;
  /** Agencies the read model knows, plus one for "Unknown agency" (the values of an agency dimension). */
  agencies: number;
}

/** The cells of the table asked for: periods × the values of each dimension (an upper bound of what is read). */
export function estimateTableCells(shape: TableShape): number {
  let cells = periodCount(shape.from, shape.to, shape.interval);
  for (const d of shape.groupBy) {
    const values = VALUES[d];
    cells *= typeof values === 'number' ? values : shape[values];
  }
  return cells;
}
