import { suppressTable, type DisclosureTable, type SuppressedTable } from './suppression';
import {
  sumValue,
  linearAttack,
  integerAttackFails,
  grid,
  list,
  cellKey,
  rowKey,
  colKey,
  GRAND2,
  displays,
  expectSafe,
} from './suppression-attackers.spec-support';

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
