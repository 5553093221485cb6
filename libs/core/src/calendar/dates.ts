import { DateTime } from 'luxon';

/** Every deadline in the procedure is reckoned in this zone, whatever the server's zone. */
export const LONDON_ZONE = 'Europe/London';

/** Stages fall due at 17:00 London time (the end of the working day in docs/procedure.md §4). */
export const DUE_HOUR = 17;

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

// Fixed English names: Intl output differs between ICU versions (e.g. en-GB "Sept" vs "Sep"),
// and explanations are stored and compared, so they must not depend on the runtime.
const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

const MS_PER_DAY = 86_400_000;

/**
 * Days since 1970-01-01 for a calendar date (YYYY-MM-DD), throwing RangeError if malformed. Calendar
 * dates are zone-less, so arithmetic on them is plain UTC integer maths: adding a day never meets a
 * DST gap, and it is fast (deadline walks touch every date). Only the final 17:00 instant is placed
 * in Europe/London.
 */
export function toEpochDay(date: string): number {
  if (ISO_DATE.test(date)) {
    const year = Number(date.slice(0, 4));
    const month = Number(date.slice(5, 7));
    const day = Number(date.slice(8, 10));
    const d = new Date(0);
    d.setUTCFullYear(year, month - 1, day); // not Date.UTC, which maps years 0-99 to 1900-1999
    if (d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day) {
      return Math.round(d.getTime() / MS_PER_DAY);
    }
  }
  throw new RangeError(`invalid calendar date "${date}" (expected YYYY-MM-DD)`);
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

export function fromEpochDay(epochDay: number): string {
  const d = new Date(epochDay * MS_PER_DAY);
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/** Validates a calendar date (YYYY-MM-DD), throwing RangeError if it is malformed or does not exist. */
export function assertIsoDate(date: string): void {
  toEpochDay(date);
}

export function isIsoDate(date: string): boolean {
  try {
    toEpochDay(date);
    return true;
  } catch {
    return false;
  }
}

export function addDays(date: string, days: number): string {
  return fromEpochDay(toEpochDay(date) + days);
}

/** 1 = Monday … 7 = Sunday (ISO). 1970-01-01 was a Thursday. */
export function isoWeekday(date: string): number {
  return ((((toEpochDay(date) + 3) % 7) + 7) % 7) + 1;
}

function ymd(date: string): { year: number; month: number; day: number } {
  assertIsoDate(date);
  return { year: Number(date.slice(0, 4)), month: Number(date.slice(5, 7)), day: Number(date.slice(8, 10)) };
}

export function assertValidInstant(instant: Date, name: string): void {
  if (!(instant instanceof Date) || Number.isNaN(instant.getTime())) {
    throw new RangeError(`${name} must be a valid Date`);
  }
}

/** The instant expressed in London wall-clock time. */
export function inLondon(instant: Date): DateTime {
  return DateTime.fromJSDate(instant, { zone: LONDON_ZONE });
}

/** The London calendar date (YYYY-MM-DD) of a London wall-clock time. */
export function dateOfLocal(local: DateTime): string {
  return `${pad(local.year, 4)}-${pad(local.month)}-${pad(local.day)}`;
}

const HOUR_MS = 3_600_000;
const dateHourCache = new Map<number, { readonly date: string; readonly hour: number }>();

/**
 * The London calendar date and hour of an instant. UK offsets are whole hours and change on the hour (01:00
 * UTC), so both are the same for every instant of one UTC hour: they are cached by UTC hour, which makes bulk
 * work (the analytics rebuild converts millions of instants) cheap.
 */
export function londonDateHour(instant: Date): { readonly date: string; readonly hour: number } {
  const utcHour = Math.floor(instant.getTime() / HOUR_MS);
  let found = dateHourCache.get(utcHour);
  if (found === undefined) {
    const local = inLondon(new Date(utcHour * HOUR_MS));
    found = { date: dateOfLocal(local), hour: local.hour };
    if (dateHourCache.size >= 200_000) dateHourCache.clear();
    dateHourCache.set(utcHour, found);
  }
  return found;
}

/** The London calendar date (YYYY-MM-DD) on which the instant falls. */
export function londonDate(instant: Date): string {
  assertValidInstant(instant, 'instant');
  return londonDateHour(instant).date;
}

/** 17:00 London time on a calendar date; 17:00 always exists (UK clocks change at 01:00/02:00). */
export function londonDueInstant(date: string): Date {
  const { year, month, day } = ymd(date);
  return DateTime.fromObject({ year, month, day, hour: DUE_HOUR }, { zone: LONDON_ZONE }).toJSDate();
}

/** "Fri 22 Aug" (withYear: "Fri 22 Aug 2025"). */
export function formatDate(date: string, withYear = false): string {
  const { year, month, day } = ymd(date);
  const text = `${WEEKDAYS[isoWeekday(date) - 1]} ${day} ${MONTHS[month - 1]}`;
  return withYear ? `${text} ${year}` : text;
}

/** "Fri 22 Aug 2025 16:40" in London time. */
export function formatLondonInstant(instant: Date): string {
  const local = inLondon(instant);
  return `${formatDate(dateOfLocal(local), true)} ${pad(local.hour)}:${pad(local.minute)}`;
}
