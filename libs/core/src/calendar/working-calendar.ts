import { bankHolidayOn, type BankHoliday } from './bank-holidays';
import { addDays, assertIsoDate, isoWeekday } from './dates';

/** A day the partnership is closed (e.g. a Christmas shutdown day), with an optional reason for explanations. */
export interface ClosureDay {
  /** YYYY-MM-DD */
  readonly date: string;
  readonly reason?: string | null;
}

export interface WorkingCalendarOptions {
  /** The partnership's own closure days, as plain dates or with reasons. */
  readonly closureDays?: ReadonlyArray<string | ClosureDay>;
}

/**
 * One partnership calendar version: Monday to Friday, minus England and Wales bank holidays
 * (`date-holidays` GB/ENG, public only) and the partnership's closure days (docs/procedure.md §4).
 * Immutable once built, so a case can pin it.
 */
export class WorkingCalendar {
  private readonly closures: ReadonlyMap<string, string | null>;

  constructor(options: WorkingCalendarOptions = {}) {
    const closures = new Map<string, string | null>();
    for (const entry of options.closureDays ?? []) {
      const closure: ClosureDay = typeof entry === 'string' ? { date: entry } : entry;
      assertIsoDate(closure.date); // fail fast: a mistyped closure day would silently count as a working day
      const reason = closure.reason?.trim() || null;
      // A date listed twice keeps the first reason given, so duplicates in imported lists are harmless.
      if (!closures.has(closure.date) || closures.get(closure.date) === null)
        closures.set(closure.date, reason);
    }
    this.closures = closures;
  }

  /** The closure days, sorted, as given (for persisting or displaying a calendar version). */
  get closureDays(): ClosureDay[] {
    return [...this.closures.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([date, reason]) => (reason === null ? { date } : { date, reason }));
  }

  bankHoliday(date: string): BankHoliday | null {
    assertIsoDate(date);
    return bankHolidayOn(date);
  }

  isWorkingDay(date: string): boolean {
    return this.nonWorkingReason(date) === null;
  }

  /**
   * Why a date is not a working day, or null if it is one. The weekend is named first (a holiday on a
   * Saturday is replaced by a substitute weekday, which is the date that matters), then bank holidays,
   * then closure days.
   */
  nonWorkingReason(date: string): string | null {
    const weekday = isoWeekday(date);
    if (weekday === 6) return 'Saturday';
    if (weekday === 7) return 'Sunday';
    const holiday = bankHolidayOn(date);
    if (holiday) return describeBankHoliday(holiday);
    if (this.closures.has(date)) {
      const reason = this.closures.get(date);
      return reason ? `partnership closure day: ${reason}` : 'partnership closure day';
    }
    return null;
  }

  /** The first working day strictly after `date`. */
  nextWorkingDay(date: string): string {
    return this.stepToWorkingDay(date, 1);
  }

  /** The last working day strictly before `date`. */
  previousWorkingDay(date: string): string {
    return this.stepToWorkingDay(date, -1);
  }

  private stepToWorkingDay(date: string, step: 1 | -1): string {
    let day = addDays(date, step);
    // Terminates: closure days are finite and every year has many ordinary weekdays.
    while (!this.isWorkingDay(day)) day = addDays(day, step);
    return day;
  }
}

/**
 * "Christmas Day (bank holiday)", "Summer bank holiday" (already says so),
 * "Boxing Day (substitute bank holiday)".
 */
function describeBankHoliday(holiday: BankHoliday): string {
  if (holiday.substitute) {
    return `${holiday.name.replace(/\s*\(substitute day\)\s*$/i, '')} (substitute bank holiday)`;
  }
  return /bank holiday/i.test(holiday.name) ? holiday.name : `${holiday.name} (bank holiday)`;
}
