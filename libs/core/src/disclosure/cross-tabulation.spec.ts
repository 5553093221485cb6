import { allMargins, coordinateKey, crossTabulation } from './cross-tabulation';

describe('crossTabulation', () => {
  it('builds cells, row, column and grand totals for two dimensions', () => {
    const table = crossTabulation(
      [
        { coordinates: { period: '2025-01', type: 'HEALTH' }, count: 3 },
        { coordinates: { period: '2025-01', type: 'POLICE' }, count: 0 },
        { coordinates: { period: '2025-02', type: 'HEALTH' }, count: 7 },
      ],
      ['period', 'type'],
    );
    expect(table.cells.map((c) => c.key)).toEqual([
      '["2025-01","HEALTH"]',
      '["2025-01","POLICE"]',
      '["2025-02","HEALTH"]',
    ]);
    expect(table.sums).toEqual([
      { key: '["2025-01",null]', cellKeys: ['["2025-01","HEALTH"]', '["2025-01","POLICE"]'] },
      { key: '["2025-02",null]', cellKeys: ['["2025-02","HEALTH"]'] },
      { key: '[null,"HEALTH"]', cellKeys: ['["2025-01","HEALTH"]', '["2025-02","HEALTH"]'] },
      { key: '[null,"POLICE"]', cellKeys: ['["2025-01","POLICE"]'] },
      { key: '[null,null]', cellKeys: table.cells.map((c) => c.key) },
    ]);
  });

  it('lists every proper margin, grand total last, or only the margins asked for', () => {
    expect(allMargins(['a', 'b', 'c'])).toEqual([
      ['a', 'b'],
      ['a', 'c'],
      ['b', 'c'],
      ['a'],
      ['b'],
      ['c'],
      [],
    ]);
    const table = crossTabulation([{ coordinates: { a: '1', b: '2' }, count: 1 }], ['a', 'b'], [[]]);
    expect(table.sums).toEqual([{ key: '[null,null]', cellKeys: ['["1","2"]'] }]);
    expect(coordinateKey({ b: 'x' }, ['a', 'b'])).toBe('[null,"x"]');
  });

  it('rejects cells without every dimension and margins outside the table', () => {
    expect(() => crossTabulation([{ coordinates: { a: '1' }, count: 1 }], ['a', 'b'])).toThrow(RangeError);
    expect(() => crossTabulation([], ['a'], [['z']])).toThrow(RangeError);
    expect(() => crossTabulation([], ['a'], [['a']])).toThrow(RangeError);
  });
});
