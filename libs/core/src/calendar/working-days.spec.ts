import {
  addWorkingDays,
  computeDue,
  extendDue,
  reminderInstants,
  WorkingCalendar,
  workingDaysBetween,
} from './working-days';
import { iso, london, plain } from './london-times.spec-support';

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

describe('computeDue: the examples in docs/procedure.md §4', () => {
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
