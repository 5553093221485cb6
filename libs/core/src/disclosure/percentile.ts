// Percentiles of small groups are disclosive (the median of three values is one person's value), so they are
// only published from at least minCount values: 6 by default, one more than the suppression threshold.

export const DEFAULT_PERCENTILE_MIN_COUNT = 6;

/**
 * The p-th percentile (0 ≤ p ≤ 100) of the values, or null when there are fewer than minCount of them.
 *
 * Linear interpolation between closest ranks (Hyndman & Fan type 7; numpy's default, Excel's PERCENTILE.INC):
 * with the values sorted ascending as x[0..n-1], h = (n - 1) · p / 100 and the result is
 * x[⌊h⌋] + (h − ⌊h⌋) · (x[⌊h⌋ + 1] − x[⌊h⌋]). So p = 0 is the minimum, p = 100 the maximum and p = 50 the usual
 * median (the mean of the two middle values when n is even).
 */
export function percentileOrNull(
  values: readonly number[],
  p: number,
  minCount: number = DEFAULT_PERCENTILE_MIN_COUNT,
): number | null {
  if (!Number.isFinite(p) || p < 0 || p > 100)
    throw new RangeError(`percentile must be within 0..100, got ${p}`);
  if (!Number.isSafeInteger(minCount) || minCount < 1) {
    throw new RangeError(`minCount must be a positive integer, got ${minCount}`);
  }
  if (values.some((v) => !Number.isFinite(v))) throw new RangeError('percentile of a non-finite value');
  if (values.length < minCount) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const h = ((sorted.length - 1) * p) / 100;
  const lower = Math.floor(h);
  const upper = Math.min(lower + 1, sorted.length - 1);
  return sorted[lower] + (h - lower) * (sorted[upper] - sorted[lower]);
}

/**
 * The p-th percentile (type 7, as percentileOrNull) of non-negative integer values given as a histogram
 * (histogram[v] = how many values equal v), or null when there are none. Exact: the same number as sorting the
 * values out and taking percentileOrNull, without materialising them.
 */
export function percentileOfHistogram(histogram: readonly number[], p: number): number | null {
  if (!Number.isFinite(p) || p < 0 || p > 100)
    throw new RangeError(`percentile must be within 0..100, got ${p}`);
  const n = histogram.reduce((t, c) => t + c, 0);
  if (n <= 0) return null;
  const h = ((n - 1) * p) / 100;
  const lower = Math.floor(h);
  const upper = Math.min(lower + 1, n - 1);
  /** The value at 0-based rank r of the sorted values. */
  const at = (r: number): number => {
    let seen = 0;
    for (let v = 0; v < histogram.length; v++) {
      seen += histogram[v];
      if (seen > r) return v;
    }
    throw new RangeError('rank beyond the histogram');
  };
  const lo = at(lower);
  return lo + (h - lower) * (at(upper) - lo);
}
