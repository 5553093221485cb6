import { crossTabulation } from './cross-tabulation';
import type { DisclosureTable, SuppressedTable } from './suppression';

// Test support for the suppression specs (not part of the library's surface).

// ---------------------------------------------------------------------------------------------------------------
// An independent attacker, written without the implementation's linear algebra: exact rationals and the rank
// test (a value is determined iff adding its coefficient vector does not raise the rank of the published sums),
// and, for small tables, a brute-force search over non-negative integer solutions.

export interface Q {
  n: bigint;
  d: bigint;
}
export const absBig = (x: bigint): bigint => (x < 0n ? -x : x);
export function gcdBig(a: bigint, b: bigint): bigint {
  return b === 0n ? absBig(a) : gcdBig(b, a % b);
}
export function q(n: bigint, d = 1n): Q {
  if (d < 0n) [n, d] = [-n, -d];
  const g = gcdBig(n, d) || 1n;
  return { n: n / g, d: d / g };
}
export const sub = (a: Q, b: Q): Q => q(a.n * b.d - b.n * a.d, a.d * b.d);
export const mul = (a: Q, b: Q): Q => q(a.n * b.n, a.d * b.d);
export const div = (a: Q, b: Q): Q => q(a.n * b.d, a.d * b.n);

export function rank(rows: number[][]): number {
  const m = rows.map((r) => r.map((x) => q(BigInt(x))));
  let r = 0;
  const width = m[0]?.length ?? 0;
  for (let c = 0; c < width && r < m.length; c++) {
    const p = m.findIndex((row, i) => i >= r && row[c].n !== 0n);
    if (p < 0) continue;
    [m[r], m[p]] = [m[p], m[r]];
    for (let i = 0; i < m.length; i++) {
      if (i === r || m[i][c].n === 0n) continue;
      const f = div(m[i][c], m[r][c]);
      m[i] = m[i].map((x, j) => sub(x, mul(f, m[r][j])));
    }
    r++;
  }
  return r;
}

export interface Attack {
  /** Suppressed cell keys, and small suppressed sum keys, that the published equations pin down. */
  determined: string[];
}
export function isSmall(x: number): boolean {
  return x >= 1 && x <= 5;
}
export function sumValue(table: DisclosureTable, cellKeys: readonly string[]): number {
  const counts = new Map(table.cells.map((c) => [c.key, c.count]));
  return cellKeys.reduce((t, k) => t + (counts.get(k) ?? 0), 0);
}
export function linearAttack(table: DisclosureTable, result: SuppressedTable): Attack {
  const hidden = table.cells.filter((c) => result.cells.get(c.key)?.suppressed).map((c) => c.key);
  const row = (keys: readonly string[]): number[] => hidden.map((k) => (keys.includes(k) ? 1 : 0));
  const equations = table.sums.filter((s) => !result.sums.get(s.key)?.suppressed).map((s) => row(s.cellKeys));
  const base = rank(equations);
  const targets = [
    ...hidden.map((k) => ({ key: k, keys: [k] })),
    ...table.sums
      .filter((s) => result.sums.get(s.key)?.suppressed && isSmall(sumValue(table, s.cellKeys)))
      .map((s) => ({ key: s.key, keys: s.cellKeys })),
  ];
  return { determined: targets.filter((t) => rank([...equations, row(t.keys)]) === base).map((t) => t.key) };
}

/** Some non-negative integer solution gives the target a different total than the truth. */
export function integerAttackFails(
  table: DisclosureTable,
  result: SuppressedTable,
  target: readonly string[],
): boolean {
  const count = new Map(table.cells.map((c) => [c.key, c.count]));
  const hidden = table.cells.filter((c) => result.cells.get(c.key)?.suppressed).map((c) => c.key);
  const index = new Map(hidden.map((k, i) => [k, i]));
  const equations = table.sums
    .filter((s) => !result.sums.get(s.key)?.suppressed)
    .map((s) => ({
      vars: s.cellKeys.filter((k) => index.has(k)).map((k) => index.get(k) as number),
      residual: s.cellKeys
        .filter((k) => !index.has(k))
        .reduce((t, k) => t - (count.get(k) ?? 0), sumValue(table, s.cellKeys)),
    }))
    .filter((e) => e.vars.length > 0);
  const targetVars = target.filter((k) => index.has(k)).map((k) => index.get(k) as number);
  const truth = targetVars.reduce((t, i) => t + (count.get(hidden[i]) ?? 0), 0);
  // A variable in no published equation is free: the attacker learns nothing about it.
  if (targetVars.some((i) => !equations.some((e) => e.vars.includes(i)))) return true;
  const bound = hidden.map((_, i) =>
    Math.min(...equations.filter((e) => e.vars.includes(i)).map((e) => e.residual), Infinity),
  );
  const x = new Array<number>(hidden.length).fill(0);
  const consistent = (assigned: number): boolean =>
    equations.every((e) => {
      const partial = e.vars.filter((v) => v < assigned).reduce((t, v) => t + x[v], 0);
      return e.vars.every((v) => v < assigned) ? partial === e.residual : partial <= e.residual;
    });
  const search = (i: number): boolean => {
    if (i === hidden.length) return targetVars.reduce((t, v) => t + x[v], 0) !== truth;
    const top = Number.isFinite(bound[i]) ? bound[i] : (count.get(hidden[i]) ?? 0) + 1;
    for (let value = 0; value <= top; value++) {
      x[i] = value;
      if (consistent(i + 1) && search(i + 1)) return true;
    }
    return false;
  };
  return search(0);
}

// ---------------------------------------------------------------------------------------------------------------

export function grid(rows: number[][]): DisclosureTable {
  return crossTabulation(
    rows.flatMap((row, r) => row.map((count, c) => ({ coordinates: { r: `r${r}`, c: `c${c}` }, count }))),
    ['r', 'c'],
  );
}
export function list(counts: number[]): DisclosureTable {
  return crossTabulation(
    counts.map((count, i) => ({ coordinates: { x: `x${i}` }, count })),
    ['x'],
  );
}
export const cellKey = (r: number, c: number): string => JSON.stringify([`r${r}`, `c${c}`]);
export const rowKey = (r: number): string => JSON.stringify([`r${r}`, null]);
export const colKey = (c: number): string => JSON.stringify([null, `c${c}`]);
export const GRAND2 = JSON.stringify([null, null]);
export const displays = (result: SuppressedTable): Record<string, string> =>
  Object.fromEntries([...result.cells, ...result.sums].map(([k, v]) => [k, v.display]));

export function expectSafe(table: DisclosureTable, result: SuppressedTable): void {
  for (const [key, shown] of [...result.cells, ...result.sums]) {
    if (!shown.suppressed) expect(isSmall(shown.value as number)).toBe(false);
    else expect(shown).toEqual({ value: null, suppressed: true, display: 'c' });
    expect(key).toBeDefined();
  }
  expect(linearAttack(table, result).determined).toEqual([]);
}
