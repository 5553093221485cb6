import { RowSpace } from './row-space';

// Statistical disclosure control for analyst tables (docs/procedure.md §9): counts from 1 to the threshold are shown
// as 'c', with secondary suppression so that no suppressed value can be worked out from what is published.
//
// Attacker model. The attacker sees every published cell and every published sum, and knows which cells each sum
// covers. Each published sum is then one linear equation in the suppressed cells it covers. A suppressed value
// (a cell, or a sum suppressed because it is itself 1..threshold) is *determined* when its coefficient vector over
// the suppressed cells lies in the row space of those equations (exact Gaussian elimination over the rationals).
// The result guarantees that no suppressed cell and no small suppressed sum is determined.
//
// Zero cells are never suppressed: a zero is shown anyway, so it is not sensitive, and a suppressed zero does not
// protect its neighbours (an attacker reasoning with non-negativity can pin a hidden zero at 0 and use it as
// known). Where only zeros or nothing could serve as a complement, a published sum is suppressed instead. Because
// every suppressed cell is then at least 1, the guarantee also holds against an attacker who adds
// non-negativity and integrality when the sums form at most two nested (laminar) families, as one- and two-way
// tables with row, column and grand totals do: there the equations are totally unimodular, so any freedom left
// to a suppressed cell includes moving it by exactly ±1 in both directions.
//
// Do not expose which suppressions were primary: that alone would reveal that a cell is 1..threshold.

export const DEFAULT_SUPPRESSION_THRESHOLD = 5;
/** What a suppressed count displays. */
export const SUPPRESSED_DISPLAY = 'c';

export interface DisclosureCell {
  /** Unique among the table's cells. */
  readonly key: string;
  /** A non-negative integer. */
  readonly count: number;
}

/** A total the answer shows: the sum of the listed cells (row, column and grand totals, any other marginal). */
export interface PublishedSum {
  /** Unique among the table's sums. */
  readonly key: string;
  readonly cellKeys: readonly string[];
}

/** One analytics answer: its cells and every sum of them it publishes. */
export interface DisclosureTable {
  readonly cells: readonly DisclosureCell[];
  readonly sums: readonly PublishedSum[];
}

export interface SuppressionOptions {
  /** Counts from 1 to this are suppressed; 0 is shown. Default 5. */
  readonly threshold?: number;
}

/** A disclosure-controlled count, shaped as the contract's TrendCount. */
export interface DisclosedCount {
  readonly value: number | null;
  readonly suppressed: boolean;
  /** The number, or 'c' when suppressed. */
  readonly display: string;
}

export interface SuppressedTable {
  readonly threshold: number;
  /** By cell key, in input order. */
  readonly cells: ReadonlyMap<string, DisclosedCount>;
  /** By sum key, in input order. */
  readonly sums: ReadonlyMap<string, DisclosedCount>;
}

/** What must stay undetermined: a suppressed cell, or a sum suppressed because its own value is small. */
type Target =
  { readonly kind: 'cell'; readonly index: number } | { readonly kind: 'sum'; readonly index: number };

/**
 * Applies primary and secondary suppression to one answer.
 *
 * 1. Primary: cells and sums whose value is 1..threshold.
 * 2. Local step, repeated first: a published sum with exactly one suppressed member would reveal it; suppress the
 *    smallest non-zero published member of that sum, or, when it has none, the sum itself.
 * 3. Global step: when a suppressed cell or small sum is still determined by the equations, take one combination
 *    of published sums that gives it and suppress the cheapest single item that makes it undetermined, among
 *    the non-zero cells with a non-zero net weight in that combination (by ascending count) and then the sums in
 *    it (narrowest first); failing that, the cheapest such cell, else such a sum, which at least breaks that
 *    combination. Then go back to step 2. Every round suppresses something new, so this ends.
 * 4. Clean-up: try publishing secondary cells again (largest first), then secondary sums, keeping each only when
 *    the table stays safe without it.
 */
export function suppressTable(table: DisclosureTable, options: SuppressionOptions = {}): SuppressedTable {
  const threshold = options.threshold ?? DEFAULT_SUPPRESSION_THRESHOLD;
  if (!Number.isSafeInteger(threshold) || threshold < 0) {
    throw new RangeError(`suppression threshold must be a non-negative integer, got ${threshold}`);
  }
  const counts = table.cells.map((cell) => cell.count);
  const cellIndex = new Map<string, number>();
  table.cells.forEach((cell, i) => {
    if (!Number.isSafeInteger(cell.count) || cell.count < 0) {
      throw new RangeError(`cell ${cell.key}: count must be a non-negative integer, got ${cell.count}`);
    }
    if (cellIndex.has(cell.key)) throw new RangeError(`duplicate cell key ${cell.key}`);
    cellIndex.set(cell.key, i);
  });
  const sumKeys = new Set<string>();
  const members = table.sums.map((sum) => {
    if (sumKeys.has(sum.key)) throw new RangeError(`duplicate sum key ${sum.key}`);
    sumKeys.add(sum.key);
    const seen = new Set<number>();
    return sum.cellKeys.map((key) => {
      const i = cellIndex.get(key);
      if (i === undefined) throw new RangeError(`sum ${sum.key} lists unknown cell ${key}`);
      if (seen.has(i)) throw new RangeError(`sum ${sum.key} lists cell ${key} twice`);
      seen.add(i);
      return i;
    });
  });
  const sumValues = members.map((m) => m.reduce((total, i) => total + counts[i], 0));
  const small = (x: number): boolean => x >= 1 && x <= threshold;

  const cellPrimary = counts.map(small);
  const sumPrimary = sumValues.map(small);
  const cellSuppressed = [...cellPrimary];
  const sumSuppressed = [...sumPrimary];
  const secondaryCells: number[] = [];
  const secondarySums: number[] = [];
  const sumsOf: number[][] = counts.map(() => []);
  members.forEach((m, s) => m.forEach((i) => sumsOf[i].push(s)));

  const byCount = (a: number, b: number): number => counts[a] - counts[b] || a - b;
  const bySize = (a: number, b: number): number =>
    members[a].length - members[b].length || sumValues[a] - sumValues[b] || a - b;

  /** Column of each suppressed cell in the attacker's equations. */
  const columns = (): Map<number, number> => {
    const col = new Map<number, number>();
    cellSuppressed.forEach((sup, i) => {
      if (sup) col.set(i, col.size);
    });
    return col;
  };
  const vectorOf = (cells: readonly number[], col: Map<number, number>): number[] => {
    const v = new Array<number>(col.size).fill(0);
    for (const i of cells) {
      const c = col.get(i);
      if (c !== undefined) v[c] = 1;
    }
    return v;
  };
  const targetCells = (t: Target): readonly number[] => (t.kind === 'cell' ? [t.index] : members[t.index]);
  const equations = (col: Map<number, number>): RowSpace => {
    const space = new RowSpace(col.size);
    members.forEach((m, s) => {
      if (!sumSuppressed[s]) space.add(vectorOf(m, col));
    });
    return space;
  };
  const isDetermined = (t: Target, col: Map<number, number>, space: RowSpace): boolean =>
    space.contains(vectorOf(targetCells(t), col));
  const targets = (): Target[] => [
    ...cellSuppressed.flatMap((sup, index) => (sup ? [{ kind: 'cell' as const, index }] : [])),
    ...sumPrimary.flatMap((sup, index) => (sup ? [{ kind: 'sum' as const, index }] : [])),
  ];
  const firstDetermined = (): Target | undefined => {
    const col = columns();
    const space = equations(col);
    return targets().find((t) => isDetermined(t, col, space));
  };
  const safe = (): boolean => firstDetermined() === undefined;
  const stillDeterminedWith = (t: Target, flip: () => void, undo: () => void): boolean => {
    flip();
    const col = columns();
    const determined = isDetermined(t, col, equations(col));
    undo();
    return determined;
  };
  const suppressCell = (i: number): void => {
    cellSuppressed[i] = true;
    secondaryCells.push(i);
  };
  const suppressSum = (s: number): void => {
    sumSuppressed[s] = true;
    secondarySums.push(s);
  };

  /** Step 2: a published sum with exactly one suppressed member. */
  const localStep = (): boolean => {
    for (let s = 0; s < members.length; s++) {
      if (sumSuppressed[s]) continue;
      if (members[s].filter((i) => cellSuppressed[i]).length !== 1) continue;
      const complement = members[s].filter((i) => !cellSuppressed[i] && counts[i] > 0).sort(byCount)[0];
      if (complement === undefined) suppressSum(s);
      else suppressCell(complement);
      return true;
    }
    return false;
  };

  /** Step 3: protect one determined target. */
  const globalStep = (t: Target): void => {
    // One combination of published sums that gives the target: only those sums, and only cells with a non-zero
    // net weight in it, can break this combination, so only they are tried.
    const col = columns();
    const space = new RowSpace(col.size, true);
    members.forEach((m, s) => {
      if (!sumSuppressed[s]) space.add(vectorOf(m, col), s);
    });
    const weights = space.explain(vectorOf(targetCells(t), col)) ?? new Map<number, bigint>();
    const netWeight = (i: number): bigint => sumsOf[i].reduce((w, s) => w + (weights.get(s) ?? 0n), 0n);
    const publishedCells = counts
      .map((_, i) => i)
      .filter((i) => !cellSuppressed[i] && counts[i] > 0 && netWeight(i) !== 0n)
      .sort(byCount);
    const usedSums = [...weights.keys()].sort(bySize);
    for (const i of publishedCells) {
      const flip = (): void => {
        cellSuppressed[i] = true;
      };
      const undo = (): void => {
        cellSuppressed[i] = false;
      };
      if (!stillDeterminedWith(t, flip, undo)) return suppressCell(i);
    }
    for (const s of usedSums) {
      const flip = (): void => {
        sumSuppressed[s] = true;
      };
      const undo = (): void => {
        sumSuppressed[s] = false;
      };
      if (!stillDeterminedWith(t, flip, undo)) return suppressSum(s);
    }
    // No single item is enough: break this combination and try again.
    const neighbour = publishedCells[0];
    if (neighbour !== undefined) return suppressCell(neighbour);
    if (usedSums.length > 0) return suppressSum(usedSums[0]);
    // Unreachable: a determined target is a combination of at least one published sum.
    throw new Error('disclosure control could not protect a suppressed value');
  };

  for (;;) {
    if (localStep()) continue;
    const t = firstDetermined();
    if (t === undefined) break;
    globalStep(t);
  }

  // Step 4: give back what turned out not to be needed.
  for (const i of [...secondaryCells].sort((a, b) => byCount(b, a))) {
    cellSuppressed[i] = false;
    if (!safe()) cellSuppressed[i] = true;
  }
  for (const s of [...secondarySums].sort((a, b) => bySize(b, a))) {
    sumSuppressed[s] = false;
    if (!safe()) sumSuppressed[s] = true;
  }

  const disclosed = (value: number, suppressed: boolean): DisclosedCount =>
    suppressed
      ? { value: null, suppressed: true, display: SUPPRESSED_DISPLAY }
      : { value, suppressed: false, display: String(value) };
  return {
    threshold,
    cells: new Map(table.cells.map((cell, i) => [cell.key, disclosed(counts[i], cellSuppressed[i])])),
    sums: new Map(table.sums.map((sum, s) => [sum.key, disclosed(sumValues[s], sumSuppressed[s])])),
  };
}
