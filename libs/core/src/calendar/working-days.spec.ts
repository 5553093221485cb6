import { DateTime } from 'luxon';
import {
  addWorkingDays,
  computeDue,
  dayZero,
  extendDue,
  reminderInstants,
  WorkingCalendar,
  workingDaysBetween,
} from './working-days';

// Inputs are London wall-clock times (what a user sees); expected values are written as UTC instants
// worked out by hand: GMT = UTC in winter, BST = UTC+1 from 28 Mar 2027 01:00Z to 31 Oct 2027 01:00Z
// (and 30 Mar - 26 Oct 2025), so 17:00 London is 17:00Z in winter and 16:00Z in summer.
const london = (local: string): Date => {
  const dt = DateTime.fromISO(local, { zone: 'Europe/London' });
  if (!dt.isValid) throw new Error(`bad test time ${local}`);
  return dt.toJSDate();
};
const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

const plain = new WorkingCalendar();

describe('WorkingCalendar', () => {
  it.each([
    ['2026-12-24', null],
    ['2026-12-25', 'Christmas Day (bank holiday)'],
    ['2026-12-26', 'Saturday'], // Boxing Day falls on a Saturday …
    ['2026-12-27', 'Sunday'],
    ['2026-12-28', 'Boxing Day (substitute bank holiday)'], // … so Monday is the substitute
    ['2026-12-29', null],
    ['2027-01-01', "New Year's Day (bank holiday)"],
    ['2027-01-04', null],
    ['2027-03-26', 'Good Friday (bank holiday)'],
    ['2027-03-28', 'Sunday'], // Easter Sunday is an observance, not a bank holiday
    ['2027-03-29', 'Easter Monday (bank holiday)'],
    ['2027-03-30', null],
    ['2027-05-03', 'Early May bank holiday'],
    ['2027-05-31', 'Spring bank holiday'],
    ['2027-08-30', 'Summer bank holiday'],
    ['2027-12-25', 'Saturday'],
    ['2027-12-27', 'Christmas Day (substitute bank holiday)'],
    ['2027-12-28', 'Boxing Day (substitute bank holiday)'],
    ['2028-01-03', "New Year's Day (substitute bank holiday)"],
    ['2027-07-14', null], // an ordinary Wednesday without a closure
  ])('nonWorkingReason(%s) = %p', (date, reason) => {
    expect(plain.nonWorkingReason(date)).toBe(reason);
    expect(plain.isWorkingDay(date)).toBe(reason === null);
  });

  it('names closure days, with or without a reason, after bank holidays', () => {
    const calendar = new WorkingCalendar({
      closureDays: [{ date: '2027-07-14', reason: 'staff training' }, '2027-07-15', '2027-12-27'],
    });
    expect(calendar.nonWorkingReason('2027-07-14')).toBe('partnership closure day: staff training');
    expect(calendar.nonWorkingReason('2027-07-15')).toBe('partnership closure day');
    expect(calendar.nonWorkingReason('2027-12-27')).toBe('Christmas Day (substitute bank holiday)');
    expect(calendar.closureDays).toEqual([
      { date: '2027-07-14', reason: 'staff training' },
      { date: '2027-07-15' },
      { date: '2027-12-27' },
    ]);
  });

  it("ignores observances: Easter Sunday and Mother's Day are not bank holidays", () => {
    expect(plain.bankHoliday('2027-03-28')).toBeNull();
    expect(plain.bankHoliday('2027-03-07')).toBeNull();
    expect(plain.bankHoliday('2027-03-29')).toEqual({
      date: '2027-03-29',
      name: 'Easter Monday',
      substitute: false,
    });
    expect(plain.bankHoliday('2026-12-28')).toEqual({
      date: '2026-12-28',
      name: 'Boxing Day (substitute day)',
      substitute: true,
    });
  });

  it('rejects malformed dates', () => {
    expect(() => new WorkingCalendar({ closureDays: ['2027-02-30'] })).toThrow(RangeError);
    expect(() => new WorkingCalendar({ closureDays: ['14/07/2027'] })).toThrow(RangeError);
    expect(() => plain.nonWorkingReason('2027-7-14')).toThrow(RangeError);
  });

  it('steps to the next and previous working day across Christmas and New Year', () => {
    expect(plain.nextWorkingDay('2026-12-24')).toBe('2026-12-29');
    expect(plain.previousWorkingDay('2026-12-29')).toBe('2026-12-24');
    expect(plain.nextWorkingDay('2026-12-31')).toBe('2027-01-04');
    expect(addWorkingDays(plain, '2026-12-24', 0)).toBe('2026-12-24');
    expect(addWorkingDays(plain, '2026-12-24', 4)).toBe('2027-01-04');
  });
});

describe('computeDue: the examples in procedure.md §4', () => {
  it('opened Mon 10:00, 5 WD → the next Mon 17:00', () => {
    const due = computeDue(plain, london('2025-09-08T10:00'), 5);
    expect(iso(due.dueAt)).toBe('2025-09-15T16:00:00.000Z'); // Mon 15 Sep, BST
    expect(due.skippedDates).toEqual(['2025-09-13', '2025-09-14']);
  });

  it('opened Fri 16:40, 3 WD with the Monday a bank holiday → Thu 17:00, explained', () => {
    const start = london('2025-08-22T16:40');
    const due = computeDue(plain, start, 3);
    expect(iso(due.dueAt)).toBe('2025-08-28T16:00:00.000Z');
    expect(due.skippedDates).toEqual(['2025-08-23', '2025-08-24', '2025-08-25']);
    expect(due.start).toBe(start);
    expect(due.workingDays).toBe(3);
    expect(due.explanation).toBe(
      'opened Fri 22 Aug 2025 16:40; day 0 Fri 22 Aug; skipped Sat 23 Aug (Saturday), Sun 24 Aug (Sunday), ' +
        'Mon 25 Aug (Summer bank holiday); counted 3 working days; due Thu 28 Aug 2025 17:00',
    );
  });

  it('opened Fri 18:00, 3 WD (no holiday) → Thu 17:00, explained', () => {
    const due = computeDue(plain, london('2025-09-12T18:00'), 3);
    expect(iso(due.dueAt)).toBe('2025-09-18T16:00:00.000Z');
    expect(due.skippedDates).toEqual(['2025-09-13', '2025-09-14']);
    expect(due.explanation).toBe(
      'opened Fri 12 Sep 2025 18:00 (at or after 17:00); day 0 Mon 15 Sep; skipped Sat 13 Sep (Saturday), ' +
        'Sun 14 Sep (Sunday); counted 3 working days; due Thu 18 Sep 2025 17:00',
    );
  });
});

describe('computeDue: a table of real dates', () => {
  const closures = new WorkingCalendar({
    closureDays: [{ date: '2027-07-14', reason: 'staff training' }, '2027-12-29', '2027-12-30', '2027-12-31'],
  });

  it.each<[string, WorkingCalendar, string, number, string, string[]]>([
    // Christmas 2026: Fri 25 Christmas, Sat 26 Boxing Day, Mon 28 substitute.
    [
      'Christmas Eve, over Christmas',
      plain,
      '2026-12-24T10:00',
      3,
      '2026-12-31T17:00:00.000Z',
      ['2026-12-25', '2026-12-26', '2026-12-27', '2026-12-28'],
    ],
    [
      'opened on Christmas Day',
      plain,
      '2026-12-25T09:00',
      1,
      '2026-12-30T17:00:00.000Z',
      ['2026-12-25', '2026-12-26', '2026-12-27', '2026-12-28'],
    ],
    [
      'over New Year 2027 (Fri 1 Jan)',
      plain,
      '2026-12-30T12:00',
      2,
      '2027-01-04T17:00:00.000Z',
      ['2027-01-01', '2027-01-02', '2027-01-03'],
    ],
    // Easter 2027: Good Friday 26 Mar, clocks forward Sun 28 Mar, Easter Monday 29 Mar.
    [
      'Easter, opened in GMT, due in BST',
      plain,
      '2027-03-25T15:00',
      2,
      '2027-03-31T16:00:00.000Z',
      ['2027-03-26', '2027-03-27', '2027-03-28', '2027-03-29'],
    ],
    [
      'winter 1 WD just before the clocks change',
      plain,
      '2027-03-24T10:00',
      1,
      '2027-03-25T17:00:00.000Z',
      [],
    ],
    [
      'across Good Friday and the spring clock change',
      plain,
      '2027-03-24T10:00',
      2,
      '2027-03-30T16:00:00.000Z',
      ['2027-03-26', '2027-03-27', '2027-03-28', '2027-03-29'],
    ],
    [
      'opened on the night the clocks go forward',
      plain,
      '2027-03-28T03:00',
      1,
      '2027-03-31T16:00:00.000Z',
      ['2027-03-28', '2027-03-29'],
    ],
    // Early May, Spring and Summer bank holidays 2027.
    [
      'Early May bank holiday',
      plain,
      '2027-04-30T10:00',
      1,
      '2027-05-04T16:00:00.000Z',
      ['2027-05-01', '2027-05-02', '2027-05-03'],
    ],
    [
      'Spring bank holiday',
      plain,
      '2027-05-28T12:00',
      2,
      '2027-06-02T16:00:00.000Z',
      ['2027-05-29', '2027-05-30', '2027-05-31'],
    ],
    [
      'Summer bank holiday (Fri 16:40, 3 WD)',
      plain,
      '2027-08-27T16:40',
      3,
      '2027-09-02T16:00:00.000Z',
      ['2027-08-28', '2027-08-29', '2027-08-30'],
    ],
    // Clocks go back Sun 31 Oct 2027.
    ['0 WD on the last BST Friday', plain, '2027-10-29T10:00', 0, '2027-10-29T16:00:00.000Z', []],
    [
      '1 WD across the autumn clock change',
      plain,
      '2027-10-29T10:00',
      1,
      '2027-11-01T17:00:00.000Z',
      ['2027-10-30', '2027-10-31'],
    ],
    // 16:30Z on 29 Oct is 17:30 BST: after the cut-off in London although before 17:00 UTC.
    [
      '16:30Z in summer is after 17:00 London',
      plain,
      '2027-10-29T17:30',
      1,
      '2027-11-02T17:00:00.000Z',
      ['2027-10-30', '2027-10-31'],
    ],
    // Closure days.
    [
      'a closure day in the count',
      closures,
      '2027-07-12T10:00',
      3,
      '2027-07-16T16:00:00.000Z',
      ['2027-07-14'],
    ],
    ['same dates without the closure', plain, '2027-07-12T10:00', 3, '2027-07-15T16:00:00.000Z', []],
    ['opened on a closure day', closures, '2027-07-14T10:00', 0, '2027-07-15T16:00:00.000Z', ['2027-07-14']],
    [
      'Christmas 2027 shutdown into the New Year substitute day',
      closures,
      '2027-12-24T10:00',
      1,
      '2028-01-04T17:00:00.000Z',
      [
        '2027-12-25',
        '2027-12-26',
        '2027-12-27',
        '2027-12-28',
        '2027-12-29',
        '2027-12-30',
        '2027-12-31',
        '2028-01-01',
        '2028-01-02',
        '2028-01-03',
      ],
    ],
    // The 17:00 cut-off, winter (Tue 12 Jan 2027) and summer (Tue 13 Jul 2027).
    ['16:59 counts the day', plain, '2027-01-12T16:59', 1, '2027-01-13T17:00:00.000Z', []],
    ['16:59:59.999 counts the day', plain, '2027-01-12T16:59:59.999', 1, '2027-01-13T17:00:00.000Z', []],
    ['17:00 does not', plain, '2027-01-12T17:00', 1, '2027-01-14T17:00:00.000Z', []],
    ['17:01 does not', plain, '2027-01-12T17:01', 1, '2027-01-14T17:00:00.000Z', []],
    ['16:59, 0 WD: due a minute later', plain, '2027-01-12T16:59', 0, '2027-01-12T17:00:00.000Z', []],
    ['17:00, 0 WD: due the next day', plain, '2027-01-12T17:00', 0, '2027-01-13T17:00:00.000Z', []],
    ['16:59 in summer', plain, '2027-07-13T16:59', 1, '2027-07-14T16:00:00.000Z', []],
    ['17:00 in summer', plain, '2027-07-13T17:00', 1, '2027-07-15T16:00:00.000Z', []],
    // Weekends.
    [
      'Fri 16:59, 1 WD → Mon',
      plain,
      '2027-01-08T16:59',
      1,
      '2027-01-11T17:00:00.000Z',
      ['2027-01-09', '2027-01-10'],
    ],
    [
      'Fri 17:00, 1 WD → Tue',
      plain,
      '2027-01-08T17:00',
      1,
      '2027-01-12T17:00:00.000Z',
      ['2027-01-09', '2027-01-10'],
    ],
    [
      'Saturday morning',
      plain,
      '2027-01-09T10:00',
      1,
      '2027-01-12T17:00:00.000Z',
      ['2027-01-09', '2027-01-10'],
    ],
    ['Sunday 23:59', plain, '2027-01-10T23:59', 1, '2027-01-12T17:00:00.000Z', ['2027-01-10']],
    ['Monday 00:00', plain, '2027-01-11T00:00', 1, '2027-01-12T17:00:00.000Z', []],
    [
      '20 WD from a Monday (4 weeks)',
      plain,
      '2027-02-01T09:00',
      20,
      '2027-03-01T17:00:00.000Z',
      [
        '2027-02-06',
        '2027-02-07',
        '2027-02-13',
        '2027-02-14',
        '2027-02-20',
        '2027-02-21',
        '2027-02-27',
        '2027-02-28',
      ],
    ],
  ])('%s', (_label, calendar, opened, workingDays, dueAt, skipped) => {
    const due = computeDue(calendar, london(opened), workingDays);
    expect(iso(due.dueAt)).toBe(dueAt);
    expect(due.skippedDates).toEqual(skipped);
  });

  it('explains bank holidays and closures without nested brackets', () => {
    expect(computeDue(plain, london('2026-12-24T10:00'), 3).explanation).toBe(
      'opened Thu 24 Dec 2026 10:00; day 0 Thu 24 Dec; skipped Fri 25 Dec (Christmas Day, bank holiday), ' +
        'Sat 26 Dec (Saturday), Sun 27 Dec (Sunday), Mon 28 Dec (Boxing Day, substitute bank holiday); ' +
        'counted 3 working days; due Thu 31 Dec 2026 17:00',
    );
    expect(computeDue(closures, london('2027-07-14T10:00'), 1).explanation).toBe(
      'opened Wed 14 Jul 2027 10:00 (not a working day); day 0 Thu 15 Jul; ' +
        'skipped Wed 14 Jul (partnership closure day: staff training); counted 1 working day; due Fri 16 Jul 2027 17:00',
    );
  });

  it('reports day 0', () => {
    expect(dayZero(plain, london('2027-01-12T16:59'))).toBe('2027-01-12');
    expect(dayZero(plain, london('2027-01-12T17:00'))).toBe('2027-01-13');
    expect(dayZero(plain, london('2026-12-24T17:00'))).toBe('2026-12-29');
  });

  it.each([-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 1e9])('rejects %p working days', (n) => {
    expect(() => computeDue(plain, london('2027-01-12T10:00'), n)).toThrow(RangeError);
  });

  it('rejects an invalid start', () => {
    expect(() => computeDue(plain, new Date(Number.NaN), 1)).toThrow(RangeError);
  });
});

describe('workingDaysBetween', () => {
  const from = london('2025-09-08T10:00'); // Mon, day 0

  it.each([
    ['before the start', '2025-09-08T09:00', 0],
    ['17:30 on day 0 (day 0 is not counted)', '2025-09-08T17:30', 0],
    ['Tue 16:59', '2025-09-09T16:59', 0],
    ['Tue 17:00', '2025-09-09T17:00', 1],
    ['Sat', '2025-09-13T12:00', 4],
    ['Mon 16:59:59.999 (a ms before the 5 WD due)', '2025-09-15T16:59:59.999', 4],
    ['Mon 17:00 (the 5 WD due)', '2025-09-15T17:00', 5],
  ])('%s', (_label, to, expected) => {
    expect(workingDaysBetween(plain, from, london(to))).toBe(expected);
  });

  it('skips bank holidays: Thu 24 Dec 2026 10:00 → Mon 4 Jan 2027 18:00 is 4 WD', () => {
    // Working days after Thu 24 Dec: Tue 29, Wed 30, Thu 31 Dec, Mon 4 Jan.
    expect(workingDaysBetween(plain, london('2026-12-24T10:00'), london('2027-01-04T18:00'))).toBe(4);
  });
});

describe('reminderInstants', () => {
  it.each<[string, string, number, string, string | null]>([
    // 5 WD from Mon 8 Sep 2025: halfway = 2 WD (Wed 10), day before = Fri 12 (due Mon 15).
    ['5 WD', '2025-09-08T10:00', 5, '2025-09-10T16:00:00.000Z', '2025-09-12T16:00:00.000Z'],
    // 3 WD from Fri 22 Aug 2025 16:40 (due Thu 28): halfway = 1 WD (Tue 26), day before = Wed 27.
    [
      '3 WD over a bank holiday',
      '2025-08-22T16:40',
      3,
      '2025-08-26T16:00:00.000Z',
      '2025-08-27T16:00:00.000Z',
    ],
    // 2 WD from Wed 23 Dec 2026 (due Tue 29): both on Thu 24, the working day before Christmas.
    ['2 WD over Christmas', '2026-12-23T10:00', 2, '2026-12-24T17:00:00.000Z', '2026-12-24T17:00:00.000Z'],
    // 1 WD (urgent): both at 17:00 on day 0.
    ['1 WD', '2027-01-12T10:00', 1, '2027-01-12T17:00:00.000Z', '2027-01-12T17:00:00.000Z'],
    // 0 WD: halfway is the midpoint of 10:00-17:00; no working day before due lies after the start.
    ['0 WD', '2027-01-12T10:00', 0, '2027-01-12T13:30:00.000Z', null],
    // 0 WD from Sat 12:00 (due Mon 17:00, 53 h later): midpoint Sun 14:30; Fri 17:00 is before the start.
    ['0 WD from a Saturday', '2027-01-09T12:00', 0, '2027-01-10T14:30:00.000Z', null],
    // 10 WD from Mon 25 Oct 2027 (BST; due Mon 8 Nov GMT): halfway 5 WD = Mon 1 Nov, day before Fri 5 Nov.
    [
      '10 WD across the autumn clock change',
      '2027-10-25T10:00',
      10,
      '2027-11-01T17:00:00.000Z',
      '2027-11-05T17:00:00.000Z',
    ],
  ])('%s', (_label, opened, n, halfway, dayBefore) => {
    const r = reminderInstants(plain, london(opened), n);
    expect(iso(r.halfway)).toBe(halfway);
    expect(iso(r.dayBefore)).toBe(dayBefore);
  });
});

describe('extendDue', () => {
  it('moves Thu 28 Aug 2025 by 2 WD over the weekend, explained', () => {
    const moved = extendDue(plain, new Date('2025-08-28T16:00:00Z'), 2);
    expect(iso(moved.dueAt)).toBe('2025-09-01T16:00:00.000Z');
    expect(moved.skippedDates).toEqual(['2025-08-30', '2025-08-31']);
    expect(moved.workingDays).toBe(2);
    expect(moved.explanation).toBe(
      'extended from Thu 28 Aug 2025 17:00; skipped Sat 30 Aug (Saturday), Sun 31 Aug (Sunday); ' +
        'counted 2 more working days; due Mon 1 Sep 2025 17:00',
    );
  });

  it('skips Christmas 2026', () => {
    expect(iso(extendDue(plain, new Date('2026-12-24T17:00:00Z'), 1).dueAt)).toBe('2026-12-29T17:00:00.000Z');
  });

  it('keeps 17:00 London across the autumn clock change', () => {
    // Fri 29 Oct 2027 17:00 BST → Mon 1 Nov 17:00 GMT.
    expect(iso(extendDue(plain, new Date('2027-10-29T16:00:00Z'), 1).dueAt)).toBe('2027-11-01T17:00:00.000Z');
  });

  it('rejects negative or fractional extensions', () => {
    expect(() => extendDue(plain, new Date('2027-10-29T16:00:00Z'), -1)).toThrow(RangeError);
    expect(() => extendDue(plain, new Date('2027-10-29T16:00:00Z'), 0.5)).toThrow(RangeError);
  });
});
