import { TrendDimension, TrendInterval } from './dto/trends.model';
import { estimateTableCells, periodCount } from './table-size';
import { COUNT_MEASURES, measuresOfFields } from './trends';

describe('table size (refused before any query)', () => {
  it('counts whole periods from the one containing from to the one containing to', () => {
    expect(periodCount('2019-01-15', '2019-12-31', TrendInterval.MONTH)).toBe(12);
    expect(periodCount('2019-02-01', '2019-04-01', TrendInterval.QUARTER)).toBe(2);
    expect(periodCount('2001-06-01', '2004-01-01', TrendInterval.YEAR)).toBe(4);
    expect(periodCount('2000-01-01', '2019-12-31', TrendInterval.MONTH)).toBe(240);
  });

  it('multiplies the periods by the values of each dimension', () => {
    const shape = { from: '2001-01-01', to: '2004-12-31', partnerships: 3, agencies: 41 };
    expect(estimateTableCells({ ...shape, interval: TrendInterval.YEAR, groupBy: [] })).toBe(4);
    expect(
      estimateTableCells({
        ...shape,
        interval: TrendInterval.QUARTER,
        groupBy: [TrendDimension.CATEGORY, TrendDimension.URGENCY, TrendDimension.OUTCOME],
      }),
    ).toBe(16 * 14 * 2 * 8);
    expect(
      estimateTableCells({
        ...shape,
        interval: TrendInterval.YEAR,
        groupBy: [TrendDimension.PARTNERSHIP, TrendDimension.RAISING_AGENCY, TrendDimension.HIGHEST_STAGE],
      }),
    ).toBe(4 * 3 * 41 * 5);
  });
});

describe('measures an answer needs', () => {
  it('discloses only the measures behind the fields asked for', () => {
    expect(measuresOfFields(['periodStart', 'dimensions', 'raised'])).toEqual(['raised']);
    expect(measuresOfFields(['medianWorkingDaysToResolution', 'stage0Used'])).toEqual([
      'resolved',
      'stage0Used',
    ]);
    expect(measuresOfFields(['resolvedAtStage'])).toEqual([0, 1, 2, 3, 4].map((s) => `resolvedAt:${s}`));
    const everything = Object.keys({
      raised: 1,
      resolved: 1,
      breachedStages: 1,
      stagesOpened: 1,
      extensions: 1,
      stage0Used: 1,
      resolvedAtStage0: 1,
      reopened: 1,
      systemicFlags: 1,
      children: 1,
      resolvedAtStage: 1,
      learningThemes: 1,
    });
    expect(measuresOfFields(everything)).toEqual([...COUNT_MEASURES]);
  });
});
