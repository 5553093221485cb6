import type { EntityManager } from 'typeorm';
import type { CaseFact } from './case-fact';
import { LEARNING_THEME_CODES } from './learning-themes';

/**
 * The pre-aggregated read model (analytics_trend_cells): per partnership × month × basis × grouping × dimension
 * values, the counts of every measure and a histogram of integer working days, so a trend query reads a few
 * thousand rows instead of a million facts and its medians and 90th percentiles are exact.
 *
 * - basis 'R': the cases raised in the month (counts R_MEASURES; histogram of working days to first response);
 *   basis 'C': the cases resolved in the month (counts C_MEASURES; histogram of working days to resolution);
 *   'RY' and 'CY': the same for the calendar year starting at `month` (a yearly answer reads 12 times fewer rows).
 * - grouping: a bitmask over CELL_DIMENSIONS; every grouping of at most MAX_CELL_GROUPING dimensions is kept.
 *   k1 and k2 are the values of its dimensions in CELL_DIMENSIONS order ('' where it has fewer). The
 *   partnership is part of every row, so PARTNERSHIP as a dimension costs nothing.
 * - counts[0] is the number of cases in the row (raised, resp. resolved); a row whose count falls to 0 is deleted,
 *   so the cells are exactly those the facts give (a rebuild and incremental upkeep agree row for row).
 *
 * Upkeep is by difference: when a case's fact row is recomputed, its old contributions are subtracted and its new
 * ones added (applyCellDeltas), in the same transaction as the fact upsert; a case whose fact did not change
 * contributes nothing, so the refresh stays idempotent. The rebuild recomputes the cells of a partnership from its
 * freshly computed facts from scratch (CellAccumulator, then an insert after deleting the partnership's cells).
 */

/** The dimensions of the cells, in bit order. PARTNERSHIP is the row's partnership_id. */
export const CELL_DIMENSIONS = [
  'CATEGORY',
  'URGENCY',
  'LEVEL_OF_NEED',
  'RAISING_AGENCY_TYPE',
  'RESPONDING_AGENCY_TYPE',
  'RAISING_AGENCY',
  'RESPONDING_AGENCY',
  'HIGHEST_STAGE',
  'OUTCOME',
] as const;
export type CellDimension = (typeof CELL_DIMENSIONS)[number];

/** Groupings of at most this many dimensions (besides the partnership) are kept. */
export const MAX_CELL_GROUPING = 2;

/** Every kept grouping, as a bitmask over CELL_DIMENSIONS. */
export const CELL_GROUPINGS: number[] = (() => {
  const out: number[] = [];
  for (let mask = 0; mask < 1 << CELL_DIMENSIONS.length; mask++) {
    if (bitCount(mask) <= MAX_CELL_GROUPING) out.push(mask);
  }
  return out;
})();

export const STAGE_NUMBERS = [0, 1, 2, 3, 4];

/** 'R': cases raised in the month; 'C': resolved in it; 'RY' and 'CY': the same for the year starting at `month`. */
export type Basis = 'R' | 'C' | 'RY' | 'CY';

/** counts of a basis 'R' (or 'RY') row (cases raised in the month, or year), in order. */
export const R_MEASURES = [
  'raised',
  'breachedStages',
  'stagesOpened',
  'extensions',
  'stage0Used',
  'reopened',
  'children',
] as const;
/** counts of a basis 'C' (or 'CY') row (cases resolved in the month, or year), in order. */
export const C_MEASURES = [
  'resolved',
  'resolvedAtStage0',
  'systemicFlags',
  ...STAGE_NUMBERS.map((s) => `resolvedAt:${s}`),
  ...LEARNING_THEME_CODES.map((t) => `theme:${t}`),
];

export function bitCount(mask: number): number {
  let n = 0;
  for (let m = mask; m; m &= m - 1) n++;
  return n;
}

/** The bitmask of a set of cell dimensions. */
export function groupingOf(dimensions: readonly string[]): number {
  return dimensions.reduce((mask, d) => {
    const bit = CELL_DIMENSIONS.indexOf(d as CellDimension);
    if (bit < 0) throw new RangeError(`not a cell dimension: ${d}`);
    return mask | (1 << bit);
  }, 0);
}

/** What the cells need of a fact row (analytics_case_facts; dates as 'YYYY-MM-DD' text). */
export type FactForCells = Omit<
  CaseFact,
  'partnership_id' | 'escalation_id' | 'raised_at' | 'raised_on' | 'closed_at' | 'type' | 'status'
>;

/** The fact columns FactForCells reads, as SQL over analytics_case_facts (dates as text). */
export const FACT_FOR_CELLS_SQL = `raised_month::text as raised_month, closed_on::text as closed_on, resolved, category,
  urgency, level_of_need, raising_agency_id::text as raising_agency_id, raising_agency_type,
  responding_agency_id::text as responding_agency_id, responding_agency_type, highest_stage, closing_stage,
  outcome_code, wd_to_resolution, wd_to_first_response, stages_count, stages_breached, extensions, used_stage0,
  resolved_at_stage0, reopened, systemic, learning_themes, children`;

function dimensionValues(f: FactForCells): string[] {
  return [
    f.category,
    f.urgency,
    f.level_of_need,
    f.raising_agency_type,
    f.responding_agency_type,
    f.raising_agency_id,
    f.responding_agency_id,
    String(f.highest_stage),
    f.outcome_code ?? 'OPEN',
  ];
}

/** Dimension values of one grouping: the first and second dimension's bit index, -1 where absent. */
const GROUPING_DIMENSIONS: [number, number][] = CELL_GROUPINGS.map((g) => {
  const dims = CELL_DIMENSIONS.map((_, d) => d).filter((d) => g & (1 << d));
  return [dims[0] ?? -1, dims[1] ?? -1];
});
/** Room for dictionary indexes (values per dimension, plus 0 for "none") and months in a numeric key. */
const VALUE_SPACE = 4096;
const GROUPING_SPACE = CELL_GROUPINGS.length;

/**
 * One basis's cells: per (month, grouping) index a map from the two value codes (v1 · VALUE_SPACE + v2, a small
 * integer) to a slot; counts flat (stride = measures), histograms per slot.
 */
class BasisStore {
  private readonly slots: (Map<number, number> | undefined)[] = [];
  readonly keys: [number, number][] = [];
  readonly counts: number[] = [];
  readonly hists: number[][] = [];
  constructor(readonly stride: number) {}

  add(outer: number, inner: number, counts: readonly number[], days: number | null, sign: number): void {
    let slots = this.slots[outer];
    if (slots === undefined) {
      slots = new Map();
      this.slots[outer] = slots;
    }
    let at = slots.get(inner);
    if (at === undefined) {
      at = this.keys.length;
      slots.set(inner, at);
      this.keys.push([outer, inner]);
      for (let i = 0; i < this.stride; i++) this.counts.push(0);
      this.hists.push([]);
    }
    const base = at * this.stride;
    for (let i = 0; i < this.stride; i++) this.counts[base + i] += sign * counts[i];
    if (days !== null) {
      const hist = this.hists[at];
      const d = Math.max(0, days);
      while (hist.length <= d) hist.push(0);
      hist[d] += sign;
    }
  }
}

/** One row of analytics_trend_cells, as written. */
interface CellRow {
  basis: Basis;
  month: string;
  grouping: number;
  k1: string;
  k2: string;
  counts: number[];
  hist: number[];
}

/**
 * Cells accumulated from fact rows (with sign +1, or −1 to take a fact's old contributions away). Values are
 * dictionary-encoded and keys numeric, so a fact's ~90 contributions cost microseconds.
 */
export class CellAccumulator {
  private readonly dictionaries = CELL_DIMENSIONS.map(() => new Map<string, number>());
  private readonly names: string[][] = CELL_DIMENSIONS.map(() => ['']);
  private readonly months = new Map<string, number>();
  private readonly monthNames: string[] = [];
  private readonly raised = new BasisStore(R_MEASURES.length);
  private readonly resolved = new BasisStore(C_MEASURES.length);
  private readonly raisedYear = new BasisStore(R_MEASURES.length);
  private readonly resolvedYear = new BasisStore(C_MEASURES.length);
  private readonly values = new Array<number>(CELL_DIMENSIONS.length).fill(0);

  private code(d: number, value: string): number {
    const dictionary = this.dictionaries[d];
    let i = dictionary.get(value);
    if (i === undefined) {
      i = this.names[d].length;
      if (i >= VALUE_SPACE) throw new RangeError(`too many values of ${CELL_DIMENSIONS[d]}`);
      dictionary.set(value, i);
      this.names[d].push(value);
    }
    return i;
  }

  private month(month: string): number {
    let i = this.months.get(month);
    if (i === undefined) {
      i = this.monthNames.length;
      if (i >= VALUE_SPACE) throw new RangeError('too many months');
      this.months.set(month, i);
      this.monthNames.push(month);
    }
    return i;
  }

  add(f: FactForCells, sign: 1 | -1 = 1): void {
    const raw = dimensionValues(f);
    for (let d = 0; d < raw.length; d++) this.values[d] = this.code(d, raw[d]);
    const rCounts = [
      1,
      f.stages_breached,
      f.stages_count,
      f.extensions,
      f.used_stage0 ? 1 : 0,
      f.reopened ? 1 : 0,
      f.children,
    ];
    this.addAll(this.raised, this.month(f.raised_month), rCounts, f.wd_to_first_response, sign);
    this.addAll(
      this.raisedYear,
      this.month(`${f.raised_month.slice(0, 4)}-01-01`),
      rCounts,
      f.wd_to_first_response,
      sign,
    );
    if (f.resolved && f.closed_on) {
      const cCounts = [
        1,
        f.resolved_at_stage0 ? 1 : 0,
        f.systemic ? 1 : 0,
        ...STAGE_NUMBERS.map((s) => (f.closing_stage === s ? 1 : 0)),
        ...LEARNING_THEME_CODES.map((t) => (f.learning_themes.includes(t) ? 1 : 0)),
      ];
      const month = this.month(`${f.closed_on.slice(0, 7)}-01`);
      this.addAll(this.resolved, month, cCounts, f.wd_to_resolution, sign);
      const year = this.month(`${f.closed_on.slice(0, 4)}-01-01`);
      this.addAll(this.resolvedYear, year, cCounts, f.wd_to_resolution, sign);
    }
  }

  private addAll(
    store: BasisStore,
    month: number,
    counts: number[],
    days: number | null,
    sign: number,
  ): void {
    const base = month * GROUPING_SPACE;
    for (let g = 0; g < GROUPING_SPACE; g++) {
      const [d1, d2] = GROUPING_DIMENSIONS[g];
      const v1 = d1 < 0 ? 0 : this.values[d1];
      const v2 = d2 < 0 ? 0 : this.values[d2];
      store.add(base + g, v1 * VALUE_SPACE + v2, counts, days, sign);
    }
  }

  /** The non-zero cells (a cell whose counts and histogram are all zero changes nothing). */
  rows(): CellRow[] {
    const out: CellRow[] = [];
    for (const [basis, store] of [
      ['R', this.raised],
      ['C', this.resolved],
      ['RY', this.raisedYear],
      ['CY', this.resolvedYear],
    ] as const) {
      store.keys.forEach(([outer, inner], at) => {
        const counts = store.counts.slice(at * store.stride, (at + 1) * store.stride);
        const hist = store.hists[at];
        if (counts.every((x) => x === 0) && hist.every((x) => x === 0)) return;
        const v1 = Math.floor(inner / VALUE_SPACE);
        const v2 = inner % VALUE_SPACE;
        const g = outer % GROUPING_SPACE;
        const [d1, d2] = GROUPING_DIMENSIONS[g];
        out.push({
          basis,
          month: this.monthNames[Math.floor(outer / GROUPING_SPACE)],
          grouping: CELL_GROUPINGS[g],
          k1: d1 < 0 ? '' : this.names[d1][v1],
          k2: d2 < 0 ? '' : this.names[d2][v2],
          counts,
          hist: trimmed(hist),
        });
      });
    }
    return out;
  }

  /**
   * Inserts the cells (the rebuild, after deleting the partnership's) or adds them to existing ones (upkeep), in
   * primary-key order: the rows of one grouping then lie together on disk, so a query reads few pages.
   */
  write(em: EntityManager, partnershipId: string, mode: 'add' | 'insert'): Promise<void> {
    const rows = this.rows().sort(
      (a, b) =>
        a.grouping - b.grouping ||
        compare(a.month, b.month) ||
        compare(a.basis, b.basis) ||
        compare(a.k1, b.k1) ||
        compare(a.k2, b.k2),
    );
    return writeCells(em, partnershipId, rows, mode);
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Drops trailing zeros (the canonical histogram). */
function trimmed(hist: number[]): number[] {
  let n = hist.length;
  while (n > 0 && hist[n - 1] === 0) n--;
  return hist.slice(0, n);
}

async function writeCells(
  em: EntityManager,
  partnershipId: string,
  rows: CellRow[],
  mode: 'add' | 'insert',
): Promise<void> {
  const batch = 5000;
  for (let i = 0; i < rows.length; i += batch) {
    const slice = rows.slice(i, i + batch);
    const keys = [
      slice.map((r) => r.basis),
      slice.map((r) => r.month),
      slice.map((r) => r.grouping),
      slice.map((r) => r.k1),
      slice.map((r) => r.k2),
    ];
    await em.query(
      `insert into analytics_trend_cells (partnership_id, basis, month, grouping, k1, k2, counts, hist)
       select $1, basis, month, grouping, k1, k2, counts::int[], hist::int[]
         from unnest($2::text[], $3::date[], $4::smallint[], $5::text[], $6::text[], $7::text[], $8::text[])
              as t(basis, month, grouping, k1, k2, counts, hist)
       ${
         mode === 'add'
           ? `on conflict (partnership_id, grouping, month, basis, k1, k2) do update
                set counts = analytics_int_array_add(analytics_trend_cells.counts, excluded.counts, false),
                    hist = analytics_int_array_add(analytics_trend_cells.hist, excluded.hist, true)`
           : ''
       }`,
      [
        partnershipId,
        ...keys,
        slice.map((r) => `{${r.counts.join(',')}}`),
        slice.map((r) => `{${r.hist.join(',')}}`),
      ],
    );
    if (mode === 'add') {
      // A cell no case counts in any more goes (a rebuild would not have it).
      await em.query(
        `delete from analytics_trend_cells t
          using unnest($2::text[], $3::date[], $4::smallint[], $5::text[], $6::text[]) as k(basis, month, grouping, k1, k2)
          where t.partnership_id = $1 and t.grouping = k.grouping and t.month = k.month and t.basis = k.basis
            and t.k1 = k.k1 and t.k2 = k.k2 and t.counts[1] = 0`,
        [partnershipId, ...keys],
      );
    }
  }
}

/** Applies the difference between old and new fact rows of some cases to the cells. */
export async function applyCellDeltas(
  em: EntityManager,
  partnershipId: string,
  before: readonly FactForCells[],
  after: readonly FactForCells[],
): Promise<void> {
  const cells = new CellAccumulator();
  for (const f of before) cells.add(f, -1);
  for (const f of after) cells.add(f, 1);
  await cells.write(em, partnershipId, 'add');
}
