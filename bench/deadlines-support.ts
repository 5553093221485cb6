/** The deadline benchmark's settings, statistics and database helpers (bench/deadlines.ts runs them). */
import { resolve } from 'node:path';
import { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';

export const FUTURE = Number(process.env.BENCH_FUTURE ?? 99_000);
export const BURST = Number(process.env.BENCH_BURST ?? 1_000);
export const RECOVERY = Number(process.env.BENCH_RECOVERY ?? 10_000);
export const LEAD_S = 20; // the burst is due ~20 s after it is written
export const MISSED_AFTER_MS = 60_000;
export const RESULTS = resolve(process.env.BENCH_RESULTS ?? 'bench/results/deadlines.md');
// A two-stage ladder as pinned on a case: stage 1 breaches with NOTIFY; stage 2 exists, so the breach notification
// routes the next stage's owner (the real effect's full NOTIFY path).
export const LADDER = [
  {
    number: 1,
    name: 'Practitioner to practitioner',
    roleType: 'PRACTITIONER',
    standardWorkingDays: 5,
    urgentWorkingDays: 2,
    breachAction: 'NOTIFY',
    breaches: true,
  },
  {
    number: 2,
    name: 'Line manager to line manager',
    roleType: 'LINE_MANAGER',
    standardWorkingDays: 5,
    urgentWorkingDays: 2,
    breachAction: 'NOTIFY',
    breaches: true,
  },
];

export interface Stats {
  n: number;
  p50: number;
  p99: number;
  max: number;
}

export function stats(values: number[]): Stats {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) =>
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
  return { n: sorted.length, p50: at(0.5), p99: at(0.99), max: sorted[sorted.length - 1] };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
export const log = (message: string) =>
  process.stdout.write(`[bench ${new Date().toISOString()}] ${message}\n`);
export const ms = (n: number) => `${Math.round(n)} ms`;

/** Deletes every key of our prefix (never FLUSHALL: other runs share the server). */
export async function wipePrefix(redis: Redis, prefix: string): Promise<number> {
  let cursor = '0';
  let deleted = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) deleted += await redis.unlink(...keys);
  } while (cursor !== '0');
  return deleted;
}

/**
 * Inserts `count` open cases with one open stage and its DUE deadline each, plus the DEADLINE_SCHEDULED outbox row
 * the case code writes (payload as in StageClock.scheduleDeadlines), round-robin over the partnerships.
 * `dueAt` null: each row due far in the future (30 days + n seconds).
 */
export async function insertDeadlines(owner: DataSource, tag: string, count: number, dueAt: Date | null) {
  await owner.query(
    `with p as materialized (
       select p.id, (row_number() over (order by p.code) - 1)::int as k,
              (select a.id from agencies a where a.registered_by_partnership_id = p.id and a.type = 'POLICE'
                 and a.name like 'Bench %' limit 1) as raising,
              (select a.id from agencies a where a.registered_by_partnership_id = p.id
                 and a.type = 'CHILDRENS_SOCIAL_CARE' and a.name like 'Bench %' limit 1) as responding
         from partnerships p),
     s as materialized (
       select g, p.id as partnership_id, p.raising, p.responding, gen_random_uuid() as escalation_id,
              gen_random_uuid() as stage_id, gen_random_uuid() as deadline_id,
              coalesce($3::timestamptz, now() + interval '30 days' + g * interval '1 second') as due_at
         from generate_series(1, $2::int) g join p on p.k = g % (select count(*) from p)),
     e as (
       insert into escalations (id, partnership_id, reference, type, status, urgency, category, level_of_need,
         raising_agency_id, responding_agency_id, summary, desired_outcome, risk_summary, policy_version, ladder,
         calendar_version, current_stage, raised_at)
       select escalation_id, partnership_id, 'BENCH-' || $1 || '-' || g, 'GENERAL', 'OPEN', 'STANDARD', 'OTHER',
              'CHILD_IN_NEED', raising, responding, 'benchmark case', 'benchmark', 'none', 1, $4::jsonb, 1, 1, now()
         from s),
     st as (
       insert into escalation_stages (id, partnership_id, escalation_id, number, name, role_type, status,
         opened_at, due_start, due_at, working_days)
       select stage_id, partnership_id, escalation_id, 1, 'Practitioner to practitioner', 'PRACTITIONER',
              'AWAITING_RESPONSE', now(), now(), due_at, 5
         from s),
     d as (
       insert into deadlines (id, partnership_id, escalation_id, stage_id, kind, due_at)
       select deadline_id, partnership_id, escalation_id, stage_id, 'DUE', due_at from s)
     insert into outbox (partnership_id, topic, dedupe_key, payload)
     select partnership_id, 'DEADLINE_SCHEDULED', 'deadline-' || deadline_id || '-1',
            jsonb_build_object('deadlineId', deadline_id, 'version', 1, 'kind', 'DUE', 'escalationId', escalation_id,
              'stage', 1, 'dueAt', to_char(due_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
       from s`,
    [tag, count, dueAt, JSON.stringify(LADDER)],
  );
}

export async function dbNow(owner: DataSource, plusSeconds = 0): Promise<Date> {
  const [row]: { t: Date }[] = await owner.query(
    `select date_trunc('second', now()) + make_interval(secs => $1) as t`,
    [plusSeconds],
  );
  return row.t;
}

export async function unrelayed(owner: DataSource): Promise<number> {
  const [row]: { n: number }[] = await owner.query(
    `select count(*)::int as n from outbox where relayed_at is null and topic = 'DEADLINE_SCHEDULED'`,
  );
  return row.n;
}

/** Lateness (ms, database clock) of the deadlines due at `dueAt`; null for those not fired. */
export async function lateness(owner: DataSource, dueAt: Date): Promise<(number | null)[]> {
  const rows: { ms: number | null }[] = await owner.query(
    `select (extract(epoch from fired_at - due_at) * 1000)::float8 as ms from deadlines where due_at = $1`,
    [dueAt],
  );
  return rows.map((r) => r.ms);
}

/**
 * Lateness (ms, database clock) of the effects of the deadlines due at `dueAt`: when the firing transaction wrote
 * the STAGE_BREACHED event (its `at` is clock_timestamp(), not the transaction start). A batch commits shortly after.
 */
export async function effectLateness(owner: DataSource, dueAt: Date): Promise<number[]> {
  const rows: { ms: number }[] = await owner.query(
    `select (extract(epoch from e.at - d.due_at) * 1000)::float8 as ms
       from deadlines d join escalation_events e on e.escalation_id = d.escalation_id and e.kind = 'STAGE_BREACHED'
      where d.due_at = $1`,
    [dueAt],
  );
  return rows.map((r) => r.ms);
}

export async function waitFired(
  owner: DataSource,
  dueAt: Date,
  count: number,
  untilMs: number,
): Promise<void> {
  for (;;) {
    const [row]: { n: number }[] = await owner.query(
      `select count(*)::int as n from deadlines where due_at = $1 and fired_at is not null`,
      [dueAt],
    );
    if (row.n >= count || Date.now() > untilMs) return;
    await sleep(250);
  }
}

export interface SweepRun {
  start: number;
  end: number;
  fired: number;
}
