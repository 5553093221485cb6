import fc from 'fast-check';
import { crossTabulation } from './cross-tabulation';
import { suppressCrossTable } from './hypercube';
import { suppressTable, type DisclosureTable, type SuppressedTable } from './suppression';
import {
  isSmall,
  sumValue,
  linearAttack,
  integerAttackFails,
  grid,
  list,
  displays,
} from './suppression-attackers.spec-support';

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

/** The invariants, and no suppressed cell or small total recoverable even with non-negativity (small tables). */
function checkInvariantsAndIntegerAttacks(table: DisclosureTable, result: SuppressedTable): void {
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
}

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
        checkInvariantsAndIntegerAttacks(table, result);
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
        checkInvariantsAndIntegerAttacks(table, result);
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
