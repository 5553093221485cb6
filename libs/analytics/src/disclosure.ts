import { DEFAULT_SUPPRESSION_THRESHOLD, SUPPRESSED_DISPLAY, suppressCrossTable } from '@hips/core';
import type { DisclosedCount, DisclosureCell, PublishedSum, SuppressedTable } from '@hips/core';

/**
 * The seam to disclosure control (docs/procedure.md §9): libs/core `suppressCrossTable` (primary suppression of
 * counts 1..5, and secondary suppression by the hypercube method: every suppressed cell or margin is a corner of
 * a fully suppressed box, so an attacker who solves the published sums exactly still cannot pin it down).
 */

export const SUPPRESSION_THRESHOLD = DEFAULT_SUPPRESSION_THRESHOLD;
export const SUPPRESSED = SUPPRESSED_DISPLAY;

export type Cell = DisclosureCell;
export type Sum = PublishedSum;
export type { DisclosedCount };
export type Disclosed = SuppressedTable;

/**
 * Suppresses one measure's table: its cells (one per row, by keyOf(coordinates)) and every margin, keyed
 * `sum:` + keyOf(coordinates with null where summed over), as trends.ts measureTable lists them.
 */
export function discloseRows(
  rows: readonly { coordinates: readonly string[]; count: number }[],
  threshold = SUPPRESSION_THRESHOLD,
): Disclosed {
  const out = suppressCrossTable(rows, { threshold });
  return {
    threshold: out.threshold,
    cells: out.cells,
    sums: new Map([...out.sums].map(([key, value]) => [`sum:${key}`, value])),
  };
}
