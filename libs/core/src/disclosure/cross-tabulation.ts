import type { DisclosureTable } from './suppression';

// Builds the DisclosureTable for an answer laid out over named dimensions (period × raising agency type ×
// category, ...): one cell per combination present, and one published sum per combination of each margin.

export interface CrossTabCell {
  /** A value for every dimension of the table. */
  readonly coordinates: Readonly<Record<string, string>>;
  readonly count: number;
}

export interface CrossTabulation extends DisclosureTable {
  readonly dimensions: readonly string[];
  /** The dimensions each margin keeps; [] is the grand total. */
  readonly margins: readonly (readonly string[])[];
}

/**
 * The key of a cell (every dimension given) or of a margin sum (summed-over dimensions absent): a JSON array of
 * the values in dimension order, null where summed over, so cell and sum keys never collide.
 */
export function coordinateKey(
  coordinates: Readonly<Record<string, string | undefined>>,
  dimensions: readonly string[],
): string {
  return JSON.stringify(
    dimensions.map((d) => (Object.hasOwn(coordinates, d) ? (coordinates[d] ?? null) : null)),
  );
}

/** Every proper subset of the dimensions, largest first, ending with [] (the grand total). */
export function allMargins(dimensions: readonly string[]): string[][] {
  const subsets = (from: number, size: number): string[][] =>
    size === 0
      ? [[]]
      : dimensions.slice(from).flatMap((d, i) => subsets(from + i + 1, size - 1).map((rest) => [d, ...rest]));
  const margins: string[][] = [];
  for (let size = dimensions.length - 1; size >= 0; size--) margins.push(...subsets(0, size));
  return margins;
}

/**
 * Cells keyed by coordinateKey, and the sums of the listed margins (default: all of them; for two dimensions
 * that is the row totals, the column totals and the grand total). Only the cells given take part: list zero
 * cells the answer shows. A margin sum exists for each combination of kept values that some cell has.
 */
export function crossTabulation(
  cells: readonly CrossTabCell[],
  dimensions: readonly string[],
  margins: readonly (readonly string[])[] = allMargins(dimensions),
): CrossTabulation {
  if (new Set(dimensions).size !== dimensions.length) throw new RangeError('duplicate dimension');
  for (const margin of margins) {
    if (margin.some((d) => !dimensions.includes(d)) || new Set(margin).size !== margin.length) {
      throw new RangeError(`margin [${margin.join(', ')}] is not a set of the table's dimensions`);
    }
    if (margin.length === dimensions.length) {
      throw new RangeError('a margin keeping every dimension is the cells themselves');
    }
  }
  const keyed = cells.map((cell) => {
    for (const d of dimensions) {
      if (typeof cell.coordinates[d] !== 'string') throw new RangeError(`cell without a value for ${d}`);
    }
    return {
      key: coordinateKey(cell.coordinates, dimensions),
      count: cell.count,
      coordinates: cell.coordinates,
    };
  });
  const sums = margins.flatMap((margin) => {
    const groups = new Map<string, string[]>();
    for (const cell of keyed) {
      const kept = Object.fromEntries(margin.map((d) => [d, cell.coordinates[d]]));
      const key = coordinateKey(kept, dimensions);
      const group = groups.get(key);
      if (group) group.push(cell.key);
      else groups.set(key, [cell.key]);
    }
    return [...groups].map(([key, cellKeys]) => ({ key, cellKeys }));
  });
  return {
    dimensions: [...dimensions],
    margins: margins.map((m) => [...m]),
    cells: keyed.map(({ key, count }) => ({ key, count })),
    sums,
  };
}
