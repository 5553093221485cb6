import {
  DEFAULT_SUPPRESSION_THRESHOLD,
  SUPPRESSED_DISPLAY,
  type DisclosedCount,
  type SuppressedTable,
} from './suppression';

// Fast secondary suppression for cross-classified tables published with every margin (the analytics answers:
// period × dimensions, every row, column, layer and grand total), in the spirit of the hypercube method
// (Repsilber; τ-ARGUS's GHMITER).
//
// Think of the table extended by a "Total" value in every dimension: an entry with Total in some dimensions is a
// margin (a published sum), the others are cells. A *box* around an entry picks, in every dimension, the entry's
// own value and one partner (another value, or Total; an entry that is Total there takes a value as partner): its
// 2^k corners. The vector that is +1/−1 on the corners, the sign flipping between a value and another value of the
// same dimension and kept between a value and Total, satisfies every "Total = sum of the values" relation of the
// extended table (in each dimension it is a multiple of e_v − e_w or of e_v + e_Total). So when every corner of a
// box is suppressed, moving all of them by ±1 along that vector changes no published cell or sum, yet changes
// every corner: no corner is determined by what is published (the row-space test of the exact attacker fails for
// each of them). Because a zero is never suppressed and every corner of a chosen box is at least 1, the move by −1
// keeps every hidden value non-negative, so corners stay undetermined for an attacker who also uses
// non-negativity and integrality (every hidden value can be one more or one less).
//
// The algorithm: primary suppression (values 1..threshold, cells and margins), then, for every primary entry not
// yet the corner of a fully suppressed box, the box of least cost (the sum of the values it newly suppresses)
// among those whose corners all exist and are non-zero, found by a bounded branch-and-bound; a box of Totals in
// every dimension (every margin containing the entry) always qualifies, so one is always found. Every
// secondarily suppressed entry is a corner of the box that suppressed it, so it is protected too. The cost is
// linear in the number of primary entries times the (bounded) search per entry, not cubic in the table's size.

/**
 * Suppressing a margin costs ten times a cell of the same value: a margin is what coarser answers show, so boxes
 * within the cells are preferred whenever the data allow.
 */
const MARGIN_WEIGHT = 10;

export interface CrossTableRow {
  /** One value per dimension, in a fixed dimension order. */
  readonly coordinates: readonly string[];
  /** A non-negative integer. */
  readonly count: number;
}

export interface CrossTableOptions {
  /** Counts from 1 to this are suppressed; 0 is shown. Default 5. */
  readonly threshold?: number;
  /** Search nodes per primary entry before settling for the best box found so far (default 20,000). */
  readonly searchLimit?: number;
}

/**
 * The key of an entry of the extended table: a JSON array of the coordinates, null where the entry is a margin
 * over that dimension (the same keys as coordinateKey and crossTabulation use).
 */
export function extendedKey(values: readonly (string | null)[]): string {
  return JSON.stringify(values);
}

/**
 * Suppresses a table given as rows (one per cell present; absent combinations are not part of the table) and
 * every margin of it, each margin sum existing for the combinations of kept values that some cell has. Returns
 * the cells by extendedKey(coordinates) and the margins by extendedKey(with null where summed over).
 */
export function suppressCrossTable(
  rows: readonly CrossTableRow[],
  options: CrossTableOptions = {},
): SuppressedTable {
  const threshold = options.threshold ?? DEFAULT_SUPPRESSION_THRESHOLD;
  if (!Number.isSafeInteger(threshold) || threshold < 0) {
    throw new RangeError(`suppression threshold must be a non-negative integer, got ${threshold}`);
  }
  const searchLimit = options.searchLimit ?? 20_000;
  const k = rows[0]?.coordinates.length ?? 0;
  // Dimension values as indexes 0..m-1; Total is m.
  const values: Map<string, number>[] = Array.from({ length: k }, () => new Map<string, number>());
  for (const row of rows) {
    if (row.coordinates.length !== k) throw new RangeError('rows of different dimensionality');
    if (!Number.isSafeInteger(row.count) || row.count < 0) {
      throw new RangeError(`count must be a non-negative integer, got ${row.count}`);
    }
    row.coordinates.forEach((v, d) => values[d].set(v, 0));
  }
  // Values in sorted order, and primaries taken in that order: the result does not depend on the rows' order.
  values.forEach((m, d) => {
    [...m.keys()].sort().forEach((v, i) => values[d].set(v, i));
  });
  const total = values.map((m) => m.size);
  const radix = total.map((m) => m + 1);
  // Mixed-radix codes of extended entries; the product stays far below 2^53 for any answer we allow.
  const stride: number[] = [];
  let span = 1;
  for (let d = k - 1; d >= 0; d--) {
    stride[d] = span;
    span *= radix[d];
  }
  if (!Number.isSafeInteger(span)) throw new RangeError('table too large');

  /** Entry code → entry index; entry values and suppression flags by index. */
  const index = new Map<number, number>();
  const value: number[] = [];
  const isCell: boolean[] = [];
  const coords: number[][] = [];
  const cellKeys: string[] = [];
  const cellOrder: number[] = [];
  const cellRows: number[][] = [];
  const entry = (c: number[]): number => {
    const code = c.reduce((t, x, d) => t + x * stride[d], 0);
    let i = index.get(code);
    if (i === undefined) {
      i = value.length;
      index.set(code, i);
      value.push(0);
      isCell.push(c.every((x, d) => x < total[d]));
      coords.push(c);
    }
    return i;
  };
  for (const row of rows) {
    const c = row.coordinates.map((v, d) => values[d].get(v) as number);
    const code = c.reduce((t, x, d) => t + x * stride[d], 0);
    if (index.has(code)) throw new RangeError(`duplicate cell ${extendedKey(row.coordinates)}`);
    // The cell and every margin containing it.
    for (let mask = 0; mask < 1 << k; mask++) {
      const e = entry(c.map((x, d) => (mask & (1 << d) ? total[d] : x)));
      value[e] += row.count;
    }
    cellOrder.push(index.get(code) as number);
    cellRows.push(c);
    cellKeys.push(extendedKey(row.coordinates));
  }

  const small = (x: number): boolean => x >= 1 && x <= threshold;
  const hidden = value.map(small);
  const codeOfEntry = (i: number): number => coords[i].reduce((t, x, d) => t + x * stride[d], 0);
  const primary = value
    .map((_, i) => i)
    .filter((i) => hidden[i])
    .sort((a, b) => codeOfEntry(a) - codeOfEntry(b));
  const codeOf = (c: number[]): number => c.reduce((t, x, d) => t + x * stride[d], 0);

  /** Candidate partners of coordinate x in dimension d: other values, or Total (values only when x is Total). */
  const partnersOf = (x: number, d: number): number[] => {
    const out: number[] = [];
    for (let y = 0; y <= total[d]; y++) if (y !== x && !(x === total[d] && y === total[d])) out.push(y);
    return out;
  };

  const weight = (i: number): number => (isCell[i] ? value[i] : MARGIN_WEIGHT * value[i]);
  /** Entry codes of the corners of a box: the origin's code, then each dimension doubling the set. */
  const cornerCodes = (originCode: number, origin: number[], partner: number[]): number[] => {
    let codes = [originCode];
    for (let d = 0; d < k; d++) {
      const delta = (partner[d] - origin[d]) * stride[d];
      codes = codes.concat(codes.map((c) => c + delta));
    }
    return codes;
  };

  /** Whether the entry is already a corner of a box whose corners are all suppressed (bounded search). */
  const protectedBy = (e: number): boolean => {
    const origin = coords[e];
    const originCode = codeOf(origin);
    const hiddenPartners = origin.map((x, d) =>
      partnersOf(x, d).filter((y) => {
        const i = index.get(originCode + (y - x) * stride[d]);
        return i !== undefined && hidden[i];
      }),
    );
    if (hiddenPartners.some((p) => p.length === 0)) return false;
    let budget = 2_000;
    const search = (d: number, face: number[]): boolean => {
      if (d === k) return true;
      for (const y of hiddenPartners[d]) {
        if (budget-- <= 0) return false;
        const delta = (y - origin[d]) * stride[d];
        const shifted = face.map((c) => c + delta);
        if (
          shifted.every((c) => {
            const i = index.get(c);
            return i !== undefined && hidden[i];
          }) &&
          search(d + 1, face.concat(shifted))
        )
          return true;
      }
      return false;
    };
    return search(0, [originCode]);
  };

  for (const e of primary) {
    if (protectedBy(e)) continue;
    const origin = coords[e];
    const originCode = codeOf(origin);
    // Partners per dimension, cheapest single edge first; edges to an absent or zero entry cannot be used.
    const edgeCost = (d: number, y: number): number => {
      const i = index.get(originCode + (y - origin[d]) * stride[d]);
      if (i === undefined || value[i] === 0) return Infinity;
      return hidden[i] ? 0 : weight(i);
    };
    const candidates = origin.map((x, d) =>
      partnersOf(x, d)
        .map((y) => ({ y, cost: edgeCost(d, y) }))
        .filter((p) => p.cost !== Infinity)
        .sort((a, b) => a.cost - b.cost || a.y - b.y)
        .map((p) => p.y),
    );
    /** The cost of a box (the weights of the corners it newly suppresses), Infinity when a corner is unusable. */
    const boxCost = (partner: number[]): number => {
      let cost = 0;
      for (const c of cornerCodes(originCode, origin, partner)) {
        const i = index.get(c);
        if (i === undefined || value[i] === 0) return Infinity;
        if (!hidden[i]) cost += weight(i);
      }
      return cost;
    };
    // A box that always qualifies: Total as partner where the entry has a value; where it is Total, the values of
    // one non-zero cell under it (every corner then sums that cell, so is at least 1).
    const under = origin.every((x, d) => x < total[d])
      ? origin
      : cellRows.find(
          (c) =>
            value[index.get(codeOf(c)) as number] > 0 &&
            c.every((x, d) => origin[d] === total[d] || origin[d] === x),
        );
    if (under === undefined) throw new Error('a non-zero entry without a non-zero cell under it');
    let best = origin.map((x, d) => (x === total[d] ? under[d] : total[d]));
    let bestCost = boxCost(best);
    if (bestCost === Infinity) throw new Error('disclosure control could not protect a suppressed value');
    // Branch and bound: the corners fixed so far (a face of the box) only add cost as dimensions are chosen.
    let nodes = 0;
    const partner: number[] = [];
    const search = (d: number, face: number[], cost: number): void => {
      if (d === k) {
        if (cost < bestCost) {
          bestCost = cost;
          best = partner.slice();
        }
        return;
      }
      for (const y of candidates[d]) {
        if (++nodes > searchLimit) return;
        const delta = (y - origin[d]) * stride[d];
        let added = 0;
        const shifted: number[] = [];
        for (const c of face) {
          const i = index.get(c + delta);
          if (i === undefined || value[i] === 0) {
            added = Infinity;
            break;
          }
          if (!hidden[i]) added += weight(i);
          shifted.push(c + delta);
        }
        if (cost + added >= bestCost) continue;
        partner[d] = y;
        search(d + 1, face.concat(shifted), cost + added);
      }
    };
    search(0, [originCode], 0);
    for (const c of cornerCodes(originCode, origin, best)) hidden[index.get(c) as number] = true;
  }

  const disclosed = (v: number, suppressed: boolean): DisclosedCount =>
    suppressed
      ? { value: null, suppressed: true, display: SUPPRESSED_DISPLAY }
      : { value: v, suppressed: false, display: String(v) };
  const names = values.map((m) => {
    const out: string[] = [];
    for (const [v, i] of m) out[i] = v;
    return out;
  });
  const keyOfEntry = (c: number[]): string =>
    extendedKey(c.map((x, d) => (x === total[d] ? null : names[d][x])));
  const cells = new Map<string, DisclosedCount>();
  cellOrder.forEach((i, n) => cells.set(cellKeys[n], disclosed(value[i], hidden[i])));
  const sums = new Map<string, DisclosedCount>();
  value.forEach((v, i) => {
    if (!isCell[i]) sums.set(keyOfEntry(coords[i]), disclosed(v, hidden[i]));
  });
  return { threshold, cells, sums };
}
