import type { EntityManager } from 'typeorm';
import { LEARNING_THEME_CODES } from './learning-themes';

/**
 * The pre-aggregated read model (analytics_trend_cells): per partnership × month × basis × grouping × dimension
 * values, the counts of every measure and a histogram of integer working days, so a trend query reads a few
 * thousand rows instead of a million facts and its medians and 90th percentiles are exact.
 *
 * - basis 'R': the cases raised in the month (counts R_MEASURES; histogram of working days to first response);
 *   basis 'C': the cases resolved in the month (counts C_MEASURES; histogram of working days to resolution).
 * - grouping: a bitmask over CELL_DIMENSIONS; every grouping of at most MAX_CELL_GROUPING dimensions is kept.
 *   k1 and k2 are the values of its dimensions in CELL_DIMENSIONS order ('' where it has fewer). The
 *   partnership is part of every row, so PARTNERSHIP as a dimension costs nothing.
 * - counts[0] is the number of cases in the row (raised, resp. resolved); a row whose count falls to 0 is deleted,
 *   so the cells are exactly those the facts give (a rebuild and incremental upkeep agree row for row).
 *
 * Upkeep is by difference: when a case's fact row is recomputed, its old contributions are subtracted and its new
 * ones added (cellDeltas), in the same transaction as the fact upsert; a case whose fact did not change
 * contributes nothing, so the refresh stays idempotent. The rebuild recomputes the cells of a partnership from its
 * facts from scratch (rebuildCells).
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

/** counts of a basis 'R' row (cases raised in the month), in order. */
export const R_MEASURES = [
  'raised',
  'breachedStages',
  'stagesOpened',
  'extensions',
  'stage0Used',
  'reopened',
] as const;
/** counts of a basis 'C' row (cases resolved in the month), in order. */
export const C_MEASURES = [
  'resolved',
  'resolvedAtStage0',
  'systemicFlags',
  ...STAGE_NUMBERS.map((s) => `resolvedAtStage${s}`),
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
export interface FactForCells {
  raised_month: string;
  closed_on: string | null;
  resolved: boolean;
  category: string;
  urgency: string;
  level_of_need: string;
  raising_agency_id: string;
  raising_agency_type: string;
  responding_agency_id: string;
  responding_agency_type: string;
  highest_stage: number;
  closing_stage: number | null;
  outcome_code: string | null;
  wd_to_resolution: number | null;
  wd_to_first_response: number | null;
  stages_count: number;
  stages_breached: number;
  extensions: number;
  used_stage0: boolean;
  resolved_at_stage0: boolean;
  reopened: boolean;
  systemic: boolean;
  learning_themes: string[];
}

/** The fact columns FactForCells reads, as SQL over analytics_case_facts (dates as text). */
export const FACT_FOR_CELLS_SQL = `raised_month::text as raised_month, closed_on::text as closed_on, resolved, category,
  urgency, level_of_need, raising_agency_id::text as raising_agency_id, raising_agency_type,
  responding_agency_id::text as responding_agency_id, responding_agency_type, highest_stage, closing_stage,
  outcome_code, wd_to_resolution, wd_to_first_response, stages_count, stages_breached, extensions, used_stage0,
  resolved_at_stage0, reopened, systemic, learning_themes`;

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

/** One cell's accumulated counts and histogram. */
export interface CellValue {
  counts: number[];
  hist: number[];
}

/** Cell key: basis, month, grouping, k1, k2 joined by a separator that no code or uuid contains. */
const SEP = '\u001f';

/** Adds sign × the contributions of one fact to the cells (every kept grouping, each basis it belongs to). */
export function addContributions(cells: Map<string, CellValue>, f: FactForCells, sign: 1 | -1): void {
  const values = dimensionValues(f);
  const rCounts = [
    1,
    f.stages_breached,
    f.stages_count,
    f.extensions,
    f.used_stage0 ? 1 : 0,
    f.reopened ? 1 : 0,
  ];
  const resolvedMonth = f.resolved && f.closed_on ? `${f.closed_on.slice(0, 7)}-01` : null;
  const cCounts = resolvedMonth
    ? [
        1,
        f.resolved_at_stage0 ? 1 : 0,
        f.systemic ? 1 : 0,
        ...STAGE_NUMBERS.map((s) => (f.closing_stage === s ? 1 : 0)),
        ...LEARNING_THEME_CODES.map((t) => (f.learning_themes.includes(t) ? 1 : 0)),
      ]
    : null;
  for (const grouping of CELL_GROUPINGS) {
    const keys = ['', ''];
    let n = 0;
    for (let d = 0; d < values.length; d++) if (grouping & (1 << d)) keys[n++] = values[d];
    const [k1, k2] = keys;
    const suffix = `${SEP}${grouping}${SEP}${k1}${SEP}${k2}`;
    add(cells, `R${SEP}${f.raised_month}${suffix}`, rCounts, f.wd_to_first_response, sign);
    if (cCounts) add(cells, `C${SEP}${resolvedMonth}${suffix}`, cCounts, f.wd_to_resolution, sign);
  }
}

function add(
  cells: Map<string, CellValue>,
  key: string,
  counts: number[],
  days: number | null,
  sign: number,
): void {
  let cell = cells.get(key);
  if (!cell) {
    cell = { counts: new Array<number>(counts.length).fill(0), hist: [] };
    cells.set(key, cell);
  }
  for (let i = 0; i < counts.length; i++) cell.counts[i] += sign * counts[i];
  if (days !== null) {
    const at = Math.max(0, days);
    while (cell.hist.length <= at) cell.hist.push(0);
    cell.hist[at] += sign;
  }
}

/** Drops trailing zeros (the canonical histogram). */
function trimmed(hist: number[]): number[] {
  let n = hist.length;
  while (n > 0 && hist[n - 1] === 0) n--;
  return hist.slice(0, n);
}

/** Writes cells in batches: `add` adds them to existing rows (upkeep), else they are inserted (rebuild). */
async function writeCells(
  em: EntityManager,
  partnershipId: string,
  cells: Map<string, CellValue>,
  mode: 'add' | 'insert',
): Promise<void> {
  const entries = [...cells].filter(([, v]) => v.counts.some((x) => x !== 0) || v.hist.some((x) => x !== 0));
  const batch = 5000;
  for (let i = 0; i < entries.length; i += batch) {
    const slice = entries.slice(i, i + batch);
    const cols: string[][] = [[], [], [], [], [], [], []];
    for (const [key, v] of slice) {
      const [basis, month, grouping, k1, k2] = key.split(SEP);
      cols[0].push(basis);
      cols[1].push(month);
      cols[2].push(grouping);
      cols[3].push(k1);
      cols[4].push(k2);
      cols[5].push(`{${v.counts.join(',')}}`);
      cols[6].push(`{${trimmed(v.hist).join(',')}}`);
    }
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
      [partnershipId, ...cols],
    );
  }
  if (mode === 'add' && entries.length > 0) {
    await em.query(`delete from analytics_trend_cells where partnership_id = $1 and counts[1] = 0`, [
      partnershipId,
    ]);
  }
}

/** Applies the difference between old and new fact rows of some cases to the cells. */
export async function applyCellDeltas(
  em: EntityManager,
  partnershipId: string,
  before: readonly FactForCells[],
  after: readonly FactForCells[],
): Promise<void> {
  const cells = new Map<string, CellValue>();
  for (const f of before) addContributions(cells, f, -1);
  for (const f of after) addContributions(cells, f, 1);
  await writeCells(em, partnershipId, cells, 'add');
}

/** Cells accumulated from fact rows in memory (the rebuild), then inserted at once. */
export class CellAccumulator {
  private readonly cells = new Map<string, CellValue>();

  add(fact: FactForCells): void {
    addContributions(this.cells, fact, 1);
  }

  get size(): number {
    return this.cells.size;
  }

  insert(em: EntityManager, partnershipId: string): Promise<void> {
    return writeCells(em, partnershipId, this.cells, 'insert');
  }
}
