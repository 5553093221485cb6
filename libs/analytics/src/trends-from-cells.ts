import { setImmediate as nextTurn } from 'node:timers/promises';
import { percentileOfHistogram } from '@hips/core';
import { TrendDimension, TrendInterval } from './dto/trends.model';
import { monthsPerPeriod } from './table-size';
import { C_MEASURES, CELL_DIMENSIONS, groupingOf, R_MEASURES } from './trend-cells';
import { AggregateRow, BucketStats, keyOf } from './trends';
import { MAX_CELLS, periodStart, ReadModel, ROWS_PER_TURN, tooManyCells, TrendsQuery } from './trends-query';

/** A trend cell as read: arrays as comma-separated text. */
interface CellText {
  p: string;
  basis: string;
  month: string;
  k1: string;
  k2: string;
  counts: string;
  hist: string;
}

/**
 * The answer from the pre-aggregated cells (trend-cells.ts): the rows of one grouping over the months of the
 * range, summed into periods (and over partnerships unless PARTNERSHIP is asked for) in memory; percentiles
 * exact from the merged histograms.
 */
export async function trendsFromCells(
  query: TrendsQuery,
  read: ReadModel,
): Promise<{ rows: AggregateRow[]; stats: Map<string, BucketStats> }> {
  const cellDimensions = CELL_DIMENSIONS.filter((d) => query.groupBy.includes(d as TrendDimension));
  const ids = query.partnerships.map((p) => p.id);
  const agencies = query.groupBy.some(
    (d) => d === TrendDimension.RAISING_AGENCY || d === TrendDimension.RESPONDING_AGENCY,
  );
  // Yearly answers read the year rows. Arrays come as comma-separated text: splitting it is several times cheaper
  // than the driver's array parser.
  const yearly = query.interval === TrendInterval.YEAR;
  // One bucket gathers at most this many rows (its months, partnerships summed over, both bases): reading more
  // means more than MAX_CELLS buckets, so the read stops there and the answer is refused.
  const perBucket =
    (yearly ? 1 : monthsPerPeriod(query.interval)) *
    (query.groupBy.includes(TrendDimension.PARTNERSHIP) ? 1 : ids.length) *
    2;
  const maxRows = MAX_CELLS * perBucket;
  const { cells, names } = await read(async (em) => ({
    cells: await em.query<CellText[]>(
      `select partnership_id::text as p, basis, month::text as month, k1, k2,
              array_to_string(counts, ',') as counts, array_to_string(hist, ',') as hist
         from analytics_trend_cells
        where partnership_id = any($1::uuid[]) and grouping = $2 and month between $3::date and $4::date
          and basis = any($5::text[])
        limit $6`,
      [
        ids,
        groupingOf(cellDimensions),
        query.from,
        query.to,
        yearly ? ['RY', 'CY'] : ['R', 'C'],
        maxRows + 1,
      ],
    ),
    names: agencies
      ? await em.query<{ id: string; name: string }[]>(
          'select agency_id::text as id, name from analytics_agencies',
        )
      : [],
  }));
  const agencyName = new Map(names.map((a) => [a.id, a.name]));
  const code = new Map(query.partnerships.map((p) => [p.id, p.code]));
  const valueOf = query.groupBy.map((d) => {
    if (d === TrendDimension.PARTNERSHIP) return (c: CellText) => code.get(c.p) ?? c.p;
    const k = (cellDimensions as string[]).indexOf(d) === 0 ? 'k1' : 'k2';
    return d === TrendDimension.RAISING_AGENCY || d === TrendDimension.RESPONDING_AGENCY
      ? (c: CellText) => agencyName.get(c[k]) ?? 'Unknown agency'
      : (c: CellText) => c[k];
  });
  if (cells.length > maxRows) throw tooManyCells();
  const periods = new Map<string, string>();
  const buckets = new Map<string, { row: AggregateRow; res: number[]; resp: number[] }>();
  for (const [i, c] of cells.entries()) {
    // Tens of thousands of rows are summed here: the event loop gets a turn now and then.
    if (i > 0 && i % ROWS_PER_TURN === 0) await nextTurn();
    let period = periods.get(c.month);
    if (period === undefined) {
      period = periodStart(c.month, query.interval);
      periods.set(c.month, period);
    }
    const values = valueOf.map((f) => f(c));
    const cheap = `${period}\u001f${values.join('\u001f')}`;
    let bucket = buckets.get(cheap);
    if (!bucket) {
      bucket = { row: { coordinates: [period, ...values], counts: {} }, res: [], resp: [] };
      buckets.set(cheap, bucket);
    }
    const raised = c.basis === 'R' || c.basis === 'RY';
    const measures = raised ? R_MEASURES : C_MEASURES;
    const counts = bucket.row.counts;
    const parts = c.counts === '' ? [] : c.counts.split(',');
    for (let i = 0; i < measures.length; i++)
      counts[measures[i]] = (counts[measures[i]] ?? 0) + +(parts[i] ?? 0);
    if (c.hist !== '') {
      const hist = raised ? bucket.resp : bucket.res;
      const days = c.hist.split(',');
      for (let v = 0; v < days.length; v++) hist[v] = (hist[v] ?? 0) + +days[v];
    }
  }
  if (buckets.size > MAX_CELLS) throw tooManyCells();
  const rows: AggregateRow[] = [];
  const stats = new Map<string, BucketStats>();
  const total = (h: number[]) => h.reduce((t, x) => t + (x ?? 0), 0);
  const dense = (h: number[]) => Array.from(h, (x) => x ?? 0);
  for (const b of buckets.values()) {
    const key = keyOf(b.row.coordinates);
    rows.push(b.row);
    const res = dense(b.res);
    const resp = dense(b.resp);
    stats.set(key, {
      resolvedWithDays: total(res),
      medianResolution: percentileOfHistogram(res, 50),
      p90Resolution: percentileOfHistogram(res, 90),
      respondedWithDays: total(resp),
      medianFirstResponse: percentileOfHistogram(resp, 50),
      p90FirstResponse: percentileOfHistogram(resp, 90),
    });
  }
  return { rows, stats };
}
