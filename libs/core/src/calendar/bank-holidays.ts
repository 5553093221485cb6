import Holidays from 'date-holidays';

/** A bank holiday in England and Wales, as published by `date-holidays` (offline data). */
export interface BankHoliday {
  /** YYYY-MM-DD */
  readonly date: string;
  /** e.g. "Christmas Day", "Summer bank holiday", "Boxing Day (substitute day)" */
  readonly name: string;
  /** True for a weekday that replaces a holiday falling at the weekend. */
  readonly substitute: boolean;
}

// The data is static for a given package version, so one lazily built source and a per-year cache
// are shared by every calendar: this is memoisation, not state that changes any result.
let source: Holidays | null = null;
const byYear = new Map<number, ReadonlyMap<string, BankHoliday>>();

/** Bank holidays of one year, keyed by date. Observances (Mother's Day, Easter Sunday) are excluded. */
export function bankHolidaysOf(year: number): ReadonlyMap<string, BankHoliday> {
  if (!Number.isInteger(year)) throw new RangeError(`invalid year ${year}`);
  let cached = byYear.get(year);
  if (!cached) {
    source ??= new Holidays('GB', 'ENG');
    const map = new Map<string, BankHoliday>();
    for (const holiday of source.getHolidays(year)) {
      // `type === 'public'` only: the library also returns observances that are ordinary working days.
      if (holiday.type !== 'public') continue;
      // `date` is local to the country ("2026-12-25 00:00:00"); `start` is a UTC instant and may be the day before.
      const date = holiday.date.slice(0, 10);
      map.set(date, { date, name: holiday.name, substitute: holiday.substitute === true });
    }
    cached = map;
    byYear.set(year, cached);
  }
  return cached;
}

/** The bank holiday on a date (YYYY-MM-DD), if any. */
export function bankHolidayOn(date: string): BankHoliday | null {
  return bankHolidaysOf(Number(date.slice(0, 4))).get(date) ?? null;
}
