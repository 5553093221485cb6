import {
  addDays,
  assertIsoDate,
  assertValidInstant,
  DUE_HOUR,
  formatDate,
  formatLondonInstant,
  londonDate,
  londonDateHour,
  londonDueInstant,
} from './dates';
import type { WorkingCalendar } from './working-calendar';

export { WorkingCalendar } from './working-calendar';
export type { ClosureDay, WorkingCalendarOptions } from './working-calendar';

/** Mirrors the GraphQL `DeadlineExplanation`: every due date carries how it was computed (docs/procedure.md §4). */
export interface DeadlineExplanation {
  /** The instant the clock started (or, for an extension, the due instant being extended). */
  readonly start: Date;
  readonly workingDays: number;
  readonly dueAt: Date;
  readonly explanation: string;
  /** Non-working dates (YYYY-MM-DD) passed over, in order: those skipped to reach day 0, then while counting. */
  readonly skippedDates: string[];
}

export interface ReminderInstants {
  readonly halfway: Date;
  readonly dayBefore: Date | null;
}

/**
 * Upper bound on a count of working days. The policy caps stages at 60; this only stops a corrupt value
 * from looping for ever (10 000 working days is about 40 years).
 */
export const MAX_COUNTABLE_WORKING_DAYS = 10_000;

/** The longest span workingDaysBetween walks day by day (about 40 years); callers bound theirs far lower. */
export const MAX_COUNTABLE_CALENDAR_DAYS = 15_000;

function assertWorkingDays(value: number, name: string): void {
  if (!Number.isInteger(value) || value < 0 || value > MAX_COUNTABLE_WORKING_DAYS) {
    throw new RangeError(`${name} must be an integer from 0 to ${MAX_COUNTABLE_WORKING_DAYS}, got ${value}`);
  }
}

interface Walk {
  /** The date reached. */
  readonly date: string;
  /** Non-working dates passed over on the way. */
  readonly skipped: string[];
}

/** The `count`-th working day after `from` (count 0 is `from` itself), noting what was skipped. */
function walkWorkingDays(calendar: WorkingCalendar, from: string, count: number): Walk {
  const skipped: string[] = [];
  let date = from;
  for (let counted = 0; counted < count;) {
    date = addDays(date, 1);
    if (calendar.isWorkingDay(date)) counted += 1;
    else skipped.push(date);
  }
  return { date, skipped };
}

interface DayZero extends Walk {
  /** Why the opening date itself is not day 0, or null when it is. */
  readonly deferredBecause: string | null;
}

function findDayZero(calendar: WorkingCalendar, start: Date): DayZero {
  const local = londonDateHour(start);
  const openedOn = local.date;
  const reason = calendar.nonWorkingReason(openedOn);
  // "Before 17:00": 16:59:59.999 still counts the opening day; 17:00:00.000 does not.
  if (reason === null && local.hour < DUE_HOUR) return { date: openedOn, skipped: [], deferredBecause: null };
  const next = walkWorkingDays(calendar, openedOn, 1);
  // A non-working opening date is itself one of the dates skipped to find day 0; a working day opened
  // at or after 17:00 is not skipped, it just does not count.
  return {
    date: next.date,
    skipped: reason === null ? next.skipped : [openedOn, ...next.skipped],
    deferredBecause: reason === null ? `at or after ${DUE_HOUR}:00` : 'not a working day',
  };
}

/**
 * Day 0 of a clock started at `start` (docs/procedure.md §4): the opening date if it is a working day and
 * the clock started before 17:00 London time, otherwise the next working day.
 */
export function dayZero(calendar: WorkingCalendar, start: Date): string {
  assertValidInstant(start, 'start');
  return findDayZero(calendar, start).date;
}

/** The `workingDays`-th working day after a calendar date (0 returns the date itself). */
export function addWorkingDays(calendar: WorkingCalendar, date: string, workingDays: number): string {
  assertIsoDate(date);
  assertWorkingDays(workingDays, 'workingDays');
  return walkWorkingDays(calendar, date, workingDays).date;
}

// "Christmas Day (bank holiday)" reads badly inside "Fri 25 Dec (…)", so inner brackets become a comma.
function describeSkipped(calendar: WorkingCalendar, dates: readonly string[]): string {
  return dates
    .map((date) => {
      const reason = (calendar.nonWorkingReason(date) ?? 'not a working day').replace(
        / \(([^)]*)\)/g,
        ', $1',
      );
      return `${formatDate(date)} (${reason})`;
    })
    .join(', ');
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/**
 * When a stage opened at `start` with `workingDays` working days falls due (docs/procedure.md §4):
 * if `start` is on a working day before 17:00 London time that day is day 0, otherwise day 0 is the
 * next working day; the stage is due at 17:00 Europe/London on the N-th working day after day 0
 * (N = 0: 17:00 on day 0). 17:00 is taken in London wall-clock time, so it is 16:00Z in summer time.
 */
export function computeDue(calendar: WorkingCalendar, start: Date, workingDays: number): DeadlineExplanation {
  assertValidInstant(start, 'start');
  assertWorkingDays(workingDays, 'workingDays');
  const zero = findDayZero(calendar, start);
  const due = walkWorkingDays(calendar, zero.date, workingDays);
  const skippedDates = [...zero.skipped, ...due.skipped];

  const parts = [
    `opened ${formatLondonInstant(start)}${zero.deferredBecause ? ` (${zero.deferredBecause})` : ''}`,
  ];
  parts.push(`day 0 ${formatDate(zero.date)}`);
  if (skippedDates.length > 0) parts.push(`skipped ${describeSkipped(calendar, skippedDates)}`);
  parts.push(`counted ${plural(workingDays, 'working day')}`);
  parts.push(`due ${formatDate(due.date, true)} ${DUE_HOUR}:00`);

  return {
    start,
    workingDays,
    dueAt: londonDueInstant(due.date),
    explanation: parts.join('; '),
    skippedDates,
  };
}

/**
 * Working days elapsed between two instants, for analytics (time to first response, to resolution).
 * Defined as the number of working-day 17:00 boundaries passed after day 0 of `from`: the largest N
 * with computeDue(from, N).dueAt <= to (so 17:00 on day 0 itself is not counted), and 0 when `to` is
 * not after `from`. Hence workingDaysBetween(from, computeDue(from, N).dueAt) === N, and a reply
 * before 17:00 on the first working day after day 0 scores 0.
 */
export function workingDaysBetween(calendar: WorkingCalendar, from: Date, to: Date): number {
  assertValidInstant(from, 'from');
  assertValidInstant(to, 'to');
  if (to.getTime() <= from.getTime()) return 0;
  if (to.getTime() - from.getTime() > MAX_COUNTABLE_CALENDAR_DAYS * 86_400_000) {
    throw new RangeError(`from and to are more than ${MAX_COUNTABLE_CALENDAR_DAYS} days apart`);
  }
  // 17:00 on date d is <= `to` exactly when d is before to's London date, or is that date and `to`
  // is at or after 17:00 there; comparing dates avoids building an instant for every day.
  const local = londonDateHour(to);
  const toDate = local.date;
  const lastBoundary = local.hour >= DUE_HOUR ? toDate : addDays(toDate, -1);
  let count = 0;
  for (
    let date = addDays(findDayZero(calendar, from).date, 1);
    date <= lastBoundary;
    date = addDays(date, 1)
  ) {
    if (calendar.isWorkingDay(date)) count += 1;
  }
  return count;
}

/**
 * When to send the two reminders of a stage (docs/procedure.md §4: at 50 % of the working time and 1 WD
 * before due, once each). Exact rule, with N = workingDays and due = computeDue(start, N).dueAt:
 * - halfway = computeDue(start, floor(N / 2)).dueAt, i.e. 17:00 on the floor(N/2)-th working day after
 *   day 0. If that is not strictly between `start` and `due` (only possible for N = 0, where it equals
 *   due), the instant midway between `start` and `due` is used instead, so start < halfway <= due.
 * - dayBefore = 17:00 London on the working day before the due day, or null when that instant is not
 *   after `start` (always the case for N = 0). For N = 1 it coincides with halfway (17:00 on day 0);
 *   both are returned and the caller sends each once.
 */
export function reminderInstants(
  calendar: WorkingCalendar,
  start: Date,
  workingDays: number,
): ReminderInstants {
  const due = computeDue(calendar, start, workingDays).dueAt;
  const candidate = computeDue(calendar, start, Math.floor(workingDays / 2)).dueAt;
  const halfway =
    candidate.getTime() > start.getTime() && candidate.getTime() < due.getTime()
      ? candidate
      : new Date(start.getTime() + Math.floor((due.getTime() - start.getTime()) / 2));
  const dayBefore = londonDueInstant(calendar.previousWorkingDay(londonDate(due)));
  return { halfway, dayBefore: dayBefore.getTime() > start.getTime() ? dayBefore : null };
}

/**
 * Moves a due date by `extraWorkingDays` working days: 17:00 London on the N-th working day after the
 * London date of `currentDue` (N = 0 gives 17:00 on that date). Counting from the due *day* means
 * extendDue(computeDue(s, N).dueAt, M) equals computeDue(s, N + M). Limits on extensions (once, up to
 * 5 WD) are case rules and are not checked here.
 */
export function extendDue(
  calendar: WorkingCalendar,
  currentDue: Date,
  extraWorkingDays: number,
): DeadlineExplanation {
  assertValidInstant(currentDue, 'currentDue');
  assertWorkingDays(extraWorkingDays, 'extraWorkingDays');
  const from = londonDate(currentDue);
  const moved = walkWorkingDays(calendar, from, extraWorkingDays);

  const parts = [`extended from ${formatLondonInstant(currentDue)}`];
  if (moved.skipped.length > 0) parts.push(`skipped ${describeSkipped(calendar, moved.skipped)}`);
  parts.push(`counted ${plural(extraWorkingDays, 'more working day')}`);
  parts.push(`due ${formatDate(moved.date, true)} ${DUE_HOUR}:00`);

  return {
    start: currentDue,
    workingDays: extraWorkingDays,
    dueAt: londonDueInstant(moved.date),
    explanation: parts.join('; '),
    skippedDates: moved.skipped,
  };
}
