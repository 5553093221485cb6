import { DEFAULT_SUPPRESSION_THRESHOLD, SUPPRESSED_DISPLAY, suppressTable } from '@hips/core';
import type { DisclosedCount, DisclosureCell, PublishedSum, SuppressedTable } from '@hips/core';

/**
 * The seam to disclosure control (procedure.md §9): libs/core `suppressTable` (primary suppression of counts
 * 1..5, and secondary suppression checked against an attacker who solves the published sums exactly).
 */

export const SUPPRESSION_THRESHOLD = DEFAULT_SUPPRESSION_THRESHOLD;
export const SUPPRESSED = SUPPRESSED_DISPLAY;

export type Cell = DisclosureCell;
export type Sum = PublishedSum;
export type { DisclosedCount };
export type Disclosed = SuppressedTable;

export function disclose(
  table: { cells: readonly Cell[]; sums: readonly Sum[] },
  threshold = SUPPRESSION_THRESHOLD,
): Disclosed {
  return suppressTable(table, { threshold });
}
