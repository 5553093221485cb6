import { computeDue, dayZero, WorkingCalendar } from './working-days';
import { iso, london, plain } from './london-times.spec-support';

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
