import fc from 'fast-check';
import { percentileOfHistogram, percentileOrNull } from './percentile';

describe('percentileOrNull', () => {
  it('is null below the minimum count', () => {
    expect(percentileOrNull([], 50)).toBeNull();
    expect(percentileOrNull([1, 2, 3, 4, 5], 50)).toBeNull();
    expect(percentileOrNull([1, 2, 3], 50, 3)).toBe(2);
  });

  it('interpolates linearly between closest ranks (type 7)', () => {
    const xs = [7, 1, 3, 2, 10, 4]; // sorted 1 2 3 4 7 10
    expect(percentileOrNull(xs, 50)).toBe(3.5);
    expect(percentileOrNull(xs, 0)).toBe(1);
    expect(percentileOrNull(xs, 100)).toBe(10);
    expect(percentileOrNull(xs, 90)).toBeCloseTo(8.5); // h = 4.5: 7 + 0.5 × 3
    expect(percentileOrNull([1, 2, 3, 4, 5, 6, 7], 50)).toBe(4);
    expect(xs).toEqual([7, 1, 3, 2, 10, 4]); // not sorted in place
  });

  it('rejects bad arguments', () => {
    const six = [1, 2, 3, 4, 5, 6];
    expect(() => percentileOrNull(six, -1)).toThrow(RangeError);
    expect(() => percentileOrNull(six, 101)).toThrow(RangeError);
    expect(() => percentileOrNull(six, NaN)).toThrow(RangeError);
    expect(() => percentileOrNull([...six, NaN], 50)).toThrow(RangeError);
    expect(() => percentileOrNull(six, 50, 0)).toThrow(RangeError);
  });

  it('lies between the minimum and maximum and grows with p', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 400 }), { minLength: 6, maxLength: 40 }),
        fc.double({ min: 0, max: 100, noNaN: true }),
        fc.double({ min: 0, max: 100, noNaN: true }),
        (xs, p1, p2) => {
          const [lo, hi] = p1 <= p2 ? [p1, p2] : [p2, p1];
          const a = percentileOrNull(xs, lo) as number;
          const b = percentileOrNull(xs, hi) as number;
          expect(a).toBeGreaterThanOrEqual(Math.min(...xs));
          expect(b).toBeLessThanOrEqual(Math.max(...xs));
          expect(a).toBeLessThanOrEqual(b + 1e-9);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('percentileOfHistogram', () => {
  it('equals the percentile of the values the histogram stands for', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 30 }),
        fc.integer({ min: 0, max: 100 }),
        (histogram, p) => {
          const values = histogram.flatMap((c, v) => new Array<number>(c).fill(v));
          const expected = values.length === 0 ? null : percentileOrNull(values, p, 1);
          const actual = percentileOfHistogram(histogram, p);
          if (expected === null) expect(actual).toBeNull();
          else expect(actual).toBeCloseTo(expected, 9);
        },
      ),
    );
  });
});
