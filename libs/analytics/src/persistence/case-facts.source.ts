import type { DataSource, EntityManager } from 'typeorm';
import { WorkingCalendar } from '@hips/core';
import { CaseFact, CaseSource, computeCaseFact } from '../case-fact';

/**
 * The read model's one dependency on other modules' tables (docs/architecture.md "Modules"): analytics is a read
 * model of the cases, so it reads the escalations, calendar and directory tables here, and only here, by SQL (the
 * same transaction as its writes, under row-level security, one cursor pass for a rebuild). Every other library
 * goes through the owner's repository or service; this is the exception, kept in one named place.
 */

export interface CaseRow {
  id: string;
  type: string;
  status: string;
  urgency: string;
  category: string;
  level_of_need: string;
  raising_agency_id: string;
  responding_agency_id: string;
  raised_at: Date;
  closed_at: Date | null;
  current_stage: number | null;
  outcome_code: string | null;
  learning_themes: unknown;
  systemic_issue: boolean;
  reopen_count: number;
  child_count: number;
  calendar_version: number;
  raising_agency_type: string | null;
  responding_agency_type: string | null;
  stages: number[] | null;
  breached: number[] | null;
  extended_stages: number;
  extension_events: number;
  first_response_at: Date | null;
  breached_events: number[] | null;
}

/**
 * The latest case activity (event or stage breach) after `since` (any, when null), as the database's text: event
 * times have microseconds, a JS Date only milliseconds, so the watermark never goes through a Date.
 */
export async function latestCaseActivity(
  em: EntityManager,
  partnershipId: string,
  since: string | null,
): Promise<string | null> {
  const [{ latest }]: { latest: string | null }[] = await em.query(
    `select greatest(
       (select max(at) from escalation_events where partnership_id = $1 and ($2::timestamptz is null or at > $2)),
       (select max(breached_at) from escalation_stages
         where partnership_id = $1 and ($2::timestamptz is null or breached_at > $2)))::text as latest`,
    [partnershipId, since],
  );
  return latest;
}

/** The cases with an event or a stage breach after `since`. */
export async function casesChangedSince(
  em: EntityManager,
  partnershipId: string,
  since: string,
): Promise<string[]> {
  const ids: { id: string }[] = await em.query(
    `select escalation_id as id from escalation_events where partnership_id = $1 and at > $2::timestamptz
     union
     select escalation_id from escalation_stages where partnership_id = $1 and breached_at > $2::timestamptz`,
    [partnershipId, since],
  );
  return ids.map((r) => r.id);
}

export /** The partnership's calendar versions (bank holidays plus its closure days), by version; 0 has none. */
async function calendarsOf(em: EntityManager, partnershipId: string): Promise<Map<number, WorkingCalendar>> {
  const rows: { version: number; date: string; reason: string }[] = await em.query(
    `select v.version, d.date::text as date, d.reason from calendar_versions v
       join calendar_closure_days d on d.calendar_version_id = v.id
      where v.partnership_id = $1 order by v.version, d.date`,
    [partnershipId],
  );
  const days = new Map<number, { date: string; reason: string }[]>();
  for (const row of rows) days.set(row.version, [...(days.get(row.version) ?? []), row]);
  const calendars = new Map<number, WorkingCalendar>();
  for (const [version, closureDays] of days) calendars.set(version, new WorkingCalendar({ closureDays }));
  return calendars;
}

const NO_CLOSURES = new WorkingCalendar();

/**
 * The case rows a fact is computed from: the case, its agencies' types, its stages and its events, aggregated per
 * case. `scope` limits it to the cases of $2 (uuid[]), or takes every case of the partnership (the rebuild: one
 * pass of hash joins instead of a look-up per case).
 */
function caseSql(scope: 'ids' | 'all'): string {
  const only = (column: string) => (scope === 'ids' ? ` and ${column} = any($2::uuid[])` : '');
  return `select e.id, e.type, e.status, e.urgency, e.category, e.level_of_need, e.raising_agency_id,
            e.responding_agency_id, e.raised_at, e.closed_at, e.current_stage, e.outcome_code, e.learning_themes,
            e.systemic_issue, e.reopen_count, e.child_count, e.calendar_version,
            ra.type as raising_agency_type, rs.type as responding_agency_type,
            s.stages, s.breached, coalesce(s.extended_stages, 0)::int as extended_stages,
            coalesce(v.extension_events, 0)::int as extension_events, v.breached_events,
            least(v.first_response_at, s.first_stage_response) as first_response_at
       from escalations e
       left join agencies ra on ra.id = e.raising_agency_id
       left join agencies rs on rs.id = e.responding_agency_id
       left join (
         select escalation_id, array_agg(number) as stages,
                array_agg(number) filter (where breached_at is not null) as breached,
                count(*) filter (where extended) as extended_stages,
                min(responded_at) as first_stage_response
           from escalation_stages where partnership_id = $1${only('escalation_id')}
          group by escalation_id) s on s.escalation_id = e.id
       left join (
         select escalation_id, count(*) filter (where kind = 'EXTENDED') as extension_events,
                min(at) filter (where kind = 'RESPONDED') as first_response_at,
                array_agg(stage) filter (where kind = 'STAGE_BREACHED' and stage is not null) as breached_events
           from escalation_events where partnership_id = $1${only('escalation_id')}
          group by escalation_id) v on v.escalation_id = e.id
      where e.partnership_id = $1${only('e.id')}`;
}

/** The fact row of one case row (caseSql). */
export function factOf(r: CaseRow, partnershipId: string, calendars: Map<number, WorkingCalendar>): CaseFact {
  const source: CaseSource = {
    id: r.id,
    partnershipId,
    type: r.type,
    status: r.status,
    urgency: r.urgency,
    category: r.category,
    levelOfNeed: r.level_of_need,
    raisingAgencyId: r.raising_agency_id,
    raisingAgencyType: r.raising_agency_type ?? 'OTHER',
    respondingAgencyId: r.responding_agency_id,
    respondingAgencyType: r.responding_agency_type ?? 'OTHER',
    raisedAt: r.raised_at,
    closedAt: r.closed_at,
    currentStage: r.current_stage,
    outcomeCode: r.outcome_code,
    learningThemes: r.learning_themes,
    systemicIssue: r.systemic_issue,
    reopenCount: r.reopen_count,
    childCount: r.child_count,
    stages: r.stages ?? [],
    breachedStages: [...(r.breached ?? []), ...(r.breached_events ?? [])],
    extendedStages: r.extended_stages,
    extensionEvents: r.extension_events,
    firstResponseAt: r.first_response_at,
  };
  return computeCaseFact(source, calendars.get(r.calendar_version) ?? NO_CLOSURES);
}

/** The case rows of the given cases. */
export function readCases(em: EntityManager, partnershipId: string, ids: string[]): Promise<CaseRow[]> {
  return em.query(caseSql('ids'), [partnershipId, ids]);
}

/** Opens the rebuild's cursor over every case of the partnership (`partnershipId` checked to be a uuid). */
export async function openCaseCursor(em: EntityManager, partnershipId: string): Promise<void> {
  // A cursor cannot take bind parameters: the (checked) id is inlined.
  await em.query(
    `declare analytics_rebuild no scroll cursor for ${caseSql('all').replaceAll('$1', `'${partnershipId}'::uuid`)}`,
  );
}

export function fetchCases(em: EntityManager, batchSize: number): Promise<CaseRow[]> {
  return em.query(`fetch ${batchSize} from analytics_rebuild`);
}

export async function closeCaseCursor(em: EntityManager): Promise<void> {
  await em.query('close analytics_rebuild');
}

export /** Copies the names and types of the agencies into the read model (directory facts, for the agency dimensions). */
async function writeAgencies(em: EntityManager, agencyIds: string[]): Promise<void> {
  if (agencyIds.length === 0) return;
  await em.query(
    `insert into analytics_agencies (agency_id, name, type, refreshed_at)
     select a.id, a.name, a.type, now() from agencies a
      where a.id = any($1::uuid[])
     on conflict (agency_id) do update set name = excluded.name, type = excluded.type, refreshed_at = now()
      where analytics_agencies.name is distinct from excluded.name or analytics_agencies.type is distinct from excluded.type`,
    [agencyIds],
  );
}

/**
 * The partnerships of these codes (id and code, by code), read on the analytics connection: its own database role,
 * outside any tenant unit of work, so the directory's repository (which takes a tenant unit of work) cannot answer.
 */
export function partnershipsByCodes(
  source: DataSource,
  codes: readonly string[],
): Promise<{ id: string; code: string }[]> {
  return source.query('select id, code from partnerships where code = any($1::text[]) order by code', [
    codes,
  ]);
}
