import { Injectable } from '@nestjs/common';
import { AuditService } from '@hips/audit';
import { CalendarService } from '@hips/calendar';
import {
  ApiError,
  EscalationTypeEnum,
  fail,
  hasRole,
  idOf,
  RequestContext,
  toGlobalId,
  UserError,
  UserErrorsException,
} from '@hips/common';
import {
  INTERNAL_LADDER_TYPE,
  toStagePolicy,
  validatePolicyDraft,
  type DeadlineExplanation,
  type EscalationType,
  type StagePolicy as CoreStagePolicy,
  type StagePolicyInput as CoreStagePolicyInput,
} from '@hips/core';
import { TenantDb, UnitOfWork } from '@hips/database';
import { AgencyMembershipRepository, assertCanManageAgency, mayManageAgency } from '@hips/directory';
import type { EscalationPolicy, StagePolicy as StagePolicyModel } from './dto/policy.model';
import type { PreviewDeadlinesInput, PublishPolicyInput, SavePolicyDraftInput } from './dto/policy.input';
import { OpenCaseRetiming } from './open-case-retiming';
import { previewStageDeadlines } from './preview';
import { PoliciesRepository, PolicyRow } from './persistence/policies.repository';

/** A publication's effectiveFrom may lag the database clock by this much (client clocks, latency). */
export const EFFECTIVE_FROM_TOLERANCE_MS = 60_000;

export function toPolicy(row: PolicyRow): EscalationPolicy {
  return {
    __typename: 'EscalationPolicy',
    id: toGlobalId('EscalationPolicy', row.id),
    uuid: row.id,
    partnershipUuid: row.partnership_id,
    agencyUuid: row.agency_id,
    type: row.type as EscalationTypeEnum,
    version: row.version,
    published: row.published_at !== null,
    publishedAt: row.published_at,
    effectiveFrom: row.effective_from,
    stages: row.stages.map(toStageModel),
  };
}

export function toStageModel(s: CoreStagePolicy): StagePolicyModel {
  return {
    number: s.number,
    name: s.name,
    roleType: s.roleType as StagePolicyModel['roleType'],
    standardWorkingDays: s.standardWorkingDays,
    urgentWorkingDays: s.urgentWorkingDays,
    breachAction: s.breachAction as StagePolicyModel['breachAction'],
  };
}

/**
 * When a publication takes effect: now when not given; a moment up to EFFECTIVE_FROM_TOLERANCE_MS ago counts as
 * now, anything earlier is refused.
 */
export function effectiveFromOrNow(requested: Date | null | undefined, now: Date): Date {
  const effectiveFrom = requested ?? now;
  if (effectiveFrom.getTime() < now.getTime() - EFFECTIVE_FROM_TOLERANCE_MS) {
    fail('VALIDATION', 'effectiveFrom may not be in the past', ['input', 'effectiveFrom']);
  }
  return effectiveFrom.getTime() < now.getTime() ? now : effectiveFrom;
}

/** An internal ladder is not an EscalationPolicy version: it is read and published as an InternalLadder. */
function withoutInternalLadder(row: PolicyRow | undefined): PolicyRow | undefined {
  return row?.type === INTERNAL_LADDER_TYPE ? undefined : row;
}

function badInput(message: string): never {
  throw new ApiError('BAD_USER_INPUT', message);
}

/**
 * Versioned escalation policies (docs/procedure.md §3): the partnership default per escalation type and agency
 * policies that may only shorten it. Drafts are validated by libs/core; published versions are immutable.
 */
@Injectable()
export class PoliciesService {
  constructor(
    private readonly db: TenantDb,
    private readonly audit: AuditService,
    private readonly calendars: CalendarService,
    private readonly openCases: OpenCaseRetiming,
    private readonly memberships: AgencyMembershipRepository,
    private readonly policies: PoliciesRepository,
  ) {}

  /** A relevant agency of the viewer's partnership, or null (missing and other partnerships' alike). */
  private async relevantAgency(uow: UnitOfWork, globalId: string): Promise<string | null> {
    const agencyId = idOf(globalId, 'Agency');
    if (!agencyId) return null;
    return (await this.memberships.isMember(uow, agencyId)) ? agencyId : null;
  }

  private mayEdit(ctx: RequestContext, agencyId: string | null): boolean {
    return mayManageAgency(ctx, agencyId);
  }

  async policyInForce(
    ctx: RequestContext,
    agencyGlobalId: string | null | undefined,
    type: EscalationType,
  ): Promise<EscalationPolicy | null> {
    return this.db.transaction(ctx, async (uow) => {
      let agencyId: string | null = null;
      if (agencyGlobalId) {
        agencyId = await this.relevantAgency(uow, agencyGlobalId);
        if (!agencyId) return null;
      }
      const row = await this.policies.inForce(uow, agencyId, type);
      return row ? toPolicy(row) : null;
    });
  }

  /**
   * Every version of one policy (the partnership default, or an agency's own versions), newest first. The open
   * draft is listed only to those who may edit it.
   */
  async versions(
    ctx: RequestContext,
    agencyGlobalId: string | null | undefined,
    type: EscalationType,
  ): Promise<EscalationPolicy[]> {
    return this.db.transaction(ctx, async (uow) => {
      let agencyId: string | null = null;
      if (agencyGlobalId) {
        agencyId = await this.relevantAgency(uow, agencyGlobalId);
        if (!agencyId) return [];
      }
      const rows = await this.policies.versions(uow, type, agencyId, this.mayEdit(ctx, agencyId));
      return rows.map(toPolicy);
    });
  }

  /**
   * One policy version by global id, for `node`: what `escalationPolicyVersions` would list to the viewer (a
   * version of its partnership, for the default or a relevant agency; a draft only to those who may edit it).
   * Anything else, another partnership's included, is null.
   */
  async byGlobalId(ctx: RequestContext, globalId: string): Promise<EscalationPolicy | null> {
    const id = idOf(globalId, 'EscalationPolicy');
    if (!id) return null;
    return this.db.transaction(ctx, async (uow) => {
      const row = withoutInternalLadder(await this.policies.byId(uow, id));
      // An agency's policy is visible while the agency is a relevant agency of the partnership.
      if (!row || (row.agency_id && !(await this.memberships.isMember(uow, row.agency_id)))) return null;
      if (!row.published_at && !this.mayEdit(ctx, row.agency_id)) return null;
      return toPolicy(row);
    });
  }

  async saveDraft(ctx: RequestContext, input: SavePolicyDraftInput): Promise<{ policy: EscalationPolicy }> {
    const type: EscalationType = input.type ?? 'GENERAL';
    return this.db.transaction(ctx, async (uow) => {
      let agencyId: string | null = null;
      if (input.agencyId !== null && input.agencyId !== undefined) {
        agencyId = await assertCanManageAgency(uow.em, ctx, idOf(input.agencyId, 'Agency'), [
          'input',
          'agencyId',
        ]);
      } else if (!hasRole(ctx, 'PARTNERSHIP_ADMIN')) {
        fail('FORBIDDEN', "Only a partnership admin may change the partnership's default policy", [
          'input',
          'agencyId',
        ]);
      }
      await this.policies.lockScope(uow, agencyId, type);

      const partnershipDefault = await this.policies.inForce(uow, null, type);
      if (agencyId && !partnershipDefault) {
        fail(
          'INVALID_STATE',
          `The partnership has no published ${type} policy for an agency policy to follow`,
          ['input', 'type'],
        );
      }
      const drafted = input.stages as CoreStagePolicyInput[];
      const violations = validatePolicyDraft(drafted, agencyId ? partnershipDefault!.stages : null);
      if (violations.length > 0) throw new UserErrorsException(violations.map((v): UserError => ({ ...v })));
      const stages = drafted
        .map((s) => toStagePolicy(s, partnershipDefault?.stages ?? null))
        .sort((a, b) => a.number - b.number);

      const draft = await this.policies.openDraft(uow, type, agencyId);
      const row = draft
        ? await this.policies.updateDraft(uow, draft.id, stages)
        : await this.policies.insertDraft(uow, type, agencyId, stages);
      await this.audit.record(uow.em, ctx, {
        action: 'POLICY_DRAFT_SAVED',
        entityType: 'EscalationPolicy',
        entityId: row.id,
        detail: { agencyId, type, version: row.version, stages: stages.length },
      });
      return { policy: toPolicy(row) };
    });
  }

  /**
   * Publishes a draft as an immutable version. An agency draft is checked again against the partnership
   * default in force now (it may have changed since the draft was saved). With `applyToOpenCases`, the open
   * cases the version governs are re-timed in the same transaction (OpenCaseRetiming).
   */
  async publish(ctx: RequestContext, input: PublishPolicyInput): Promise<{ policy: EscalationPolicy }> {
    const field = ['input', 'policyId'];
    return this.db.transaction(ctx, async (uow) => {
      const em = uow.em;
      const policyId = idOf(input.policyId, 'EscalationPolicy');
      const draft = withoutInternalLadder(policyId ? await this.policies.byId(uow, policyId) : undefined);
      if (!draft) fail('NOT_FOUND', 'Escalation policy was not found', field);
      if (draft.agency_id) {
        await assertCanManageAgency(em, ctx, draft.agency_id, field);
      } else if (!hasRole(ctx, 'PARTNERSHIP_ADMIN')) {
        fail('FORBIDDEN', "Only a partnership admin may publish the partnership's default policy", field);
      }
      await this.policies.lockScope(uow, draft.agency_id, draft.type);
      if (draft.published_at) {
        fail(
          'INVALID_STATE',
          `Version ${draft.version} is already published and cannot change: save a new draft instead`,
          field,
        );
      }

      const effectiveFrom = effectiveFromOrNow(input.effectiveFrom, (await this.calendars.today(em)).now);

      if (draft.agency_id) {
        const partnershipDefault = await this.policies.inForce(uow, null, draft.type);
        const violations = partnershipDefault
          ? validatePolicyDraft(draft.stages, partnershipDefault.stages)
          : [];
        if (!partnershipDefault || violations.length > 0) {
          throw new UserErrorsException(
            (violations.length > 0
              ? violations
              : [{ code: 'INVALID_STATE', message: 'The partnership has no published policy of this type' }]
            ).map((v) => ({
              code: v.code,
              field,
              message: `The draft no longer fits the partnership policy in force: ${v.message}`,
            })),
          );
        }
      }

      const applyToOpenCases = input.applyToOpenCases ?? false;
      const published = await this.policies.publish(uow, draft.id, effectiveFrom, applyToOpenCases);
      const openCasesRetimed = applyToOpenCases ? await this.openCases.retime(uow, published) : 0;
      await this.audit.record(em, ctx, {
        action: 'POLICY_PUBLISHED',
        entityType: 'EscalationPolicy',
        entityId: published.id,
        detail: {
          agencyId: published.agency_id,
          type: published.type,
          version: published.version,
          effectiveFrom: effectiveFrom.toISOString(),
          applyToOpenCases,
          openCasesRetimed,
        },
      });
      return { policy: toPolicy(published) };
    });
  }

  /**
   * One deadline per stage of the policy in force at raisedAt (the raising agency's, else the partnership
   * default) against the partnership's current calendar; see previewStageDeadlines for the assumption that
   * every stage opens at raisedAt.
   */
  async previewDeadlines(ctx: RequestContext, input: PreviewDeadlinesInput): Promise<DeadlineExplanation[]> {
    const type: EscalationType = input.type ?? 'GENERAL';
    return this.db.transaction(ctx, async (uow) => {
      let agencyId: string | null = null;
      if (input.raisingAgencyId) {
        agencyId = await this.relevantAgency(uow, input.raisingAgencyId);
        if (!agencyId) badInput('raisingAgencyId: Agency was not found');
      }
      if (input.respondingAgencyId && !(await this.relevantAgency(uow, input.respondingAgencyId))) {
        badInput('respondingAgencyId: Agency was not found');
      }
      const raisedAt = input.raisedAt ?? (await this.calendars.today(uow.em)).now;
      const policy = await this.policies.inForce(uow, agencyId, type, raisedAt);
      if (!policy) badInput(`No ${type} policy was in force at raisedAt`);
      const { calendar } = await this.calendars.currentOf(uow);
      return previewStageDeadlines(policy.stages, input.urgency, calendar, raisedAt);
    });
  }
}
