import { addYears, retentionClosureCutoff, retentionDate, retentionEnded } from './retention';

describe('addYears', () => {
  it.each([
    ['2019-03-15', 7, '2026-03-15'],
    ['2000-02-29', 25, '2025-03-01'], // no 29 February in 2025: the later day
    ['2000-02-29', 4, '2004-02-29'],
    ['1999-12-31', 1, '2000-12-31'],
  ])('%s + %d years → %s', (date, years, expected) => {
    expect(addYears(date, years)).toBe(expected);
  });

  it('refuses a malformed date', () => {
    expect(() => addYears('2019-02-30', 1)).toThrow(RangeError);
    expect(() => addYears('2019-02-01', 1.5)).toThrow(RangeError);
  });
});

describe('retentionDate', () => {
  it('is closure + 7 years when the child is 25 before that', () => {
    expect(retentionDate(new Date('2018-06-01T10:00:00Z'), ['1995-01-01'])).toBe('2025-06-01');
  });

  it('is the 25th birthday when that is later', () => {
    expect(retentionDate(new Date('2018-06-01T10:00:00Z'), ['2010-04-20'])).toBe('2035-04-20');
  });

  it('takes the London date of the closure (late evening UTC in summer is the next day in London)', () => {
    expect(retentionDate(new Date('2018-06-30T23:30:00Z'), ['1995-01-01'])).toBe('2025-07-01');
    expect(retentionDate(new Date('2018-12-31T23:30:00Z'), ['1995-01-01'])).toBe('2025-12-31');
  });

  it('of a family is the latest 25th birthday of any of its children, in any order', () => {
    const closedAt = new Date('2018-06-01T10:00:00Z');
    expect(retentionDate(closedAt, ['1995-01-01', '2010-04-20', '2004-02-29'])).toBe('2035-04-20');
    expect(retentionDate(closedAt, ['2010-04-20', '1995-01-01'])).toBe('2035-04-20');
    expect(retentionDate(closedAt, ['1995-01-01', '1996-03-03'])).toBe('2025-06-01');
  });

  it('needs at least one child', () => {
    expect(() => retentionDate(new Date('2018-06-01T10:00:00Z'), [])).toThrow(RangeError);
  });
});

describe('retentionEnded', () => {
  const closedAt = new Date('2018-06-01T10:00:00Z');
  it('keeps the identifiers up to the day before the retention date, and ends on it (London)', () => {
    expect(retentionEnded(closedAt, ['1995-01-01'], new Date('2025-05-31T22:59:59Z'))).toBe(false);
    expect(retentionEnded(closedAt, ['1995-01-01'], new Date('2025-05-31T23:00:00Z'))).toBe(true); // 00:00 BST
  });

  it('keeps them until the 25th birthday when closure + 7 years has passed', () => {
    expect(retentionEnded(closedAt, ['2005-09-09'], new Date('2030-09-08T12:00:00Z'))).toBe(false);
    expect(retentionEnded(closedAt, ['2005-09-09'], new Date('2030-09-09T12:00:00Z'))).toBe(true);
  });

  it('counts from the closure it is given (a reopened and closed-again case counts from the latest)', () => {
    const now = new Date('2026-01-10T12:00:00Z');
    expect(retentionEnded(new Date('2018-01-01T12:00:00Z'), ['1995-01-01'], now)).toBe(true);
    expect(retentionEnded(new Date('2019-06-01T12:00:00Z'), ['1995-01-01'], now)).toBe(false);
  });
});

describe('retentionClosureCutoff', () => {
  it('never excludes a closure whose retention has ended', () => {
    for (const iso of ['2025-03-01T00:30:00Z', '2025-06-30T23:30:00Z', '2024-02-29T12:00:00Z']) {
      const now = new Date(iso);
      const cutoff = retentionClosureCutoff(now);
      // no closure after the cutoff has ended its retention (so the pre-filter never skips a due case)
      for (let h = 1; h < 24 * 4; h++) {
        const later = new Date(cutoff.getTime() + h * 3_600_000);
        expect(retentionEnded(later, ['1995-01-01'], now)).toBe(false);
      }
    }
  });
});
