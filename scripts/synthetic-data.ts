import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { defaultLadder } from '@hips/core';

/**
 * Synthetic escalation cases for analytics (issue 6 §5): realistic mixes of partnerships, agencies (those of the
 * demo data), categories, urgency, stages, breaches, extensions and outcomes over several years, written
 * straight into the case tables as the owner with one multi-row insert (unnest of column arrays) per table and
 * batch. No child identifiers are generated; free text is a fixed placeholder.
 */

export interface SyntheticOptions {
  count: number;
  /** PRNG seed: the same seed gives the same cases (ids aside). */
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
  batchSize?: number;
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

/** mulberry32: small, fast, seeded. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function weighted<T>(rand: () => number, items: [T, number][]): T {
  const total = items.reduce((t, [, w]) => t + w, 0);
  let r = rand() * total;
  for (const [item, w] of items) {
    r -= w;
    if (r < 0) return item;
  }
  return items[items.length - 1][0];
}

interface Partnership {
  id: string;
  code: string;
  prefix: string;
  reflective: string;
  agencies: { id: string; type: string }[];
}

type Columns = Record<string, unknown[]>;

function columns(names: string[]): Columns {
  return Object.fromEntries(names.map((n) => [n, []]));
}

function push(cols: Columns, row: Record<string, unknown>): void {
  for (const key of Object.keys(cols)) cols[key].push(row[key] ?? null);
}

async function insertColumns(
  db: { query: (sql: string, params?: unknown[]) => Promise<unknown> },
  table: string,
  cols: Columns,
  types: Record<string, string>,
): Promise<void> {
  const names = Object.keys(cols);
  if (cols[names[0]].length === 0) return;
  await db.query(
    `insert into ${table} (${names.join(', ')}) select * from unnest(${names
      .map((n, i) => `$${i + 1}::${types[n]}[]`)
      .join(', ')})`,
    names.map((n) => cols[n]),
  );
}

const ESCALATION_TYPES: Record<string, string> = {
  id: 'uuid',
  partnership_id: 'uuid',
  reference: 'text',
  type: 'text',
  status: 'text',
  urgency: 'text',
  category: 'text',
  level_of_need: 'text',
  raising_agency_id: 'uuid',
  responding_agency_id: 'uuid',
  summary: 'text',
  desired_outcome: 'text',
  risk_summary: 'text',
  policy_version: 'int',
  ladder: 'jsonb',
  current_stage: 'int',
  raised_at: 'timestamptz',
  closed_at: 'timestamptz',
  outcome_code: 'text',
  outcome_statement: 'text',
  outcome_recorded_at: 'timestamptz',
  learning_themes: 'jsonb',
  systemic_issue: 'boolean',
  reopen_count: 'int',
};
const STAGE_TYPES: Record<string, string> = {
  partnership_id: 'uuid',
  escalation_id: 'uuid',
  number: 'int',
  name: 'text',
  role_type: 'text',
  status: 'text',
  breaches: 'boolean',
  opened_at: 'timestamptz',
  due_at: 'timestamptz',
  working_days: 'int',
  breached_at: 'timestamptz',
  extended: 'boolean',
  extension_working_days: 'int',
  responded_at: 'timestamptz',
  closed_at: 'timestamptz',
};
const EVENT_TYPES: Record<string, string> = {
  partnership_id: 'uuid',
  escalation_id: 'uuid',
  kind: 'text',
  at: 'timestamptz',
  stage: 'int',
  detail: 'text',
};

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
      reflective: p.reflective ?? 'Reflective step',
      agencies: agencies.filter((a) => a.partnership_id === p.id),
    }))
    .filter((p) => p.agencies.length >= 2);
}

/** Writes `count` cases; returns the number written. Run as the owner (row-level security does not apply). */
export async function generateSyntheticCases(db: DataSource, options: SyntheticOptions): Promise<number> {
  const rand = prng(options.seed ?? 1);
  const end = options.end ?? new Date();
  const start = options.start ?? new Date(end.getTime() - 4 * 365 * DAY);
  const partnerships = await partnershipsOf(db, options.partnerships);
  if (partnerships.length === 0) throw new Error('no partnership with agencies: load the demo data first');
  const weights = partnerships.map((p): [Partnership, number] => [p, PARTNERSHIP_WEIGHTS[p.code] ?? 10]);
  const ladders = new Map(
    partnerships.map((p) => [p.id, JSON.stringify(defaultLadder('GENERAL', p.reflective))]),
  );
  const run = randomUUID().slice(0, 8).toUpperCase();
  const batchSize = options.batchSize ?? 5000;
  const fixed = options.fixed ?? {};
  let done = 0;
  while (done < options.count) {
    const n = Math.min(batchSize, options.count - done);
    const esc = columns(Object.keys(ESCALATION_TYPES));
    const stg = columns(Object.keys(STAGE_TYPES));
    const evt = columns(Object.keys(EVENT_TYPES));
    for (let i = 0; i < n; i++) {
      const p = weighted(rand, weights);
      const id = randomUUID();
      const raising = p.agencies[Math.floor(rand() * p.agencies.length)];
      const others = p.agencies.filter((a) => a.id !== raising.id);
      // Children's social care answers most challenges (threshold and assessment disputes).
      const csc = others.filter((a) => a.type === 'CHILDRENS_SOCIAL_CARE');
      const responding =
        csc.length > 0 && rand() < 0.55
          ? csc[Math.floor(rand() * csc.length)]
          : others[Math.floor(rand() * others.length)];
      const urgency = fixed.urgency ?? (rand() < 0.12 ? 'URGENT' : 'STANDARD');
      const raisedAt = new Date(start.getTime() + rand() * (end.getTime() - start.getTime()));
      const useStage0 = urgency === 'STANDARD' && rand() < 0.18;
      // Where the case ends: at stage 0, or climbing 1..4.
      const closingStage =
        fixed.closingStage ??
        (useStage0 && rand() < 0.5
          ? 0
          : weighted(rand, [[1, 55] as [number, number], [2, 25], [3, 12], [4, 8]]));
      const age = (end.getTime() - raisedAt.getTime()) / DAY;
      let status: string =
        fixed.status ??
        (age < 10 && rand() < 0.7
          ? 'OPEN'
          : rand() < 0.05
            ? 'WITHDRAWN'
            : closingStage === 4 && rand() < 0.6
              ? 'CLOSED_BY_PARTNERSHIP'
              : 'RESOLVED');
      if (status === 'CLOSED_BY_PARTNERSHIP' && closingStage !== 4) status = 'RESOLVED';
      const stageDays = urgency === 'URGENT' ? 1 : 5;
      let at = raisedAt.getTime();
      const numbers = closingStage === 0 ? [0] : [...(useStage0 ? [0] : []), ...range(1, closingStage)];
      push(evt, { partnership_id: p.id, escalation_id: id, kind: 'RAISED', at: iso(at), stage: numbers[0] });
      for (const [k, number] of numbers.entries()) {
        const last = k === numbers.length - 1;
        const opened = at;
        const breaches = number !== 0;
        const workingDays = number === 0 ? 10 : number === 4 ? stageDays * 2 : stageDays;
        const due = opened + ((workingDays * 7) / 5) * DAY;
        const extended = breaches && rand() < 0.08;
        const respondAfter = (0.2 + rand() * (workingDays * 1.6)) * DAY;
        const respondedAt = opened + respondAfter;
        const stayed = respondAfter + rand() * 3 * DAY;
        const closedAt = last && status === 'OPEN' ? null : opened + stayed;
        const dueFinal = extended ? due + 3 * DAY : due;
        const breachedAt =
          breaches && (closedAt === null ? end.getTime() > dueFinal : closedAt > dueFinal) ? dueFinal : null;
        push(stg, {
          partnership_id: p.id,
          escalation_id: id,
          number,
          name: number === 0 ? p.reflective : `Stage ${number}`,
          role_type: number === 4 ? 'PARTNERSHIP_MANAGER' : 'PRACTITIONER',
          status: closedAt === null ? 'RESPONDED' : 'CLOSED',
          breaches,
          opened_at: iso(opened),
          due_at: iso(dueFinal),
          working_days: workingDays,
          breached_at: breachedAt === null ? null : iso(breachedAt),
          extended,
          extension_working_days: extended ? 2 : null,
          responded_at: respondedAt <= end.getTime() ? iso(respondedAt) : null,
          closed_at: closedAt === null ? null : iso(closedAt),
        });
        if (respondedAt <= end.getTime()) {
          push(evt, {
            partnership_id: p.id,
            escalation_id: id,
            kind: 'RESPONDED',
            at: iso(respondedAt),
            stage: number,
          });
        }
        if (extended) {
          push(evt, {
            partnership_id: p.id,
            escalation_id: id,
            kind: 'EXTENDED',
            at: iso(opened + DAY),
            stage: number,
          });
        }
        if (breachedAt !== null) {
          push(evt, {
            partnership_id: p.id,
            escalation_id: id,
            kind: 'STAGE_BREACHED',
            at: iso(breachedAt),
            stage: number,
          });
        }
        if (!last) {
          push(evt, {
            partnership_id: p.id,
            escalation_id: id,
            kind: 'ESCALATED',
            at: iso(closedAt!),
            stage: numbers[k + 1],
          });
        }
        at = closedAt ?? at;
      }
      const closed = status !== 'OPEN';
      const outcome =
        status === 'WITHDRAWN'
          ? 'WITHDRAWN'
          : status === 'CLOSED_BY_PARTNERSHIP'
            ? 'PARTNERSHIP_DECISION'
            : status === 'RESOLVED'
              ? closingStage === 0
                ? 'RESOLVED_BY_REFLECTIVE_STEP'
                : weighted(rand, OUTCOMES)
              : null;
      const resolved = status === 'RESOLVED' || status === 'CLOSED_BY_PARTNERSHIP';
      const reopened = status === 'RESOLVED' && rand() < 0.03;
      const themes = resolved ? THEMES.filter(() => rand() < 0.12) : [];
      if (closed) {
        const kind =
          status === 'RESOLVED' ? 'RESOLVED' : status === 'WITHDRAWN' ? 'WITHDRAWN' : 'PARTNERSHIP_DECISION';
        if (reopened) {
          push(evt, {
            partnership_id: p.id,
            escalation_id: id,
            kind: 'RESOLVED',
            at: iso(at - DAY / 2),
            stage: closingStage,
          });
          push(evt, {
            partnership_id: p.id,
            escalation_id: id,
            kind: 'REOPENED',
            at: iso(at - DAY / 4),
            stage: closingStage,
          });
        }
        push(evt, {
          partnership_id: p.id,
          escalation_id: id,
          kind,
          at: iso(at),
          stage: closingStage,
          detail: outcome,
        });
      }
      const year = raisedAt.getUTCFullYear();
      push(esc, {
        id,
        partnership_id: p.id,
        reference: `${p.prefix}-${year}-S${run}${String(done + i).padStart(7, '0')}`,
        type: 'GENERAL',
        status,
        urgency,
        category: fixed.category ?? weighted(rand, CATEGORIES),
        level_of_need: fixed.levelOfNeed ?? weighted(rand, LEVELS),
        raising_agency_id: raising.id,
        responding_agency_id: responding.id,
        summary: 'Synthetic case',
        desired_outcome: 'Synthetic case',
        risk_summary: 'Synthetic case',
        policy_version: 1,
        ladder: ladders.get(p.id),
        current_stage: closingStage,
        raised_at: iso(raisedAt.getTime()),
        closed_at: closed ? iso(at) : null,
        outcome_code: outcome,
        outcome_statement: closed ? 'Synthetic outcome' : null,
        outcome_recorded_at: closed ? iso(at) : null,
        learning_themes: JSON.stringify(themes),
        systemic_issue: resolved && rand() < 0.04,
        reopen_count: reopened ? 1 : 0,
      });
    }
    await db.transaction(async (em) => {
      // A bulk load of rows generated consistent: skip the per-row foreign-key triggers (owner, superuser).
      await em.query(`set local session_replication_role = replica`);
      await insertColumns(em, 'escalations', esc, ESCALATION_TYPES);
      await insertColumns(em, 'escalation_stages', stg, STAGE_TYPES);
      await insertColumns(em, 'escalation_events', evt, EVENT_TYPES);
    });
    done += n;
    options.onProgress?.(done, options.count);
  }
  return done;
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
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
