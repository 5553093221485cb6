/** The mixes the synthetic cases are drawn from, and the SQL that draws them (scripts/synthetic-data.ts runs it). */

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
export const PARTNERSHIP_WEIGHTS: Record<string, number> = {
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
export const DAY = 86_400_000;
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
export const SETUP = [
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
export const TEARDOWN = 'drop table if exists syn_p, syn_step, syn_case, syn_stage';

/**
 * One batch, cases [$1, $2) of $3, raised between $4 and $5 (epoch seconds), reference run $6, fixed values
 * $7..$11 (null: drawn). Every random choice of the Node generator this replaced, with the same weights.
 */
export const CASES = `
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
export const STAGES = `
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
export const CUT_AT_END = `
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
export const NO_EXTENSION_AFTER_END = `
update syn_stage set extended = false, due_at = due_at - interval '3 days'
 where extended and opened_at + interval '1 day' > $1::timestamptz`;

export const ESCALATIONS = `
insert into escalations (id, partnership_id, reference, type, status, urgency, category, level_of_need,
  raising_agency_id, responding_agency_id, summary, desired_outcome, risk_summary, policy_version, ladder,
  current_stage, raised_at, closed_at, outcome_code, outcome_statement, outcome_recorded_at, learning_themes,
  systemic_issue, reopen_count)
select c.id, c.partnership_id, c.reference, 'GENERAL', c.status, c.urgency, c.category, c.level_of_need, c.raising,
       c.responding, 'Synthetic case', 'Synthetic case', 'Synthetic case', 1, p.ladder, c.closing_stage,
       c.raised_at, s.closed_at, c.outcome, case when c.status <> 'OPEN' then 'Synthetic outcome' end,
       s.closed_at, c.themes, c.systemic, c.reopened::int
from syn_case c join syn_p p on p.idx = c.p join syn_stage s on s.escalation_id = c.id and s.last`;

export const STAGE_ROWS = `
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
export const EVENTS = `
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
