/**
 * The seam to disclosure control (procedure.md §9). The pure suppression code (primary and secondary
 * suppression, `suppressTable`) is being written in libs/core/src/disclosure on another branch; until it is
 * merged, `disclose` uses the interim rule below, with the same input and output shapes, so switching is one
 * import.
 *
 * INTERIM: counts 1..threshold are suppressed (primary); then, repeatedly, a published sum with exactly one
 * suppressed member gets a second one (its smallest non-zero published member, else the sum itself is withheld),
 * until no published sum has exactly one. This stops subtraction of one suppressed cell from a total; it does not
 * do the full linear-algebra check of the final implementation.
 */

export const SUPPRESSION_THRESHOLD = 5;
export const SUPPRESSED = 'c';

export interface Cell {
  readonly key: string;
  readonly count: number;
}

export interface Sum {
  readonly key: string;
  readonly cellKeys: readonly string[];
}

export interface DisclosedCount {
  readonly value: number | null;
  readonly suppressed: boolean;
  readonly display: string;
}

export interface Disclosed {
  readonly threshold: number;
  readonly cells: ReadonlyMap<string, DisclosedCount>;
  readonly sums: ReadonlyMap<string, DisclosedCount>;
}

const shown = (value: number): DisclosedCount => ({ value, suppressed: false, display: String(value) });
const hidden: DisclosedCount = { value: null, suppressed: true, display: SUPPRESSED };

export function disclose(
  table: { cells: readonly Cell[]; sums: readonly Sum[] },
  threshold = SUPPRESSION_THRESHOLD,
): Disclosed {
  const small = (n: number) => n >= 1 && n <= threshold;
  const count = new Map(table.cells.map((c) => [c.key, c.count]));
  const suppressed = new Set(table.cells.filter((c) => small(c.count)).map((c) => c.key));
  const sumValue = (s: Sum) => s.cellKeys.reduce((t, k) => t + (count.get(k) ?? 0), 0);
  const withheld = new Set(table.sums.filter((s) => small(sumValue(s))).map((s) => s.key));
  for (let changed = true; changed;) {
    changed = false;
    for (const sum of table.sums) {
      if (withheld.has(sum.key)) continue;
      if (sum.cellKeys.filter((k) => suppressed.has(k)).length !== 1) continue;
      const complement = sum.cellKeys
        .filter((k) => !suppressed.has(k) && (count.get(k) ?? 0) > 0)
        .sort((a, b) => count.get(a)! - count.get(b)! || (a < b ? -1 : 1))[0];
      if (complement === undefined) withheld.add(sum.key);
      else suppressed.add(complement);
      changed = true;
    }
  }
  return {
    threshold,
    cells: new Map(table.cells.map((c) => [c.key, suppressed.has(c.key) ? hidden : shown(c.count)])),
    sums: new Map(table.sums.map((s) => [s.key, withheld.has(s.key) ? hidden : shown(sumValue(s))])),
  };
}
