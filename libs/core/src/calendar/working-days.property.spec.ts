import fc from 'fast-check';
import Holidays from 'date-holidays';
import { DateTime } from 'luxon';
import { computeDue, extendDue, reminderInstants, WorkingCalendar, workingDaysBetween } from './working-days';

// An independent oracle for "working day", straight from the rule in docs/procedure.md §4, so the
// properties do not trust the calendar under test.
const holidays = new Holidays('GB', 'ENG');
const publicHolidays = new Map<number, Set<string>>();
function isBankHoliday(date: string): boolean {
  const year = Number(date.slice(0, 4));
  let set = publicHolidays.get(year);
  if (!set) {
    set = new Set(
      holidays
        .getHolidays(year)
        .filter((h) => h.type === 'public')
        .map((h) => h.date.slice(0, 10)),
    );
    publicHolidays.set(year, set);
  }
  return set.has(date);
}
function isWorking(date: string, closures: ReadonlySet<string>): boolean {
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay(); // 0 = Sunday, 6 = Saturday
  return weekday !== 0 && weekday !== 6 && !isBankHoliday(date) && !closures.has(date);
}
const londonOf = (d: Date): DateTime => DateTime.fromJSDate(d, { zone: 'Europe/London' });
const dateOf = (d: Date): string => londonOf(d).toISODate() as string;

const RUNS = { numRuns: 300 };

// Starts spread over years with every kind of holiday and both clock changes, at any minute.
const startArb = fc.date({
  min: new Date('2024-01-01T00:00:00Z'),
  max: new Date('2032-12-31T00:00:00Z'),
  noInvalidDate: true,
});
const nArb = fc.integer({ min: 0, max: 60 });
// Closure days near the start, so they actually get in the way.
const scenarioArb = fc.record({
  start: startArb,
  n: nArb,
  closureOffsets: fc.uniqueArray(fc.integer({ min: 0, max: 40 }), { maxLength: 6 }),
});
function calendarFor(
  start: Date,
  offsets: readonly number[],
): { calendar: WorkingCalendar; closures: Set<string> } {
  const base = DateTime.fromISO(dateOf(start), { zone: 'utc' });
  const closures = new Set(offsets.map((o) => base.plus({ days: o }).toISODate() as string));
  return { calendar: new WorkingCalendar({ closureDays: [...closures] }), closures };
}

describe('computeDue properties', () => {
  it('is 17:00 London on a working day, after the start, with exactly N working days after day 0', () => {
    fc.assert(
      fc.property(scenarioArb, ({ start, n, closureOffsets }) => {
        const { calendar, closures } = calendarFor(start, closureOffsets);
        const { dueAt, skippedDates } = computeDue(calendar, start, n);
        const due = londonOf(dueAt);
        expect([due.hour, due.minute, due.second, due.millisecond]).toEqual([17, 0, 0, 0]);
        const dueDate = dateOf(dueAt);
        expect(isWorking(dueDate, closures)).toBe(true);
        expect(dueAt.getTime()).toBeGreaterThan(start.getTime());

        // Day 0 by the rule, then count working days in (day 0, due date].
        const opened = londonOf(start);
        const openedOn = opened.toISODate() as string;
        const nextDay = (date: string): string =>
          new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
        let day = openedOn;
        const skipped: string[] = [];
        if (!(isWorking(openedOn, closures) && opened.hour < 17)) {
          if (!isWorking(openedOn, closures)) skipped.push(openedOn);
          day = nextDay(day);
          while (!isWorking(day, closures)) {
            skipped.push(day);
            day = nextDay(day);
          }
        }
        let counted = 0;
        while (day < dueDate) {
          day = nextDay(day);
          if (isWorking(day, closures)) counted += 1;
          else skipped.push(day);
        }
        expect(counted).toBe(n);
        expect(skippedDates).toEqual(skipped);
      }),
      RUNS,
    );
  });

  it('is strictly increasing in N', () => {
    fc.assert(
      fc.property(startArb, nArb, (start, n) => {
        const calendar = new WorkingCalendar();
        expect(computeDue(calendar, start, n + 1).dueAt.getTime()).toBeGreaterThan(
          computeDue(calendar, start, n).dueAt.getTime(),
        );
      }),
      RUNS,
    );
  });

  it('never moves earlier when the start moves later', () => {
    fc.assert(
      fc.property(startArb, fc.integer({ min: 0, max: 14 * 24 * 60 }), nArb, (start, minutesLater, n) => {
        const calendar = new WorkingCalendar();
        const later = new Date(start.getTime() + minutesLater * 60_000);
        expect(computeDue(calendar, later, n).dueAt.getTime()).toBeGreaterThanOrEqual(
          computeDue(calendar, start, n).dueAt.getTime(),
        );
      }),
      RUNS,
    );
  });

  it('extendDue(computeDue(start, N), M) = computeDue(start, N + M)', () => {
    fc.assert(
      fc.property(scenarioArb, fc.integer({ min: 0, max: 20 }), ({ start, n, closureOffsets }, m) => {
        const { calendar } = calendarFor(start, closureOffsets);
        const extended = extendDue(calendar, computeDue(calendar, start, n).dueAt, m);
        expect(extended.dueAt.toISOString()).toBe(computeDue(calendar, start, n + m).dueAt.toISOString());
      }),
      RUNS,
    );
  });

  it('workingDaysBetween(start, computeDue(start, N)) = N, and N - 1 a moment earlier', () => {
    fc.assert(
      fc.property(scenarioArb, ({ start, n, closureOffsets }) => {
        const { calendar } = calendarFor(start, closureOffsets);
        const { dueAt } = computeDue(calendar, start, n);
        expect(workingDaysBetween(calendar, start, dueAt)).toBe(n);
        if (n > 0) expect(workingDaysBetween(calendar, start, new Date(dueAt.getTime() - 1))).toBe(n - 1);
      }),
      RUNS,
    );
  });

  it('puts reminders between the start and the due instant', () => {
    fc.assert(
      fc.property(scenarioArb, ({ start, n, closureOffsets }) => {
        const { calendar } = calendarFor(start, closureOffsets);
        const { dueAt } = computeDue(calendar, start, n);
        const { halfway, dayBefore } = reminderInstants(calendar, start, n);
        expect(halfway.getTime()).toBeGreaterThan(start.getTime());
        expect(halfway.getTime()).toBeLessThanOrEqual(dueAt.getTime());
        if (n === 0) expect(dayBefore).toBeNull();
        else {
          expect(dayBefore).not.toBeNull();
          expect(dayBefore!.getTime()).toBeGreaterThan(start.getTime());
          expect(dayBefore!.getTime()).toBeLessThan(dueAt.getTime());
          expect(halfway.getTime()).toBeLessThanOrEqual(dayBefore!.getTime());
        }
      }),
      RUNS,
    );
  });
});
