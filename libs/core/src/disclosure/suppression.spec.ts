import fc from 'fast-check';
import { crossTabulation } from './cross-tabulation';
import { suppressCrossTable } from './hypercube';
import { suppressTable, type DisclosureTable, type SuppressedTable } from './suppression';

// ---------------------------------------------------------------------------------------------------------------
// An independent attacker, written without the implementation's linear algebra: exact rationals and the rank
// test (a value is determined iff adding its coefficient vector does not raise the rank of the published sums),
// and, for small tables, a brute-force search over non-negative integer solutions.

interface Q {
  n: bigint;
  d: bigint;
}
const absBig = (x: bigint): bigint => (x < 0n ? -x : x);
function gcdBig(a: bigint, b: bigint): bigint {
  return b === 0n ? absBig(a) : gcdBig(b, a % b);
}
function q(n: bigint, d = 1n): Q {
  if (d < 0n) [n, d] = [-n, -d];
  const g = gcdBig(n, d) || 1n;
  return { n: n / g, d: d / g };
}
const sub = (a: Q, b: Q): Q => q(a.n * b.d - b.n * a.d, a.d * b.d);
const mul = (a: Q, b: Q): Q => q(a.n * b.n, a.d * b.d);
const div = (a: Q, b: Q): Q => q(a.n * b.d, a.d * b.n);

function rank(rows: number[][]): number {
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

interface Attack {
  /** Suppressed cell keys, and small suppressed sum keys, that the published equations pin down. */
  determined: string[];
}
function isSmall(x: number): boolean {
  return x >= 1 && x <= 5;
}
function sumValue(table: DisclosureTable, cellKeys: readonly string[]): number {
  const counts = new Map(table.cells.map((c) => [c.key, c.count]));
  return cellKeys.reduce((t, k) => t + (counts.get(k) ?? 0), 0);
}
function linearAttack(table: DisclosureTable, result: SuppressedTable): Attack {
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
function integerAttackFails(
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

function grid(rows: number[][]): DisclosureTable {
  return crossTabulation(
    rows.flatMap((row, r) => row.map((count, c) => ({ coordinates: { r: `r${r}`, c: `c${c}` }, count }))),
    ['r', 'c'],
  );
}
function list(counts: number[]): DisclosureTable {
  return crossTabulation(
    counts.map((count, i) => ({ coordinates: { x: `x${i}` }, count })),
    ['x'],
  );
}
const cellKey = (r: number, c: number): string => JSON.stringify([`r${r}`, `c${c}`]);
const rowKey = (r: number): string => JSON.stringify([`r${r}`, null]);
const colKey = (c: number): string => JSON.stringify([null, `c${c}`]);
const GRAND2 = JSON.stringify([null, null]);
const displays = (result: SuppressedTable): Record<string, string> =>
  Object.fromEntries([...result.cells, ...result.sums].map(([k, v]) => [k, v.display]));

function expectSafe(table: DisclosureTable, result: SuppressedTable): void {
  for (const [key, shown] of [...result.cells, ...result.sums]) {
    if (!shown.suppressed) expect(isSmall(shown.value as number)).toBe(false);
    else expect(shown).toEqual({ value: null, suppressed: true, display: 'c' });
    expect(key).toBeDefined();
  }
  expect(linearAttack(table, result).determined).toEqual([]);
}

describe('the test attackers', () => {
  // A hand-made, unsafe publication: only a and z hidden, with the published sums a+z and z+w.
  const table: DisclosureTable = {
    cells: [
      { key: 'a', count: 3 },
      { key: 'z', count: 0 },
      { key: 'w', count: 0 },
      { key: 'b', count: 9 },
    ],
    sums: [
      { key: 'az', cellKeys: ['a', 'z'] },
      { key: 'zw', cellKeys: ['z', 'w'] },
      { key: 'ab', cellKeys: ['a', 'b'] },
    ],
  };
  const hide = (cells: string[], sums: string[]): SuppressedTable => ({
    threshold: 5,
    cells: new Map(
      table.cells.map((c) => [
        c.key,
        cells.includes(c.key)
          ? { value: null, suppressed: true, display: 'c' }
          : { value: c.count, suppressed: false, display: String(c.count) },
      ]),
    ),
    sums: new Map(
      table.sums.map((s) => [
        s.key,
        sums.includes(s.key)
          ? { value: null, suppressed: true, display: 'c' }
          : { value: sumValue(table, s.cellKeys), suppressed: false, display: '' },
      ]),
    ),
  });

  it('the linear attacker recovers a cell from a sum with one hidden member, and through combinations', () => {
    // az is 3, so also a target: its hidden part is a alone.
    expect(linearAttack(table, hide(['a'], ['az'])).determined).toEqual(['a', 'az']);
    expect(linearAttack(table, hide(['a', 'z', 'w', 'b'], [])).determined).toEqual([]);
    expect(linearAttack(table, hide(['a', 'z', 'b'], ['az'])).determined).toEqual(['z']);
  });

  it('the integer attacker also uses non-negativity', () => {
    // Linearly a is free (a = (a+z) − (z+w) + w), but z + w = 0 forces z = w = 0, so a = 3.
    const result = hide(['a', 'z', 'w', 'b'], ['ab']);
    expect(linearAttack(table, result).determined).toEqual([]);
    expect(integerAttackFails(table, result, ['a'])).toBe(false);
    expect(integerAttackFails(table, hide(['a', 'b'], ['az']), ['a'])).toBe(true);
  });
});

describe('suppressTable examples', () => {
  it('a 2×2 table with one small cell needs three complements; the totals stay', () => {
    const table = grid([
      [3, 10],
      [12, 20],
    ]);
    const result = suppressTable(table);
    expect([...result.cells.values()].every((c) => c.suppressed)).toBe(true);
    expect(displays(result)).toMatchObject({
      [rowKey(0)]: '13',
      [rowKey(1)]: '32',
      [colKey(0)]: '15',
      [colKey(1)]: '30',
      [GRAND2]: '45',
    });
    expect(result.cells.get(cellKey(0, 0))).toEqual({ value: null, suppressed: true, display: 'c' });
    expect(result.sums.get(GRAND2)).toEqual({ value: 45, suppressed: false, display: '45' });
    expectSafe(table, result);
  });

  it('a list with a total suppresses the smallest other non-zero count, never a zero', () => {
    const table = list([4, 0, 30, 9, 17]);
    const result = suppressTable(table);
    const shown = table.cells.map((c) => result.cells.get(c.key)?.display);
    expect(shown).toEqual(['c', '0', '30', 'c', '17']);
    expect(result.sums.get(JSON.stringify([null]))?.display).toBe('60');
    expectSafe(table, result);
  });

  it('a list whose other entries are all zero loses its total instead', () => {
    const table = list([0, 8, 0]);
    const withSmall = list([0, 3, 0, 0]);
    expect(displays(suppressTable(table))).toEqual({
      [JSON.stringify(['x0'])]: '0',
      [JSON.stringify(['x1'])]: '8',
      [JSON.stringify(['x2'])]: '0',
      [JSON.stringify([null])]: '8',
    });
    const result = suppressTable(withSmall);
    expect(Object.values(displays(result))).toEqual(['0', 'c', '0', '0', 'c']);
    expectSafe(withSmall, result);
  });

  it('small totals are suppressed and cannot be recovered from the grand total and the other totals', () => {
    const table = grid([
      [2, 1, 0],
      [10, 20, 7],
      [9, 11, 30],
    ]);
    const result = suppressTable(table);
    const d = displays(result);
    expect(d[rowKey(0)]).toBe('c'); // 3
    expect(d[cellKey(0, 0)]).toBe('c');
    expect(d[cellKey(0, 1)]).toBe('c');
    expect(d[cellKey(0, 2)]).toBe('0');
    // Row 0's total would follow from the grand total less rows 1 and 2, so one of those goes too.
    expect([d[rowKey(1)], d[rowKey(2)], d[GRAND2]]).toContain('c');
    expectSafe(table, result);
  });

  it('a table of small counts hides everything but zero', () => {
    const table = grid([
      [1, 2],
      [0, 1],
    ]);
    const result = suppressTable(table);
    expect(Object.values(displays(result)).filter((x) => x !== 'c')).toEqual(['0']);
    expectSafe(table, result);
  });

  it('a table with nothing small is published whole', () => {
    const table = grid([
      [6, 0],
      [7, 100],
    ]);
    const result = suppressTable(table);
    expect(Object.values(displays(result)).includes('c')).toBe(false);
    expect(result.cells.get(cellKey(1, 1))).toEqual({ value: 100, suppressed: false, display: '100' });
  });

  it('honours another threshold, and threshold 0 suppresses nothing', () => {
    const table = list([8, 20, 30]);
    expect(suppressTable(table, { threshold: 10 }).cells.get(JSON.stringify(['x0']))?.display).toBe('c');
    expect(suppressTable(table, { threshold: 10 }).threshold).toBe(10);
    expect(Object.values(displays(suppressTable(list([1, 2]), { threshold: 0 })))).toEqual(['1', '2', '3']);
  });

  it('works for sums the caller lists itself, catching a leak through overlapping sums', () => {
    // a+b, b+c and a+c published with a, b, c hidden still give a = ((a+b) − (b+c) + (a+c)) / 2.
    const table: DisclosureTable = {
      cells: [
        { key: 'a', count: 2 },
        { key: 'b', count: 9 },
        { key: 'c', count: 8 },
        { key: 'd', count: 40 },
      ],
      sums: [
        { key: 'ab', cellKeys: ['a', 'b'] },
        { key: 'bc', cellKeys: ['b', 'c'] },
        { key: 'ac', cellKeys: ['a', 'c'] },
        { key: 'all', cellKeys: ['a', 'b', 'c', 'd'] },
      ],
    };
    const result = suppressTable(table);
    expectSafe(table, result);
  });

  it('rejects malformed input', () => {
    expect(() => suppressTable({ cells: [{ key: 'a', count: -1 }], sums: [] })).toThrow(RangeError);
    expect(() => suppressTable({ cells: [{ key: 'a', count: 1.5 }], sums: [] })).toThrow(RangeError);
    expect(() =>
      suppressTable({
        cells: [
          { key: 'a', count: 1 },
          { key: 'a', count: 2 },
        ],
        sums: [],
      }),
    ).toThrow(/duplicate cell/);
    expect(() => suppressTable({ cells: [], sums: [{ key: 's', cellKeys: ['zz'] }] })).toThrow(
      /unknown cell/,
    );
    expect(() => suppressTable({ cells: [{ key: 'a', count: 1 }], sums: [] }, { threshold: -1 })).toThrow(
      RangeError,
    );
  });
});

// ---------------------------------------------------------------------------------------------------------------

// Counts biased towards the interesting values: zeros, small counts, and just-above-threshold ones.
const countArb = fc.oneof(
  { weight: 2, arbitrary: fc.constant(0) },
  { weight: 4, arbitrary: fc.integer({ min: 1, max: 5 }) },
  { weight: 2, arbitrary: fc.integer({ min: 6, max: 9 }) },
  { weight: 2, arbitrary: fc.integer({ min: 10, max: 60 }) },
);
const gridArb = (maxSide: number, count = countArb): fc.Arbitrary<number[][]> =>
  fc
    .tuple(fc.integer({ min: 1, max: maxSide }), fc.integer({ min: 1, max: maxSide }))
    .chain(([r, c]) =>
      fc.array(fc.array(count, { minLength: c, maxLength: c }), { minLength: r, maxLength: r }),
    );
const listArb = fc.array(countArb, { minLength: 1, maxLength: 10 });
const RUNS = { numRuns: 200 };

function checkInvariants(table: DisclosureTable, result: SuppressedTable): void {
  const count = new Map(table.cells.map((c) => [c.key, c.count]));
  // (a) nothing published is 1..5
  for (const shown of [...result.cells.values(), ...result.sums.values()]) {
    if (!shown.suppressed) expect(isSmall(shown.value as number)).toBe(false);
  }
  // (c) published cells and sums show their true value; suppressed ones show nothing
  for (const cell of table.cells) {
    const shown = result.cells.get(cell.key);
    if (isSmall(cell.count)) expect(shown?.suppressed).toBe(true);
    if (cell.count === 0) expect(shown?.suppressed).toBe(false); // zeros are never used as complements
    expect(shown).toEqual(
      shown?.suppressed
        ? { value: null, suppressed: true, display: 'c' }
        : { value: cell.count, suppressed: false, display: String(cell.count) },
    );
  }
  for (const sum of table.sums) {
    const value = sum.cellKeys.reduce((t, k) => t + (count.get(k) ?? 0), 0);
    const shown = result.sums.get(sum.key);
    expect(shown).toEqual(
      shown?.suppressed
        ? { value: null, suppressed: true, display: 'c' }
        : { value, suppressed: false, display: String(value) },
    );
  }
  // (b) the published equations pin down no suppressed cell and no small suppressed total
  expect(linearAttack(table, result).determined).toEqual([]);
}

describe('suppressTable properties', () => {
  it('1-D lists with a total', () => {
    fc.assert(
      fc.property(listArb, (counts) => {
        const table = list(counts);
        checkInvariants(table, suppressTable(table));
      }),
      RUNS,
    );
  });

  it('2-D tables up to 6×6 with row, column and grand totals', () => {
    fc.assert(
      fc.property(gridArb(6), (rows) => {
        const table = grid(rows);
        checkInvariants(table, suppressTable(table));
      }),
      RUNS,
    );
  });

  it('small 2-D tables: every suppressed cell and small total can take another non-negative integer value', () => {
    const smallCount = fc.oneof(
      fc.constant(0),
      fc.integer({ min: 1, max: 5 }),
      fc.integer({ min: 6, max: 12 }),
    );
    fc.assert(
      fc.property(gridArb(3, smallCount), (rows) => {
        const table = grid(rows);
        const result = suppressTable(table);
        checkInvariants(table, result);
        for (const cell of table.cells) {
          if (result.cells.get(cell.key)?.suppressed) {
            expect(integerAttackFails(table, result, [cell.key])).toBe(true);
          }
        }
        for (const sum of table.sums) {
          if (result.sums.get(sum.key)?.suppressed && isSmall(sumValue(table, sum.cellKeys))) {
            expect(integerAttackFails(table, result, sum.cellKeys)).toBe(true);
          }
        }
      }),
      RUNS,
    );
  });

  it('3-D tables with all their margins', () => {
    const cubeArb = fc
      .tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }))
      .chain(([a, b, c]) =>
        fc.array(countArb, { minLength: a * b * c, maxLength: a * b * c }).map((xs) => ({ a, b, c, xs })),
      );
    fc.assert(
      fc.property(cubeArb, ({ a, b, c, xs }) => {
        const cells = [];
        for (let i = 0; i < a; i++)
          for (let j = 0; j < b; j++)
            for (let k = 0; k < c; k++)
              cells.push({
                coordinates: { p: `p${i}`, q: `q${j}`, s: `s${k}` },
                count: xs[(i * b + j) * c + k],
              });
        const table = crossTabulation(cells, ['p', 'q', 's']);
        checkInvariants(table, suppressTable(table));
      }),
      { numRuns: 100 },
    );
  });
});

// ---------------------------------------------------------------------------------------------------------------
// suppressCrossTable (the hypercube method the analytics answers use), against the same attackers.

function cube(shape: number[], counts: number[], keep: (i: number) => boolean = () => true): DisclosureTable {
  const names = shape.map((_, d) => `d${d}`);
  const cells: { coordinates: Record<string, string>; count: number }[] = [];
  const total = shape.reduce((t, n) => t * n, 1);
  for (let i = 0; i < total; i++) {
    if (!keep(i)) continue;
    let rest = i;
    const coordinates: Record<string, string> = {};
    for (let d = shape.length - 1; d >= 0; d--) {
      coordinates[names[d]] = `v${rest % shape[d]}`;
      rest = Math.floor(rest / shape[d]);
    }
    cells.push({ coordinates, count: counts[i % counts.length] });
  }
  return crossTabulation(cells, names);
}
function hypercube(table: DisclosureTable): SuppressedTable {
  return suppressCrossTable(
    table.cells.map((c) => ({ coordinates: JSON.parse(c.key) as string[], count: c.count })),
  );
}
const shapeArb = (dims: number, maxSide: number) =>
  fc.array(fc.integer({ min: 1, max: maxSide }), { minLength: dims, maxLength: dims });
const cubeArb = (dims: number, maxSide: number, sparse = false) =>
  shapeArb(dims, maxSide).chain((shape) =>
    fc.record({
      shape: fc.constant(shape),
      counts: fc.array(countArb, { minLength: 1, maxLength: 40 }),
      holes: sparse ? fc.array(fc.boolean(), { minLength: 1, maxLength: 13 }) : fc.constant([true]),
    }),
  );

describe('suppressCrossTable properties (hypercube method)', () => {
  it('matches the examples: a list loses its smallest other count, a 2×2 its four cells, never a zero', () => {
    const l = list([4, 0, 30, 9, 17]);
    const lr = hypercube(l);
    expect(l.cells.map((c) => lr.cells.get(c.key)?.display)).toEqual(['c', '0', '30', 'c', '17']);
    expect(lr.sums.get(JSON.stringify([null]))?.display).toBe('60');
    const g = grid([
      [3, 10],
      [12, 20],
    ]);
    const gr = hypercube(g);
    expect([...gr.cells.values()].every((c) => c.suppressed)).toBe(true);
    expect([...gr.sums.values()].some((c) => c.suppressed)).toBe(false);
    expect(Object.values(displays(hypercube(list([0, 3, 0, 0]))))).toEqual(['0', 'c', '0', '0', 'c']);
  });

  for (const [name, arb, runs] of [
    ['1-D lists with a total', cubeArb(1, 10), 200],
    ['2-D tables up to 6×6', cubeArb(2, 6), 200],
    ['2-D tables with absent cells', cubeArb(2, 6, true), 200],
    ['3-D tables with all their margins', cubeArb(3, 3), 150],
    ['3-D tables with absent cells', cubeArb(3, 4, true), 100],
    ['4-D tables with all their margins', cubeArb(4, 3), 60],
  ] as const) {
    it(`${name}: the exact linear attacker recovers nothing`, () => {
      fc.assert(
        fc.property(arb, ({ shape, counts, holes }) => {
          const table = cube(shape, counts, (i) => holes[i % holes.length]);
          fc.pre(table.cells.length > 0);
          checkInvariants(table, hypercube(table));
        }),
        { numRuns: runs },
      );
    });
  }

  it('small 2-D and 3-D tables: every suppressed cell and small total can take another non-negative integer value', () => {
    const smallCount = fc.oneof(
      fc.constant(0),
      fc.integer({ min: 1, max: 5 }),
      fc.integer({ min: 6, max: 12 }),
    );
    const arb = fc.oneof(shapeArb(2, 3), shapeArb(3, 2)).chain((shape) =>
      fc.record({
        shape: fc.constant(shape),
        counts: fc.array(smallCount, { minLength: 8, maxLength: 8 }),
      }),
    );
    fc.assert(
      fc.property(arb, ({ shape, counts }) => {
        const table = cube(shape, counts);
        const result = hypercube(table);
        checkInvariants(table, result);
        for (const cell of table.cells) {
          if (result.cells.get(cell.key)?.suppressed) {
            expect(integerAttackFails(table, result, [cell.key])).toBe(true);
          }
        }
        for (const sum of table.sums) {
          if (result.sums.get(sum.key)?.suppressed && isSmall(sumValue(table, sum.cellKeys))) {
            expect(integerAttackFails(table, result, sum.cellKeys)).toBe(true);
          }
        }
      }),
      { numRuns: 150 },
    );
  });

  it('does not depend on the order of the rows', () => {
    fc.assert(
      fc.property(cubeArb(2, 5, true), fc.integer(), ({ shape, counts, holes }, seed) => {
        const table = cube(shape, counts, (i) => holes[i % holes.length]);
        const rows = table.cells.map((c) => ({ coordinates: JSON.parse(c.key) as string[], count: c.count }));
        const at = Math.abs(seed) % Math.max(1, rows.length);
        const shuffled = [...rows.slice(at), ...rows.slice(0, at)].reverse();
        const sorted = (r: SuppressedTable) => [...r.cells, ...r.sums].sort(([a], [b]) => (a < b ? -1 : 1));
        expect(sorted(suppressCrossTable(shuffled))).toEqual(sorted(suppressCrossTable(rows)));
      }),
      { numRuns: 100 },
    );
  });

  it('a large 3-D answer (48 × 8 × 8) is protected in well under a second', () => {
    const counts = Array.from({ length: 48 * 64 }, (_, i) => [0, 1, 3, 7, 12, 40, 2, 150, 9][(i * 7919) % 9]);
    const table = cube([48, 8, 8], counts);
    const started = Date.now();
    const result = hypercube(table);
    expect(Date.now() - started).toBeLessThan(1500);
    checkInvariants({ cells: table.cells, sums: [] }, result);
    expect([...result.cells.values()].filter((c) => c.suppressed).length).toBeGreaterThan(0);
  });
});
