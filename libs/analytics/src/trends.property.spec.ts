import fc from 'fast-check';
import {
  AggregateRow,
  assembleTrends,
  discloseMeasure,
  guardedPercentile,
  keyOf,
  measureTable,
} from './trends';

/**
 * An attacker who sees a trends answer and every margin of it (what coarser queries show) tries to work out the
 * suppressed cells: repeatedly, any published total with exactly one unknown member gives that member away.
 * Whatever the table, no suppressed cell may be recovered.
 */
function recover(rows: AggregateRow[], threshold = 5): Map<string, number> {
  const table = measureTable(rows, 'raised');
  const out = discloseMeasure(rows, 'raised', threshold);
  const known = new Map<string, number>();
  for (const [key, c] of out.cells) if (!c.suppressed) known.set(key, c.value!);
  const recovered = new Map<string, number>();
  for (let progress = true; progress;) {
    progress = false;
    for (const sum of table.sums) {
      const published = out.sums.get(sum.key)!;
      if (published.suppressed) continue;
      const unknown = sum.cellKeys.filter((k) => !known.has(k));
      if (unknown.length !== 1) continue;
      const value =
        published.value! - sum.cellKeys.filter((k) => known.has(k)).reduce((t, k) => t + known.get(k)!, 0);
      known.set(unknown[0], value);
      recovered.set(unknown[0], value);
      progress = true;
    }
  }
  return recovered;
}

/** Rank of integer rows (exact, fraction-free elimination with BigInt). */
function rank(rows: bigint[][]): number {
  const m = rows.map((r) => [...r]);
  let r = 0;
  const width = m[0]?.length ?? 0;
  for (let c = 0; c < width && r < m.length; c++) {
    const p = m.findIndex((row, i) => i >= r && row[c] !== 0n);
    if (p === -1) continue;
    [m[r], m[p]] = [m[p], m[r]];
    for (let i = 0; i < m.length; i++) {
      if (i === r || m[i][c] === 0n) continue;
      const a = m[r][c];
      const b = m[i][c];
      m[i] = m[i].map((v, k) => v * a - m[r][k] * b);
    }
    r++;
  }
  return r;
}

/** Suppressed cells whose value the published sums pin down exactly (e_j lies in their row space). */
function determined(rows: AggregateRow[]): string[] {
  const table = measureTable(rows, 'raised');
  const out = discloseMeasure(rows, 'raised');
  const unknown = table.cells.filter((c) => out.cells.get(c.key)!.suppressed).map((c) => c.key);
  const col = new Map(unknown.map((k, i) => [k, i]));
  const equations = table.sums
    .filter((s) => !out.sums.get(s.key)!.suppressed)
    .map((s) => {
      const v = unknown.map(() => 0n);
      for (const k of s.cellKeys) if (col.has(k)) v[col.get(k)!] = 1n;
      return v;
    })
    .filter((v) => v.some((x) => x !== 0n));
  const base = rank(equations);
  return unknown.filter((k) => {
    const e = unknown.map((u) => (u === k ? 1n : 0n));
    return rank([...equations, e]) === base;
  });
}

const rowsArb = fc
  .record({
    periods: fc.integer({ min: 1, max: 3 }),
    values: fc.integer({ min: 1, max: 5 }),
    counts: fc.array(fc.oneof(fc.integer({ min: 0, max: 7 }), fc.integer({ min: 0, max: 60 })), {
      minLength: 15,
      maxLength: 15,
    }),
  })
  .map(({ periods, values, counts }) => {
    const rows: AggregateRow[] = [];
    let i = 0;
    for (let p = 0; p < periods; p++) {
      for (let v = 0; v < values; v++) {
        rows.push({ coordinates: [`2020-0${p + 1}-01`, `V${v}`], counts: { raised: counts[i++ % 15] } });
      }
    }
    return rows;
  });

const cubeRowsArb = fc
  .record({
    periods: fc.integer({ min: 1, max: 3 }),
    xs: fc.integer({ min: 1, max: 4 }),
    ys: fc.integer({ min: 1, max: 3 }),
    counts: fc.array(fc.oneof(fc.integer({ min: 0, max: 7 }), fc.integer({ min: 0, max: 60 })), {
      minLength: 11,
      maxLength: 11,
    }),
    present: fc.array(fc.boolean(), { minLength: 7, maxLength: 7 }),
  })
  .map(({ periods, xs, ys, counts, present }) => {
    const rows: AggregateRow[] = [];
    let i = 0;
    for (let p = 0; p < periods; p++)
      for (let x = 0; x < xs; x++)
        for (let y = 0; y < ys; y++, i++) {
          if (!present[i % 7]) continue;
          rows.push({
            coordinates: [`2020-0${p + 1}-01`, `X${x}`, `Y${y}`],
            counts: { raised: counts[i % 11] },
          });
        }
    return rows;
  });

describe('disclosure control of trends answers', () => {
  it('no suppressed cell can be recovered from the answer and its margins', () => {
    fc.assert(
      fc.property(rowsArb, (rows) => {
        const recovered = recover(rows);
        const out = discloseMeasure(rows, 'raised');
        for (const key of recovered.keys()) expect(out.cells.get(key)!.suppressed).toBe(false);
      }),
      { numRuns: 500 },
    );
  });

  it('no suppressed cell is determined by the published margins (exact linear algebra)', () => {
    fc.assert(
      fc.property(rowsArb, (rows) => {
        expect(determined(rows)).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('3-D answers (period × two dimensions, some combinations absent): nothing is determined', () => {
    fc.assert(
      fc.property(cubeRowsArb, (rows) => {
        fc.pre(rows.length > 0);
        expect(determined(rows)).toEqual([]);
        const out = discloseMeasure(rows, 'raised');
        const table = measureTable(rows, 'raised');
        // Nothing published is 1..5, suppressed margins included.
        for (const [key, c] of [...out.cells, ...out.sums]) {
          expect(key).toBeDefined();
          if (!c.suppressed) expect(c.value! >= 1 && c.value! <= 5).toBe(false);
        }
        expect(out.sums.size).toBe(table.sums.length);
      }),
      { numRuns: 150 },
    );
  });

  it('suppresses every count from 1 to 5 and shows zeros and larger counts', () => {
    fc.assert(
      fc.property(rowsArb, (rows) => {
        const answer = assembleTrends({ dimensions: ['X'], rows, shown: [0, 1], stats: new Map() });
        for (const bucket of answer.buckets) {
          const count = rows.find((r) => keyOf(r.coordinates) === keyOf(bucket.coordinates))!.counts.raised;
          const shown = bucket.count('raised');
          if (count >= 1 && count <= 5)
            expect(shown).toEqual({ value: null, suppressed: true, display: 'c' });
          if (!shown.suppressed)
            expect(shown).toEqual({ value: count, suppressed: false, display: String(count) });
        }
      }),
      { numRuns: 300 },
    );
  });

  it('a summed-over dimension shows the margins, suppressed as sums', () => {
    const rows: AggregateRow[] = [
      { coordinates: ['2020-01-01', 'HAMPSHIRE', 'A'], counts: { raised: 2 } },
      { coordinates: ['2020-01-01', 'PORTSMOUTH', 'A'], counts: { raised: 2 } },
      { coordinates: ['2020-01-01', 'HAMPSHIRE', 'B'], counts: { raised: 30 } },
    ];
    const answer = assembleTrends({
      dimensions: ['PARTNERSHIP', 'X'],
      rows,
      shown: [0, 2],
      stats: new Map(),
    });
    const shown = answer.buckets.map((b) => [b.coordinates[1], b.count('raised').display]);
    expect(shown[0]).toEqual(['A', 'c']);
    // A (4) is protected: B is hidden too, or the period's total (34) is, so 34 − 30 cannot be taken.
    const total = discloseMeasure(rows, 'raised').sums.get(`sum:${keyOf(['2020-01-01', null, null])}`);
    expect(shown[1][1] === 'c' || total?.suppressed).toBe(true);
    expect(determined(rows)).toEqual([]);
  });
});

describe('medians and 90th percentiles', () => {
  const shown = { value: 40, suppressed: false, display: '40' };

  it('are never reported for fewer than six cases, whatever the value', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 5 }),
        fc.double({ min: 0, max: 500, noNaN: true }),
        (n, value) => {
          expect(guardedPercentile(value, n, shown)).toBeNull();
        },
      ),
      { numRuns: 200 },
    );
    for (let n = 0; n < 6; n++) expect(guardedPercentile(12.5, n, shown)).toBeNull();
  });

  it('are reported from six cases, to two decimals, unless their count is suppressed', () => {
    expect(guardedPercentile(3.456, 6, shown)).toBe(3.46);
    expect(guardedPercentile(7, 600, shown)).toBe(7);
    expect(guardedPercentile(3.456, 6, { value: null, suppressed: true, display: 'c' })).toBeNull();
    expect(guardedPercentile(null, 60, shown)).toBeNull();
  });
});
