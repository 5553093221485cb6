import { isIsoDate, londonDate } from '../calendar/dates';

/**
 * docs/procedure.md §7: identifiers are kept until the later of closure + 7 years and the 25th birthday of the case's
 * youngest child (a case concerns one or more children, purged together).
 */
export const RETENTION_YEARS_AFTER_CLOSURE = 7;
export const RETENTION_UNTIL_AGE = 25;

/**
 * The calendar date `years` whole years after `date` (YYYY-MM-DD). 29 February in a year without one becomes
 * 1 March: of the two candidate days it is the later, so identifiers are never dropped a day early.
 */
export function addYears(date: string, years: number): string {
  if (!isIsoDate(date)) throw new RangeError(`not a date: ${date}`);
  if (!Number.isInteger(years)) throw new RangeError(`not a whole number of years: ${years}`);
  const year = Number(date.slice(0, 4)) + years;
  const monthDay = date.slice(5);
  const candidate = `${String(year).padStart(4, '0')}-${monthDay}`;
  if (monthDay === '02-29' && !isLeapYear(year)) return `${candidate.slice(0, 5)}03-01`;
  return candidate;
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/**
 * The date (Europe/London) from which a closed case's child identifiers may be purged: the latest of the London
 * date of its (latest) closure + 7 years and each child's 25th birthday. Identifiers are kept up to the day before.
 */
export function retentionDate(closedAt: Date, datesOfBirth: readonly string[]): string {
  if (datesOfBirth.length === 0) throw new RangeError('a case concerns at least one child');
  let latest = addYears(londonDate(closedAt), RETENTION_YEARS_AFTER_CLOSURE);
  for (const dateOfBirth of datesOfBirth) {
    const birthday = addYears(dateOfBirth, RETENTION_UNTIL_AGE);
    if (birthday > latest) latest = birthday;
  }
  return latest;
}

/** True when, at `now`, the retention of a case closed at `closedAt` has ended (legal hold aside). */
export function retentionEnded(closedAt: Date, datesOfBirth: readonly string[], now: Date): boolean {
  return londonDate(now) >= retentionDate(closedAt, datesOfBirth);
}

/**
 * The latest closure instant that can have ended its retention by `now` (a superset, for a database pre-filter:
 * 7 years and two days back, whatever the zone or a leap day; `retentionEnded` decides exactly).
 */
export function retentionClosureCutoff(now: Date): Date {
  const cutoff = new Date(now.getTime());
  cutoff.setUTCFullYear(cutoff.getUTCFullYear() - RETENTION_YEARS_AFTER_CLOSURE);
  cutoff.setUTCDate(cutoff.getUTCDate() + 2);
  return cutoff;
}
