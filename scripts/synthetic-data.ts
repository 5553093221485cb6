import { randomUUID } from 'node:crypto';
import type { PoolClient } from 'pg';
import type { DataSource, QueryRunner } from 'typeorm';
import { defaultLadder, type StagePolicy } from '@hips/core';

/**
 * Synthetic escalation cases for analytics (README "Synthetic data and the benchmark"): realistic mixes of partnerships, agencies (those of the
 * demo data), categories, urgency, stages, breaches, extensions and outcomes over several years, written
 * straight into the case tables as the owner, generated inside PostgreSQL (see generateSyntheticCases). No child
 * identifiers are generated; free text is a fixed placeholder.
 */

export interface SyntheticOptions {
  count: number;
  /** Seed of PostgreSQL's random() (setseed, per batch): the same seed gives the same cases (ids aside). */
  seed?: number;
  /** Raised between these instants (default: the last 4 years up to now). */
  start?: Date;
  end?: Date;
  /** Only these partnerships (codes); default all four, weighted by size. */
  partnerships?: string[];
  /** Fixed values for every case (for tests). */
  fixed?: Partial<{
    category: string;
    urgency: string;
    levelOfNeed: string;
    status: 'OPEN' | 'RESOLVED' | 'WITHDRAWN' | 'CLOSED_BY_PARTNERSHIP';
    closingStage: number;
  }>;
  /** Cases per transaction (default 10,000). */
  batchSize?: number;
  /** Connections loading batches concurrently (default 2). */
  connections?: number;
  onProgress?: (done: number, total: number) => void;
}

const CATEGORIES: [string, number][] = [
  ['THRESHOLD_REFERRAL_NOT_ACCEPTED', 22],
  ['FURTHER_INFORMATION_REQUESTED', 8],
  ['CP_PROCEDURES_S47', 7],
  ['STRATEGY_DISCUSSION', 6],
  ['ICPC_CONVENING', 4],
  ['CP_PLAN_IMPLEMENTATION', 6],
  ['ASSESSMENT_OUTCOME', 9],
  ['STEP_DOWN_OR_CLOSURE', 10],
  ['INFORMATION_SHARING', 8],
  ['SERVICE_PROVISION', 6],
  ['ROLES_RESPONSIBILITIES', 4],
  ['COMMUNICATION', 4],
  ['DRIFT_DELAY', 4],
  ['OTHER', 2],
];
const LEVELS: [string, number][] = [
  ['NONE', 3],
  ['EARLY_HELP', 25],
  ['CHILD_IN_NEED', 35],
  ['CHILD_PROTECTION', 27],
  ['CHILD_LOOKED_AFTER', 10],
];
const PARTNERSHIP_WEIGHTS: Record<string, number> = {
  HAMPSHIRE: 50,
  PORTSMOUTH: 19,
  SOUTHAMPTON: 21,
  ISLE_OF_WIGHT: 10,
};
const OUTCOMES: [string, number][] = [
  ['DECISION_CHANGED', 35],
  ['DECISION_UPHELD_RATIONALE_ACCEPTED', 30],
  ['PARTIAL_ACTION_AGREED', 25],
  ['CIRCUMSTANCES_CHANGED', 10],
];
const THEMES = [
  'Information sharing',
  'Thresholds',
  'Communication',
  'Roles and responsibilities',
  'Drift and delay',
  'Professional curiosity',
  'Voice of the child',
  'Multi-agency working',
  'Recording',
];
const DAY = 86_400_000;

interface Partnership {
  id: string;
  code: string;
  prefix: string;
  agencies: { id: string; type: string }[];
  /** The case's ladder: the partnership's default policy (stage names, roles, working days). */
  ladder: StagePolicy[];
}

/** A weighted choice in SQL: `u` uniform in [0, 1), the items' cumulative weights as thresholds. */
function weightedSql<T extends string | number>(u: string, items: [T, number][]): string {
  const total = items.reduce((t, [, w]) => t + w, 0);
  let cumulative = 0;
  const whens = items.slice(0, -1).map(([item, w]) => {
    cumulative += w;
    return `when ${u} < ${cumulative / total} then ${literal(item)}`;
  });
  return `(case ${whens.join(' ')} else ${literal(items[items.length - 1][0])} end)`;
}

/** A constant of this module as an SQL literal (never user input; quotes refused all the same). */
function literal(value: string | number): string {
  if (typeof value === 'number') return String(value);
  if (!/^[A-Za-z0-9_ -]*$/.test(value)) throw new Error(`not a plain constant: ${value}`);
  return `'${value}'`;
}

/** A time-ordered (version 7) UUID in SQL: the instant's milliseconds, then random bits. */
function orderedIdSql(instant: string): string {
  return `(lpad(to_hex((extract(epoch from ${instant}) * 1000)::bigint), 12, '0') || '7'
    || substr(md5(random()::text), 1, 3) || (array['8','9','a','b'])[1 + floor(random() * 4)::int]
    || substr(md5(random()::text), 1, 15))::uuid`;
}

/**
 * The id of a case's stage or event: the case's (time-ordered) id with its clock-sequence group replaced by a
 * per-case ordinal (variant bits kept), so unique as the case ids are, ordered as they are, and cheap.
 */
function childIdSql(caseId: string, ordinal: string): string {
  return `(left(${caseId}::text, 18) || '-8' || lpad(to_hex(${ordinal}), 3, '0') || right(${caseId}::text, 13))::uuid`;
}

/**
 * Per connection: the partnerships (weights, agencies, ladder) and ladder steps the generator draws from, and the
 * scratch tables of one batch. Temporary, dropped at the end.
 */
const SETUP = [
  `create temp table syn_p (idx int, id uuid, code text, prefix text, lo float8, hi float8, agencies uuid[],
    csc int[], ladder jsonb)`,
  `create temp table syn_step (partnership int, number int, name text, role_type text, breaches boolean,
    standard_days int, urgent_days int)`,
  `create temp table syn_case (g bigint, id uuid, p int, partnership_id uuid, reference text, status text,
    urgency text, category text, level_of_need text, raising uuid, responding uuid, raised_at timestamptz,
    first_stage int, closing_stage int, outcome text, resolved boolean, reopened boolean, themes jsonb,
    systemic boolean) on commit delete rows`,
  `create temp table syn_stage (partnership_id uuid, escalation_id uuid, number int,
    last boolean, name text, role_type text, breaches boolean, opened_at timestamptz, due_at timestamptz,
    working_days int, breached_at timestamptz, extended boolean, responded_at timestamptz,
    closed_at timestamptz) on commit delete rows`,
];
const TEARDOWN = 'drop table if exists syn_p, syn_step, syn_case, syn_stage';

/**
 * One batch, cases [$1, $2) of $3, raised between $4 and $5 (epoch seconds), reference run $6, fixed values
 * $7..$11 (null: drawn). Every random choice of the Node generator this replaced, with the same weights.
 */
const CASES = `
insert into syn_case
select g, ${orderedIdSql('raised_at')}, p, partnership_id, reference, status, urgency, category, level_of_need,
       raising, responding, raised_at, first_stage, closing_stage,
       case status when 'WITHDRAWN' then 'WITHDRAWN' when 'CLOSED_BY_PARTNERSHIP' then 'PARTNERSHIP_DECISION'
         when 'RESOLVED' then case when closing_stage = 0 then 'RESOLVED_BY_REFLECTIVE_STEP'
           else ${weightedSql('u_outcome', OUTCOMES)} end end,
       status in ('RESOLVED', 'CLOSED_BY_PARTNERSHIP'),
       status = 'RESOLVED' and u_reopen < 0.03,
       case when status in ('RESOLVED', 'CLOSED_BY_PARTNERSHIP') then (
         select coalesce(jsonb_agg(t order by o), '[]') from unnest(array[${THEMES.map(literal).join(', ')}])
           with ordinality x(t, o) where random() < 0.12 and g >= 0) else '[]' end,
       status in ('RESOLVED', 'CLOSED_BY_PARTNERSHIP') and u_systemic < 0.04
from (
  select *, case when s = 'CLOSED_BY_PARTNERSHIP' and closing_stage <> 4 then 'RESOLVED' else s end as status
  from (
    select *, coalesce($10, case when extract(epoch from $5::timestamptz - raised_at) < 10 * 86400
                                       and u_open < 0.7 then 'OPEN'
                                  when u_withdrawn < 0.05 then 'WITHDRAWN'
                                  when closing_stage = 4 and u_partnership_decision < 0.6
                                    then 'CLOSED_BY_PARTNERSHIP'
                                  else 'RESOLVED' end) as s,
           case when closing_stage = 0 or stage0 then 0 else 1 end as first_stage
    from (
      select *, coalesce($11, case when stage0 and u_closing0 < 0.5 then 0
                                   else ${weightedSql('u_closing', [
                                     [1, 55],
                                     [2, 25],
                                     [3, 12],
                                     [4, 8],
                                   ])} end) as closing_stage
      from (
        select r.*, p.idx as p, p.id as partnership_id,
               p.prefix || '-' || extract(year from raised_at at time zone 'UTC') || '-S' || $6
                 || lpad(g::text, 7, '0') as reference,
               p.agencies[ri] as raising,
               case when cardinality(array_remove(p.csc, ri)) > 0 and u_csc < 0.55
                    then p.agencies[(array_remove(p.csc, ri))[1 + floor(u_csc_pick
                           * cardinality(array_remove(p.csc, ri)))::int]]
                    else p.agencies[oi + (oi >= ri)::int] end as responding,
               coalesce($8, ${weightedSql('u_category', CATEGORIES)}) as category,
               coalesce($9, ${weightedSql('u_level', LEVELS)}) as level_of_need,
               urgency = 'STANDARD' and u_stage0 < 0.18 as stage0
        from (
          select *, 1 + floor(u_raising * n)::int as ri, 1 + floor(u_other * (n - 1))::int as oi
          from (
            select r0.*, cardinality(p.agencies) as n, p.idx as pi,
                   coalesce($7, case when u_urgent < 0.12 then 'URGENT' else 'STANDARD' end) as urgency,
                   -- To the millisecond, as the application's clients send instants.
                   date_trunc('milliseconds', to_timestamp(extract(epoch from $4::timestamptz)
                     + (g + u_time) / $3::float8 * extract(epoch from $5::timestamptz - $4::timestamptz)))
                     as raised_at
            from (
              select g, random() u_partnership, random() u_raising, random() u_other, random() u_csc,
                     random() u_csc_pick, random() u_urgent, random() u_time, random() u_stage0,
                     random() u_closing0, random() u_closing, random() u_open, random() u_withdrawn,
                     random() u_partnership_decision, random() u_outcome, random() u_reopen,
                     random() u_category, random() u_level, random() u_systemic
              from generate_series($1::bigint, $2::bigint - 1) g
            ) r0 join syn_p p on r0.u_partnership >= p.lo and r0.u_partnership < p.hi
          ) r1
        ) r join syn_p p on p.idx = r.pi
      ) c2
    ) c3
  ) c4
) c5`;

/**
 * The stages of the batch's cases: each opens at the instant the one before closes (both from the same running
 * sum of stays). Instants are kept to the millisecond, as the application's clients send them.
 */
const STAGES = `
insert into syn_stage
select partnership_id, escalation_id, number, last, name, role_type, breaches, opened_at, due_at, working_days,
       case when breaches and coalesce(closed_at, $1::timestamptz) > due_at then due_at end,
       extended,
       case when responded_at <= $1::timestamptz then responded_at end,
       closed_at
from (
  select *, date_trunc('milliseconds', opened_at + (working_days * 7 / 5.0 + case when extended then 3 else 0 end) * interval '1 day')
              as due_at,
         date_trunc('milliseconds', opened_at + respond_days * interval '1 day') as responded_at,
         case when last and status = 'OPEN' then null else ends_at end as closed_at
  from (
    select *, date_trunc('milliseconds', raised_at + coalesce(sum(stay_days) over (partition by escalation_id order by number
                rows between unbounded preceding and 1 preceding), 0) * interval '1 day') as opened_at,
           date_trunc('milliseconds', raised_at + sum(stay_days) over (partition by escalation_id order by number
                rows between unbounded preceding and current row) * interval '1 day') as ends_at
    from (
      select *, respond_days + u_stay * 3 as stay_days
      from (
        select c.partnership_id, c.id as escalation_id, c.raised_at, c.status, n as number,
               n = c.closing_stage as last, s.name, s.role_type, s.breaches,
               case when c.urgency = 'URGENT' then s.urgent_days else s.standard_days end as working_days,
               s.breaches and random() < 0.08 as extended,
               0.2 + random() * (case when c.urgency = 'URGENT' then s.urgent_days else s.standard_days end) * 1.6
                 as respond_days,
               random() as u_stay
        from syn_case c cross join generate_series(c.first_stage, c.closing_stage) n
        join syn_step s on s.partnership = c.p and s.number = n
      ) s0
    ) s1
  ) s2
) s3`;

/**
 * A case whose drawn chronology would run past the end (a stage closing after it) stays open at that stage, as
 * it would be at the end: later stages, its outcome, themes and flags go; the stage is open, breached if overdue.
 * Not when the status is fixed ($2), as tests ask for.
 */
const CUT_AT_END = `
with cut as (
  select escalation_id, min(number) as number from syn_stage
   where $2::text is null and closed_at > $1::timestamptz group by escalation_id
), gone as (
  delete from syn_stage s using cut where s.escalation_id = cut.escalation_id and s.number > cut.number
), reopened as (
  update syn_stage s set last = true, closed_at = null,
         breached_at = case when s.breaches and $1::timestamptz > s.due_at then s.due_at end
    from cut where s.escalation_id = cut.escalation_id and s.number = cut.number
)
update syn_case c set status = 'OPEN', closing_stage = cut.number, outcome = null, resolved = false,
       reopened = false, themes = '[]', systemic = false
  from cut where c.id = cut.escalation_id`;

/** An extension is granted a day into its stage: none for a stage opened less than a day before the end. */
const NO_EXTENSION_AFTER_END = `
update syn_stage set extended = false, due_at = due_at - interval '3 days'
 where extended and opened_at + interval '1 day' > $1::timestamptz`;

const ESCALATIONS = `
insert into escalations (id, partnership_id, reference, type, status, urgency, category, level_of_need,
  raising_agency_id, responding_agency_id, summary, desired_outcome, risk_summary, policy_version, ladder,
  current_stage, raised_at, closed_at, outcome_code, outcome_statement, outcome_recorded_at, learning_themes,
  systemic_issue, reopen_count)
select c.id, c.partnership_id, c.reference, 'GENERAL', c.status, c.urgency, c.category, c.level_of_need, c.raising,
       c.responding, 'Synthetic case', 'Synthetic case', 'Synthetic case', 1, p.ladder, c.closing_stage,
       c.raised_at, s.closed_at, c.outcome, case when c.status <> 'OPEN' then 'Synthetic outcome' end,
       s.closed_at, c.themes, c.systemic, c.reopened::int
from syn_case c join syn_p p on p.idx = c.p join syn_stage s on s.escalation_id = c.id and s.last`;

const STAGE_ROWS = `
insert into escalation_stages (id, partnership_id, escalation_id, number, name, role_type, status, breaches,
  opened_at, due_at, working_days, breached_at, extended, extension_working_days, responded_at, closed_at)
select ${childIdSql('escalation_id', 'number')}, partnership_id, escalation_id, number, name, role_type,
       case when closed_at is not null then 'CLOSED' when responded_at is not null then 'RESPONDED'
            else 'AWAITING_RESPONSE' end,
       breaches, opened_at, due_at, working_days, breached_at, extended, case when extended then 2 end,
       responded_at, closed_at
from syn_stage`;

/**
 * The chronology: raised, per stage responded / extended / breached / escalated, then the closing events. Each
 * event's ordinal within its case (for its id) is its kind's code times 8 plus its stage.
 */
const EVENTS = `
insert into escalation_events (id, partnership_id, escalation_id, kind, at, stage, detail)
select ${childIdSql('escalation_id', 'code * 8 + stage')}, partnership_id, escalation_id, kind, at, stage, detail
from (
  select c.partnership_id, c.id as escalation_id, 0 as code, 'RAISED' as kind, c.raised_at as at,
         c.first_stage as stage, null as detail
  from syn_case c
  union all
  select partnership_id, escalation_id, 1, 'RESPONDED', responded_at, number, null
  from syn_stage where responded_at is not null
  union all
  select partnership_id, escalation_id, 2, 'EXTENDED', opened_at + interval '1 day', number, null
  from syn_stage where extended
  union all
  select partnership_id, escalation_id, 3, 'STAGE_BREACHED', breached_at, number, null
  from syn_stage where breached_at is not null
  union all
  select partnership_id, escalation_id, 4, 'ESCALATED', closed_at, number + 1, null
  from syn_stage where not last
  union all
  select c.partnership_id, c.id, k.code, k.kind, s.closed_at + k.offset_days * interval '1 day',
         c.closing_stage, k.detail
  from syn_case c join syn_stage s on s.escalation_id = c.id and s.last
  cross join lateral (values (5, 'RESOLVED', -0.5, null, c.reopened), (6, 'REOPENED', -0.25, null, c.reopened),
    (7, case c.status when 'RESOLVED' then 'RESOLVED' when 'WITHDRAWN' then 'WITHDRAWN'
       else 'PARTNERSHIP_DECISION' end, 0, c.outcome, true)) k(code, kind, offset_days, detail, happened)
  where c.status <> 'OPEN' and k.happened
) e`;

/** Loads the partnerships and their relevant agencies (the demo data must be loaded). */
async function partnershipsOf(db: DataSource, codes?: string[]): Promise<Partnership[]> {
  const rows: { id: string; code: string; prefix: string; reflective: string | null }[] = await db.query(
    `select id, code, reference_prefix as prefix, reflective_step_name as reflective from partnerships
      where $1::text[] is null or code = any($1::text[]) order by code`,
    [codes ?? null],
  );
  const agencies: { partnership_id: string; id: string; type: string }[] = await db.query(
    `select m.partnership_id, a.id, a.type from agency_memberships m join agencies a on a.id = m.agency_id
      order by a.name`,
  );
  return rows
    .map((p) => ({
      ...p,
      agencies: agencies.filter((a) => a.partnership_id === p.id),
      ladder: defaultLadder('GENERAL', p.reflective ?? 'Reflective step'),
    }))
    .filter((p) => p.agencies.length >= 2);
}

/**
 * Writes `count` cases; returns the number written. Run as the owner (a superuser: row-level security does not
 * apply, and the bulk load skips the per-row foreign-key triggers, its rows being generated consistent).
 *
 * The rows are generated inside PostgreSQL, set-based: per batch, one INSERT ... SELECT from generate_series
 * draws every case's choices with random() (seeded with setseed from the seed and the batch number, so the same
 * seed gives the same cases, ids aside) into a temporary table, a second one lays out each case's stages, and
 * three INSERT ... SELECT write escalations, escalation_stages and escalation_events, in one transaction per batch
 * (synchronous_commit off). No row crosses the wire. Batches run on `connections` connections at once. Raised
 * instants are stratified over [start, end) in case order (uniform, but ascending), and ids are time-ordered, so
 * every index insert lands near an index's right-hand edge rather than on random pages.
 */
export async function generateSyntheticCases(db: DataSource, options: SyntheticOptions): Promise<number> {
  const end = options.end ?? new Date();
  const start = options.start ?? new Date(end.getTime() - 4 * 365 * DAY);
  const partnerships = await partnershipsOf(db, options.partnerships);
  if (partnerships.length === 0) throw new Error('no partnership with agencies: load the demo data first');
  const totalWeight = partnerships.reduce((t, p) => t + (PARTNERSHIP_WEIGHTS[p.code] ?? 10), 0);
  const run = randomUUID().slice(0, 8).toUpperCase();
  const batchSize = options.batchSize ?? 10_000;
  const fixed = options.fixed ?? {};
  const seed = options.seed ?? 1;
  const total = options.count;
  const batches = Math.ceil(total / batchSize);
  const connections = Math.max(1, Math.min(options.connections ?? 2, batches));

  const runners: QueryRunner[] = [];
  let done = 0;
  let nextBatch = 0;
  let failed = false;
  const worker = async (runner: QueryRunner): Promise<void> => {
    const client = (await runner.connect()) as PoolClient;
    for (const sql of SETUP) await client.query(sql);
    let lo = 0;
    for (const [idx, p] of partnerships.entries()) {
      const hi = lo + (PARTNERSHIP_WEIGHTS[p.code] ?? 10) / totalWeight;
      const csc = p.agencies.flatMap((a, i) => (a.type === 'CHILDRENS_SOCIAL_CARE' ? [i + 1] : []));
      await client.query(`insert into syn_p values ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, [
        idx,
        p.id,
        p.code,
        p.prefix,
        lo,
        idx === partnerships.length - 1 ? 2 : hi,
        p.agencies.map((a) => a.id),
        csc,
        JSON.stringify(p.ladder),
      ]);
      for (const s of p.ladder) {
        await client.query(`insert into syn_step values ($1, $2, $3, $4, $5, $6, $7)`, [
          idx,
          s.number,
          s.name,
          s.roleType,
          s.breaches,
          s.standardWorkingDays,
          s.urgentWorkingDays,
        ]);
      }
      lo = hi;
    }
    try {
      while (nextBatch < batches && !failed) {
        const batch = nextBatch++;
        const first = batch * batchSize;
        const last = Math.min(first + batchSize, total);
        await client.query('begin');
        try {
          // Losing the last batches in a crash is harmless for seeding; skip the per-row foreign-key triggers.
          await client.query('set local synchronous_commit = off');
          await client.query('set local session_replication_role = replica');
          // JIT-compiling these statements would take longer than running them (about a second per batch).
          await client.query('set local jit = off');
          await client.query('select setseed($1)', [((seed * 7919 + batch) % 2_000_003) / 2_000_003]);
          await client.query(CASES, [
            first,
            last,
            total,
            start.toISOString(),
            end.toISOString(),
            run,
            fixed.urgency ?? null,
            fixed.category ?? null,
            fixed.levelOfNeed ?? null,
            fixed.status ?? null,
            fixed.closingStage ?? null,
          ]);
          await client.query(STAGES, [end.toISOString()]);
          await client.query(CUT_AT_END, [end.toISOString(), fixed.status ?? null]);
          await client.query(NO_EXTENSION_AFTER_END, [end.toISOString()]);
          await client.query(ESCALATIONS);
          await client.query(STAGE_ROWS);
          await client.query(EVENTS);
          await client.query('commit');
        } catch (error) {
          failed = true;
          await client.query('rollback').catch(() => undefined);
          throw error;
        }
        done += last - first;
        options.onProgress?.(done, total);
      }
    } finally {
      await client.query(TEARDOWN).catch(() => undefined);
    }
  };
  try {
    for (let i = 0; i < connections; i++) runners.push(db.createQueryRunner());
    const results = await Promise.allSettled(runners.map(worker));
    const rejected = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (rejected) throw rejected.reason;
  } finally {
    await Promise.all(runners.map((r) => r.release()));
  }
  return done;
}

/** A one-line progress bar on stderr: [#######.......]  52% 520000/1000000  14,210/s */
export function progressBar(label: string, width = 30): (done: number, total: number) => void {
  const started = Date.now();
  return (done, total) => {
    const ratio = total === 0 ? 1 : done / total;
    const filled = Math.round(ratio * width);
    const rate = Math.round(done / Math.max((Date.now() - started) / 1000, 0.001));
    process.stderr.write(
      `\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(Math.round(ratio * 100)).padStart(3)}% ${done}/${total}  ${rate.toLocaleString('en-GB')}/s`,
    );
    if (done >= total) process.stderr.write('\n');
  };
}
