import { Injectable } from '@nestjs/common';
import { AuditService } from '@hips/audit';
import { CalendarService } from '@hips/calendar';
import { ApiError, fail, idOf, RequestContext, toGlobalId, UserErrorsException } from '@hips/common';
import {
  defaultInternalLadder,
  INTERNAL_LADDER_TYPE,
  toStagePolicy,
  validateInternalLadder,
  type DeadlineExplanation,
  type StagePolicy,
  type StagePolicyInput as CoreStagePolicyInput,
} from '@hips/core';
import { TenantDb, UnitOfWork } from '@hips/database';
import {
  AgencyMembershipRepository,
  assertCanManageAgency,
  DirectoryRepository,
  mayManageAgency,
} from '@hips/directory';
import type { InternalLadder } from './dto/internal-ladder.model';
import type {
  PreviewInternalLadderInput,
  PublishInternalLadderInput,
  SaveInternalLadderDraftInput,
} from './dto/internal-ladder.input';
import { effectiveFromOrNow, toPolicy } from './policies.service';
import { previewStageDeadlines } from './preview';
import { PoliciesRepository, PolicyRow } from './persistence/policies.repository';

function toLadder(row: PolicyRow): InternalLadder {
  const { uuid, version, published, publishedAt, effectiveFrom, stages } = toPolicy(row);
  return {
    id: toGlobalId('InternalLadder', row.id),
    uuid,
    agencyUuid: row.agency_id!,
    version,
    published,
    publishedAt,
    effectiveFrom,
    stages,
  };
}

/**
 * An agency's internal ladder (docs/decisions/0010-internal-ladders.md): versions of type INTERNAL in
 * escalation_policies, managed by whoever may manage the agency (mayManageAgency), validated by libs/core
 * (validateInternalLadder). A draft may be started from the default for the agency's type.
 */
@Injectable()
export class InternalLaddersService {
  constructor(
    private readonly db: TenantDb,
    private readonly audit: AuditService,
    private readonly calendars: CalendarService,
    private readonly memberships: AgencyMembershipRepository,
    private readonly directory: DirectoryRepository,
    private readonly policies: PoliciesRepository,
  ) {}

  /** Versions of an agency's ladder, newest first; the open draft only to those who may manage the agency. */
  async versions(ctx: RequestContext, agencyGlobalId: string): Promise<InternalLadder[]> {
    return this.db.transaction(ctx, async (uow) => {
      const agencyId = idOf(agencyGlobalId, 'Agency');
      if (!agencyId || !(await this.memberships.isMember(uow, agencyId))) return [];
      const rows = await this.policies.versions(
        uow,
        INTERNAL_LADDER_TYPE,
        agencyId,
        mayManageAgency(ctx, agencyId),
      );
      return rows.map(toLadder);
    });
  }

  async saveDraft(
    ctx: RequestContext,
    input: SaveInternalLadderDraftInput,
  ): Promise<{ ladder: InternalLadder }> {
    return this.db.transaction(ctx, async (uow) => {
      const agencyId = await assertCanManageAgency(uow.em, ctx, idOf(input.agencyId, 'Agency'), [
        'input',
        'agencyId',
      ]);
      await this.policies.lockScope(uow, agencyId, INTERNAL_LADDER_TYPE);
      let stages: StagePolicy[];
      if (input.stages) {
        const drafted = input.stages as CoreStagePolicyInput[];
        const violations = validateInternalLadder(drafted);
        if (violations.length > 0) throw new UserErrorsException(violations.map((v) => ({ ...v })));
        stages = drafted.map((s) => toStagePolicy(s)).sort((a, b) => a.number - b.number);
      } else {
        const [agency] = await this.directory.agenciesByIds(uow, [agencyId]);
        stages = defaultInternalLadder(agency.type);
      }
      const draft = await this.policies.openDraft(uow, INTERNAL_LADDER_TYPE, agencyId);
      const row = draft
        ? await this.policies.updateDraft(uow, draft.id, stages)
        : await this.policies.insertDraft(uow, INTERNAL_LADDER_TYPE, agencyId, stages);
      await this.audit.record(uow.em, ctx, {
        action: 'POLICY_DRAFT_SAVED',
        entityType: 'EscalationPolicy',
        entityId: row.id,
        detail: { agencyId, type: INTERNAL_LADDER_TYPE, version: row.version, stages: stages.length },
      });
      return { ladder: toLadder(row) };
    });
  }

  /** Publishes a draft as an immutable version; no case runs under a ladder yet, so none is re-timed. */
  async publish(ctx: RequestContext, input: PublishInternalLadderInput): Promise<{ ladder: InternalLadder }> {
    const field = ['input', 'ladderId'];
    return this.db.transaction(ctx, async (uow) => {
      const draft = await this.ladderById(uow, input.ladderId);
      if (!draft) fail('NOT_FOUND', 'Internal ladder was not found', field);
      await assertCanManageAgency(uow.em, ctx, draft.agency_id, field);
      await this.policies.lockScope(uow, draft.agency_id, INTERNAL_LADDER_TYPE);
      if (draft.published_at) {
        fail(
          'INVALID_STATE',
          `Version ${draft.version} is already published and cannot change: save a new draft instead`,
          field,
        );
      }
      const effectiveFrom = effectiveFromOrNow(input.effectiveFrom, (await this.calendars.today(uow.em)).now);
      const published = await this.policies.publish(uow, draft.id, effectiveFrom, false);
      await this.audit.record(uow.em, ctx, {
        action: 'POLICY_PUBLISHED',
        entityType: 'EscalationPolicy',
        entityId: published.id,
        detail: {
          agencyId: published.agency_id,
          type: INTERNAL_LADDER_TYPE,
          version: published.version,
          effectiveFrom: effectiveFrom.toISOString(),
        },
      });
      return { ladder: toLadder(published) };
    });
  }

  /** One deadline per stage of a version the viewer can see (as previewDeadlines, each stage from raisedAt). */
  async preview(ctx: RequestContext, input: PreviewInternalLadderInput): Promise<DeadlineExplanation[]> {
    return this.db.transaction(ctx, async (uow) => {
      const ladder = await this.ladderById(uow, input.ladderId);
      const visible =
        ladder &&
        (await this.memberships.isMember(uow, ladder.agency_id!)) &&
        (ladder.published_at !== null || mayManageAgency(ctx, ladder.agency_id));
      if (!ladder || !visible) throw new ApiError('NOT_FOUND', 'Internal ladder was not found');
      const raisedAt = input.raisedAt ?? (await this.calendars.today(uow.em)).now;
      const { calendar } = await this.calendars.currentOf(uow);
      return previewStageDeadlines(ladder.stages, input.urgency, calendar, raisedAt);
    });
  }

  private async ladderById(uow: UnitOfWork, globalId: string): Promise<PolicyRow | undefined> {
    const id = idOf(globalId, 'InternalLadder');
    const row = id ? await this.policies.byId(uow, id) : undefined;
    return row?.type === INTERNAL_LADDER_TYPE ? row : undefined;
  }
}
