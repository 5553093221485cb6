import { fail, hasRole, type RequestContext } from '@hips/common';
import {
  checkTransition,
  type CaseAction,
  type CaseStatus,
  type RoleType,
  type StageStatus,
} from '@hips/core';
import type { EscalationRow, StageRow } from '../mappers';

/** Who may raise: a person holding a stage role of a relevant agency (an agency system always may). */
export const RAISING_ROLES: RoleType[] = [
  'PRACTITIONER',
  'LINE_MANAGER',
  'SAFEGUARDING_LEAD',
  'SENIOR_MANAGER',
  'PARTNERSHIP_MANAGER',
];

/** Who may mark an agreed action done: the stage roles of an agency (the partnership manager acts through them). */
export const ACTION_ROLES: RoleType[] = [
  'PRACTITIONER',
  'LINE_MANAGER',
  'SAFEGUARDING_LEAD',
  'SENIOR_MANAGER',
];

/**
 * Who may take which action on a case (docs/permissions.md), as pure rules over the caller, the case, its current
 * stage and — where a manager may act — the people above the raising side's stage owner (`managers`, loaded by
 * the caller). Whether the case's state allows the action at all is `transition`. The `may*` answers are what a
 * viewer could be told before trying; the handlers refuse with the same rules.
 */
export const caseActionPolicy = {
  /** The state machine's verdict on the action (INVALID_STATE when refused). */
  transition(row: EscalationRow, stage: StageRow | null, action: CaseAction, toStage?: number): void {
    const verdict = checkTransition(
      {
        status: row.status as CaseStatus,
        stageNumber: row.current_stage,
        stageStatus: (stage?.status as StageStatus) ?? null,
        lastStage: Math.max(...row.ladder.map((l) => l.number)),
        extended: stage?.extended ?? false,
      },
      action,
      toStage,
    );
    if (!verdict.ok)
      fail('INVALID_STATE', verdict.message, toStage !== undefined ? ['input', 'toStage'] : undefined);
  },

  mayRaise(ctx: RequestContext): boolean {
    return ctx.personId === null || hasRole(ctx, ...RAISING_ROLES);
  },

  /**
   * The stage owner on one side: the named owner; when nobody could be routed, any holder of the stage's role
   * in that agency; an agency system (API key) of that agency acts for it.
   */
  isSideOwner(ctx: RequestContext, ownerId: string | null, agencyId: string, roleType: string): boolean {
    if (ctx.apiKeyId) return ctx.agencyId === agencyId;
    if (!ctx.personId) return false;
    if (ownerId) return ctx.personId === ownerId;
    if (roleType === 'PARTNERSHIP_MANAGER') return hasRole(ctx, 'PARTNERSHIP_MANAGER');
    return ctx.agencyId === agencyId && ctx.roles.includes(roleType as RoleType);
  },

  /** The raiser, or the raising side's current stage owner, or an API key of the raising agency. */
  isRaiserSide(ctx: RequestContext, row: EscalationRow, stage: StageRow): boolean {
    return (
      (ctx.personId !== null &&
        (ctx.personId === row.raised_by_person_id || ctx.personId === stage.raiser_owner_person_id)) ||
      (ctx.apiKeyId !== null && ctx.agencyId === row.raising_agency_id)
    );
  },

  isManager(ctx: RequestContext, managers: ReadonlySet<string>): boolean {
    return ctx.personId !== null && managers.has(ctx.personId);
  },

  mayRespond(ctx: RequestContext, row: EscalationRow, stage: StageRow): boolean {
    return this.isSideOwner(ctx, stage.responder_owner_person_id, row.responding_agency_id, stage.role_type);
  },

  /** Escalating: the raising side's stage owner or their manager; skipping a stage: the manager only. */
  mayEscalate(
    ctx: RequestContext,
    row: EscalationRow,
    stage: StageRow,
    managers: ReadonlySet<string>,
    skip: boolean,
  ): boolean {
    if (this.isManager(ctx, managers)) return true;
    return (
      !skip && this.isSideOwner(ctx, stage.raiser_owner_person_id, row.raising_agency_id, stage.role_type)
    );
  },

  /** Urgent stages: the partnership manager; others: also the raising side owner's manager. */
  mayExtend(ctx: RequestContext, row: EscalationRow, managers: ReadonlySet<string>): boolean {
    if (hasRole(ctx, 'PARTNERSHIP_MANAGER')) return true;
    return row.urgency !== 'URGENT' && this.isManager(ctx, managers);
  },

  /**
   * The side whose owner of the current stage the caller is (a person, not an API key), for an extension by both
   * owners agreeing (docs/procedure.md §4); null for anyone else.
   */
  extensionSideOf(ctx: RequestContext, row: EscalationRow, stage: StageRow): 'RAISING' | 'RESPONDING' | null {
    if (ctx.apiKeyId || !ctx.personId) return null;
    if (this.isSideOwner(ctx, stage.raiser_owner_person_id, row.raising_agency_id, stage.role_type))
      return 'RAISING';
    if (this.mayRespond(ctx, row, stage)) return 'RESPONDING';
    return null;
  },

  /** Either owner of a standard stage may propose an extension (urgent stages: the partnership manager only). */
  mayProposeExtension(ctx: RequestContext, row: EscalationRow, stage: StageRow): boolean {
    return row.urgency !== 'URGENT' && this.extensionSideOf(ctx, row, stage) !== null;
  },

  /** The other side's owner decides a proposal: never the proposer, never the proposer's side. */
  mayDecideExtension(
    ctx: RequestContext,
    row: EscalationRow,
    stage: StageRow,
    proposal: { proposed_by_person_id: string; proposed_by_side: string },
  ): boolean {
    const side = this.extensionSideOf(ctx, row, stage);
    return (
      side !== null && side !== proposal.proposed_by_side && ctx.personId !== proposal.proposed_by_person_id
    );
  },

  mayResolve(
    ctx: RequestContext,
    row: EscalationRow,
    stage: StageRow,
    managers: ReadonlySet<string>,
  ): boolean {
    return (
      this.isSideOwner(ctx, stage.raiser_owner_person_id, row.raising_agency_id, stage.role_type) ||
      (stage.raiser_owner_person_id !== null && this.isManager(ctx, managers))
    );
  },

  /**
   * The reflective meeting's record (stage 0): whoever may resolve at the stage (the raising side's owner or
   * their manager) for either outcome; the responding side's owner too when the meeting proceeds to stage 1
   * (resolving stays the raising side's call, as for resolve).
   */
  mayRecordReflectiveMeeting(
    ctx: RequestContext,
    row: EscalationRow,
    stage: StageRow,
    managers: ReadonlySet<string>,
    resolves: boolean,
  ): boolean {
    return this.mayResolve(ctx, row, stage, managers) || (!resolves && this.mayRespond(ctx, row, stage));
  },

  mayWithdraw(ctx: RequestContext, row: EscalationRow, stage: StageRow): boolean {
    return this.isRaiserSide(ctx, row, stage);
  },

  mayReopen(ctx: RequestContext, row: EscalationRow, stage: StageRow): boolean {
    return this.isRaiserSide(ctx, row, stage);
  },

  mayRecordPartnershipDecision(ctx: RequestContext): boolean {
    return hasRole(ctx, 'PARTNERSHIP_MANAGER');
  },

  /**
   * An agreed action is marked done by a person holding a stage role, or the API key, of the action's owner
   * agency or of either agency of the case.
   */
  mayMarkAgreedActionDone(ctx: RequestContext, row: EscalationRow, ownerAgencyId: string): boolean {
    const agencies = new Set([ownerAgencyId, row.raising_agency_id, row.responding_agency_id]);
    return (
      ctx.agencyId !== null &&
      agencies.has(ctx.agencyId) &&
      (ctx.apiKeyId !== null || (ctx.personId !== null && hasRole(ctx, ...ACTION_ROLES)))
    );
  },
};
