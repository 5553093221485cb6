import { londonDate, workingDaysBetween, WorkingCalendar } from '@hips/core';
import { learningThemeCodes } from './learning-themes';

/** What the refresh reads about one case (codes, dates and counts only). */
export interface CaseSource {
  id: string;
  partnershipId: string;
  type: string;
  status: string;
  urgency: string;
  category: string;
  levelOfNeed: string;
  raisingAgencyId: string;
  raisingAgencyType: string;
  respondingAgencyId: string;
  respondingAgencyType: string;
  raisedAt: Date;
  closedAt: Date | null;
  currentStage: number | null;
  outcomeCode: string | null;
  learningThemes: unknown;
  systemicIssue: boolean;
  reopenCount: number;
  /** Children the case concerns (stored on the case when raised; the child rows may be purged). */
  childCount: number;
  /** Stage numbers opened, breached (breached_at set or a STAGE_BREACHED event) and extended. */
  stages: number[];
  breachedStages: number[];
  extendedStages: number;
  /** EXTENDED events (a stage may be extended once; reopening may allow another). */
  extensionEvents: number;
  /** The first RESPONDED event (or the earliest stage response). */
  firstResponseAt: Date | null;
}

/** One row of analytics_case_facts (snake_case, as inserted). */
export interface CaseFact {
  partnership_id: string;
  escalation_id: string;
  raised_at: string;
  raised_on: string;
  raised_month: string;
  closed_at: string | null;
  closed_on: string | null;
  resolved: boolean;
  type: string;
  status: string;
  urgency: string;
  category: string;
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
  children: number;
}

export const RESOLVED_STATUSES = ['RESOLVED', 'CLOSED_BY_PARTNERSHIP'];
const CLOSED_STATUSES = ['RESOLVED', 'CLOSED_BY_PARTNERSHIP', 'WITHDRAWN'];

/**
 * The fact row of one case: a pure function of the case's rows, so recomputing it is idempotent. Working days
 * use the calendar the case pinned (libs/core workingDaysBetween: whole working days completed at 17:00).
 */
export function computeCaseFact(c: CaseSource, calendar: WorkingCalendar): CaseFact {
  const raisedOn = londonDate(c.raisedAt);
  const closed = CLOSED_STATUSES.includes(c.status) && c.closedAt !== null;
  const resolved = closed && RESOLVED_STATUSES.includes(c.status);
  const stages = [...new Set(c.stages)];
  const highest = stages.length > 0 ? Math.max(...stages) : (c.currentStage ?? 1);
  const closingStage = closed ? (c.currentStage ?? highest) : null;
  const firstResponse =
    c.firstResponseAt && c.firstResponseAt.getTime() >= c.raisedAt.getTime() ? c.firstResponseAt : null;
  return {
    partnership_id: c.partnershipId,
    escalation_id: c.id,
    raised_at: c.raisedAt.toISOString(),
    raised_on: raisedOn,
    raised_month: `${raisedOn.slice(0, 7)}-01`,
    closed_at: closed ? c.closedAt!.toISOString() : null,
    closed_on: closed ? londonDate(c.closedAt!) : null,
    resolved,
    type: c.type,
    status: c.status,
    urgency: c.urgency,
    category: c.category,
    level_of_need: c.levelOfNeed,
    raising_agency_id: c.raisingAgencyId,
    raising_agency_type: c.raisingAgencyType,
    responding_agency_id: c.respondingAgencyId,
    responding_agency_type: c.respondingAgencyType,
    highest_stage: highest,
    closing_stage: closingStage,
    outcome_code: closed ? c.outcomeCode : null,
    wd_to_resolution: resolved ? workingDaysBetween(calendar, c.raisedAt, c.closedAt!) : null,
    wd_to_first_response: firstResponse ? workingDaysBetween(calendar, c.raisedAt, firstResponse) : null,
    stages_count: stages.length,
    stages_breached: new Set(c.breachedStages).size,
    extensions: Math.max(c.extensionEvents, c.extendedStages),
    used_stage0: stages.includes(0),
    resolved_at_stage0: resolved && closingStage === 0,
    reopened: c.reopenCount > 0,
    systemic: resolved && c.systemicIssue,
    learning_themes: resolved ? learningThemeCodes(c.learningThemes) : [],
    children: c.childCount,
  };
}

/** The columns of a fact row, in insert order. */
export const FACT_COLUMNS: { name: keyof CaseFact; sqlType: string }[] = [
  { name: 'partnership_id', sqlType: 'uuid' },
  { name: 'escalation_id', sqlType: 'uuid' },
  { name: 'raised_at', sqlType: 'timestamptz' },
  { name: 'raised_on', sqlType: 'date' },
  { name: 'raised_month', sqlType: 'date' },
  { name: 'closed_at', sqlType: 'timestamptz' },
  { name: 'closed_on', sqlType: 'date' },
  { name: 'resolved', sqlType: 'boolean' },
  { name: 'type', sqlType: 'text' },
  { name: 'status', sqlType: 'text' },
  { name: 'urgency', sqlType: 'text' },
  { name: 'category', sqlType: 'text' },
  { name: 'level_of_need', sqlType: 'text' },
  { name: 'raising_agency_id', sqlType: 'uuid' },
  { name: 'raising_agency_type', sqlType: 'text' },
  { name: 'responding_agency_id', sqlType: 'uuid' },
  { name: 'responding_agency_type', sqlType: 'text' },
  { name: 'highest_stage', sqlType: 'integer' },
  { name: 'closing_stage', sqlType: 'integer' },
  { name: 'outcome_code', sqlType: 'text' },
  { name: 'wd_to_resolution', sqlType: 'integer' },
  { name: 'wd_to_first_response', sqlType: 'integer' },
  { name: 'stages_count', sqlType: 'integer' },
  { name: 'stages_breached', sqlType: 'integer' },
  { name: 'extensions', sqlType: 'integer' },
  { name: 'used_stage0', sqlType: 'boolean' },
  { name: 'resolved_at_stage0', sqlType: 'boolean' },
  { name: 'reopened', sqlType: 'boolean' },
  { name: 'systemic', sqlType: 'boolean' },
  { name: 'learning_themes', sqlType: 'text[]' },
  { name: 'children', sqlType: 'integer' },
];
