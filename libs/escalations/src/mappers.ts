import { EscalationTypeEnum, toGlobalId, UrgencyEnum } from '@hips/common';
import type { BreachAction, StagePolicy } from '@hips/core';
import {
  DisagreementCategory,
  EscalationStatus,
  LevelOfNeed,
  NoteVisibility,
  OutcomeCode,
  StageStatus,
} from './dto/escalation-enums';
import { EscalationEvent } from './dto/escalation-event.model';
import { EscalationNote } from './dto/escalation-note.model';
import { AgreedAction } from './dto/escalation-outcome.model';
import { EscalationStage } from './dto/escalation-stage.model';
import { Escalation } from './dto/escalation.model';

/** A stage of the ladder pinned on a case; ladders pinned before breach actions existed lack `breachAction`. */
export type PinnedStage = Omit<StagePolicy, 'breachAction'> & { readonly breachAction?: BreachAction };

/** A pinned stage as the stage clock times it (an absent breach action is NOTIFY). */
export function stagePolicyOf(stage: PinnedStage): StagePolicy {
  return { ...stage, breachAction: stage.breachAction ?? 'NOTIFY' };
}

/** The case row as the database returns it (`select * from escalations`). */
export interface EscalationRow {
  id: string;
  partnership_id: string;
  reference: string;
  type: string;
  status: string;
  urgency: string;
  category: string;
  level_of_need: string;
  raising_agency_id: string;
  responding_agency_id: string;
  raised_by_person_id: string | null;
  raised_by_api_key_id: string | null;
  respondent_person_id: string | null;
  summary: string;
  desired_outcome: string;
  risk_summary: string;
  immediate_risk_actioned: boolean;
  policy_version: number;
  ladder: PinnedStage[];
  current_stage: number | null;
  raised_at: Date;
  closed_at: Date | null;
  outcome_code: string | null;
  outcome_statement: string | null;
  outcome_recorded_at: Date | null;
  agreed_actions: {
    description: string;
    ownerAgencyId: string;
    dueDate: string | null;
    done: boolean;
    /** When markAgreedActionDone recorded it (absent before). */
    doneAt?: string;
  }[];
  learning_themes: string[];
  systemic_issue: boolean;
  reopen_count: number;
  escalation_recommended_at: Date | null;
  legal_hold_at?: Date | null;
  legal_hold_reason?: string | null;
  legal_hold_by_person_id?: string | null;
  child_purged_at?: Date | null;
  version: number;
  idempotency_key: string | null;
  request_fingerprint: string | null;
}

export interface StageRow {
  id: string;
  escalation_id: string;
  number: number;
  name: string;
  role_type: string;
  status: string;
  breaches: boolean;
  opened_at: Date;
  due_start: Date | null;
  due_at: Date | null;
  working_days: number | null;
  due_explanation: string | null;
  skipped_dates: string[];
  breached_at: Date | null;
  extended: boolean;
  extension_working_days: number | null;
  raiser_owner_person_id: string | null;
  responder_owner_person_id: string | null;
  response: string | null;
  responded_at: Date | null;
  closed_at: Date | null;
  /** Computed by the query with the database clock. */
  overdue_now?: boolean;
}

export interface EventRow {
  id: string;
  escalation_id: string;
  kind: string;
  at: Date;
  actor_person_id: string | null;
  stage: number | null;
  detail: string | null;
  at_key?: string;
}

export interface NoteRow {
  id: string;
  author_person_id: string | null;
  visibility: string;
  text: string;
  created_at: Date;
}

export const toEscalation = (r: EscalationRow): Escalation => ({
  __typename: 'Escalation',
  id: toGlobalId('Escalation', r.id),
  uuid: r.id,
  partnershipUuid: r.partnership_id,
  raisingAgencyUuid: r.raising_agency_id,
  respondingAgencyUuid: r.responding_agency_id,
  raisedByUuid: r.raised_by_person_id,
  currentStageNumber: r.current_stage,
  reference: r.reference,
  type: r.type as EscalationTypeEnum,
  status: r.status as EscalationStatus,
  urgency: r.urgency as UrgencyEnum,
  category: r.category as DisagreementCategory,
  levelOfNeed: r.level_of_need as LevelOfNeed,
  summary: r.summary,
  desiredOutcome: r.desired_outcome,
  riskSummary: r.risk_summary,
  immediateRiskActioned: r.immediate_risk_actioned,
  outcome:
    r.outcome_code && r.outcome_statement !== null
      ? {
          code: r.outcome_code as OutcomeCode,
          statement: r.outcome_statement,
          agreedActions: (r.agreed_actions ?? []).map((a): AgreedAction => ({
            ownerAgencyUuid: a.ownerAgencyId,
            description: a.description,
            dueDate: a.dueDate,
            done: a.done,
          })),
          learningThemes: r.learning_themes ?? [],
          systemicIssue: r.systemic_issue,
          recordedAt: r.outcome_recorded_at ?? r.closed_at ?? r.raised_at,
        }
      : null,
  policyVersion: r.policy_version,
  escalationRecommended: r.escalation_recommended_at !== null,
  raisedAt: r.raised_at,
  closedAt: r.closed_at,
  legalHold:
    r.legal_hold_at && r.legal_hold_reason !== null && r.legal_hold_reason !== undefined
      ? {
          placedAt: r.legal_hold_at,
          reason: r.legal_hold_reason,
          placedByUuid: r.legal_hold_by_person_id ?? null,
        }
      : null,
  childPurgedAt: r.child_purged_at ?? null,
  version: r.version,
});

export const toStage = (r: StageRow): EscalationStage => ({
  uuid: r.id,
  escalationUuid: r.escalation_id,
  raiserOwnerUuid: r.raiser_owner_person_id,
  responderOwnerUuid: r.responder_owner_person_id,
  number: r.number,
  name: r.name,
  status: r.status as StageStatus,
  openedAt: r.opened_at,
  dueAt: r.due_at,
  workingDays: r.working_days,
  due:
    r.due_at && r.due_start && r.working_days !== null
      ? {
          start: r.due_start,
          workingDays: r.working_days,
          dueAt: r.due_at,
          explanation: r.due_explanation ?? '',
          skippedDates: r.skipped_dates ?? [],
        }
      : null,
  overdue: r.status !== 'CLOSED' && r.breaches && Boolean(r.overdue_now),
  breachedAt: r.breached_at,
  extended: r.extended,
  response: r.response,
  respondedAt: r.responded_at,
  closedAt: r.closed_at,
});

export const toEvent = (r: EventRow): EscalationEvent => ({
  __typename: 'EscalationEvent',
  id: toGlobalId('EscalationEvent', r.id),
  uuid: r.id,
  escalationUuid: r.escalation_id,
  actorUuid: r.actor_person_id,
  kind: r.kind,
  at: r.at,
  stage: r.stage,
  detail: r.detail,
});

export const toNote = (r: NoteRow): EscalationNote => ({
  id: r.id,
  authorUuid: r.author_person_id,
  visibility: r.visibility as NoteVisibility,
  text: r.text,
  createdAt: r.created_at,
});

/** A timestamp as an exact, sortable cursor key (microseconds, UTC). */
export const sqlTimeKey = (column: string): string =>
  `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
