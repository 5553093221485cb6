import { discloseRows, Disclosed, DisclosedCount, SUPPRESSED } from './disclosure';

/**
 * Disclosure control of the children count (docs/api/analytics.md): a count of people, so it is suppressed on its
 * own when 1 to the threshold, and wherever the cell's case count (`raised`) is suppressed, with secondary
 * suppression (the hypercube method) protecting both kinds against differencing.
 *
 * The hypercube search takes its primaries from the counts, so a cell hidden for its case count runs through it
 * as a count of 1 (still a primary): the pattern is searched on those counts, the shown numbers are the true ones.
 * Zero stays zero and every other count stays positive, so the boxes found (which avoid zero entries) are boxes
 * of the true table as well.
 */
export function discloseChildren(
  rows: readonly { coordinates: readonly string[]; key: string; count: number }[],
  raised: Disclosed,
  threshold: number,
): Disclosed {
  const pattern = discloseRows(
    rows.map((r) => ({
      coordinates: r.coordinates,
      count: r.count > 0 && raised.cells.get(r.key)?.suppressed ? 1 : r.count,
    })),
    threshold,
  );
  const trueCells = new Map(rows.map((r) => [r.key, r.count]));
  const trueSums = new Map<string, number>();
  for (const r of rows) {
    const n = r.coordinates.length;
    // Every margin containing the cell: the coordinates with null where summed over, the cell itself excepted.
    for (let mask = 1; mask < 1 << n; mask++) {
      const key = `sum:${JSON.stringify(r.coordinates.map((v, i) => (mask & (1 << i) ? null : v)))}`;
      trueSums.set(key, (trueSums.get(key) ?? 0) + r.count);
    }
  }
  const shown = (entries: ReadonlyMap<string, DisclosedCount>, truth: Map<string, number>) =>
    new Map(
      [...entries].map(([key, entry]): [string, DisclosedCount] => {
        if (entry.suppressed) return [key, { value: null, suppressed: true, display: SUPPRESSED }];
        const value = truth.get(key) ?? 0;
        return [key, { value, suppressed: false, display: String(value) }];
      }),
    );
  return {
    threshold: pattern.threshold,
    cells: shown(pattern.cells, trueCells),
    sums: shown(pattern.sums, trueSums),
  };
}
