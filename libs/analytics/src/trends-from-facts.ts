import { TrendDimension, TrendInterval } from './dto/trends.model';
import { FACT_COLUMNS } from './case-fact';
import { LEARNING_THEME_CODES } from './learning-themes';
import { AggregateRow, BucketStats, keyOf, STAGES } from './trends';
import { MAX_CELLS, ReadModel, tooManyCells, TrendsQuery } from './trends-query';

/** SQL of each dimension over the read model (f), partnerships (p) and agency names (ra, rs). */
const DIMENSION_SQL: Record<TrendDimension, string> = {
  PARTNERSHIP: 'p.code',
  RAISING_AGENCY_TYPE: 'f.raising_agency_type',
  RESPONDING_AGENCY_TYPE: 'f.responding_agency_type',
  RAISING_AGENCY: `coalesce(ra.name, 'Unknown agency')`,
  RESPONDING_AGENCY: `coalesce(rs.name, 'Unknown agency')`,
  CATEGORY: 'f.category',
  URGENCY: 'f.urgency',
  LEVEL_OF_NEED: 'f.level_of_need',
  HIGHEST_STAGE: 'f.highest_stage::text',
  OUTCOME: `coalesce(f.outcome_code, 'OPEN')`,
};

/** The read model's columns the analytics role may read (never escalation_id). */
const READABLE_COLUMNS = FACT_COLUMNS.filter((c) => c.name !== 'escalation_id')
  .map((c) => `f.${c.name}`)
  .join(', ');

const TRUNC: Record<TrendInterval, string> = { MONTH: 'month', QUARTER: 'quarter', YEAR: 'year' };

/** The answer straight from the per-case facts (groupings the cells do not keep). */
export async function trendsFromFacts(
  query: TrendsQuery,
  read: ReadModel,
): Promise<{ rows: AggregateRow[]; stats: Map<string, BucketStats> }> {
  const dims = query.groupBy;
  const dimSql = dims.map((d, i) => `${DIMENSION_SQL[d]} as d${i}`);
  const dimCols = dims.map((_, i) => `d${i}`);
  const themeSums = LEARNING_THEME_CODES.map(
    (t, i) => `sum(case when '${t}' = any(themes) then 1 else 0 end)::int as t${i}`,
  );
  const stageSums = STAGES.map(
    (s) => `sum(case when resolved = 1 and closing_stage = ${s} then 1 else 0 end)::int as rs${s}`,
  );
  const groupBy = `period${dimCols.map((c) => `, ${c}`).join('')}`;
  // The partnership's code joins here (the PARTNERSHIP dimension) rather than through the directory: one statement
  // on the analytics connection, whose role may read only partnerships and the read model (docs/architecture.md
  // "Modules": the read model's reads of other modules' tables, like persistence/case-facts.source.ts).
  const sql = `
    with base as (
      select ${READABLE_COLUMNS}${dimSql.map((d) => `, ${d}`).join('')}
        from analytics_case_facts f
        join partnerships p on p.id = f.partnership_id
        left join analytics_agencies ra on ra.agency_id = f.raising_agency_id
        left join analytics_agencies rs on rs.agency_id = f.responding_agency_id
       where f.partnership_id = any($1::uuid[])
         and (f.raised_on between $3::date and $4::date or (f.resolved and f.closed_on between $3::date and $4::date))
    ),
    ev as (
      select date_trunc($2, raised_on)::date as period${dimCols.map((c) => `, ${c}`).join('')},
             1 as raised, 0 as resolved, stages_breached, stages_count, extensions, used_stage0::int as s0,
             reopened::int as reopened, children, 0 as res_s0, 0 as systemic, null::int as closing_stage,
             '{}'::text[] as themes, null::int as wd_res, wd_to_first_response as wd_resp
        from base where raised_on between $3::date and $4::date
      union all
      select date_trunc($2, closed_on)::date${dimCols.map((c) => `, ${c}`).join('')},
             0, 1, 0, 0, 0, 0, 0, 0, resolved_at_stage0::int, systemic::int, closing_stage,
             learning_themes, wd_to_resolution, null
        from base where resolved and closed_on between $3::date and $4::date
    )
    select period::text as period${dimCols.map((c) => `, ${c}`).join('')},
           sum(raised)::int as raised, sum(resolved)::int as resolved,
           sum(stages_breached)::int as breached, sum(stages_count)::int as stages,
           sum(extensions)::int as extensions, sum(s0)::int as s0, sum(res_s0)::int as res_s0,
           sum(reopened)::int as reopened, sum(children)::int as children, sum(systemic)::int as systemic,
           ${[...stageSums, ...themeSums].join(', ')},
           count(wd_res)::int as n_res,
           percentile_cont(0.5) within group (order by wd_res) as med_res,
           percentile_cont(0.9) within group (order by wd_res) as p90_res,
           count(wd_resp)::int as n_resp,
           percentile_cont(0.5) within group (order by wd_resp) as med_resp,
           percentile_cont(0.9) within group (order by wd_resp) as p90_resp
      from ev group by ${groupBy}
     limit $5`;
  const raw = await read<Record<string, unknown>[]>((em) =>
    em.query(sql, [
      query.partnerships.map((p) => p.id),
      TRUNC[query.interval],
      query.from,
      query.to,
      MAX_CELLS + 1,
    ]),
  );
  if (raw.length > MAX_CELLS) throw tooManyCells();
  const rows: AggregateRow[] = [];
  const stats = new Map<string, BucketStats>();
  for (const r of raw) {
    const coordinates = [String(r.period), ...dimCols.map((c) => String(r[c]))];
    stats.set(keyOf(coordinates), {
      resolvedWithDays: Number(r.n_res),
      medianResolution: numberOrNull(r.med_res),
      p90Resolution: numberOrNull(r.p90_res),
      respondedWithDays: Number(r.n_resp),
      medianFirstResponse: numberOrNull(r.med_resp),
      p90FirstResponse: numberOrNull(r.p90_resp),
    });
    const counts: Record<string, number> = {
      raised: Number(r.raised),
      resolved: Number(r.resolved),
      breachedStages: Number(r.breached),
      stagesOpened: Number(r.stages),
      extensions: Number(r.extensions),
      stage0Used: Number(r.s0),
      resolvedAtStage0: Number(r.res_s0),
      reopened: Number(r.reopened),
      systemicFlags: Number(r.systemic),
      children: Number(r.children),
    };
    for (const s of STAGES) counts[`resolvedAt:${s}`] = Number(r[`rs${s}`]);
    LEARNING_THEME_CODES.forEach((t, i) => (counts[`theme:${t}`] = Number(r[`t${i}`])));
    rows.push({ coordinates, counts });
  }
  return { rows, stats };
}

function numberOrNull(v: unknown): number | null {
  return v === null || v === undefined ? null : Number(v);
}
