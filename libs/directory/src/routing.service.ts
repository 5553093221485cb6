import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { fail, idOf, notFound, RequestContext } from '@hips/common';
import {
  isStageRole,
  londonDate,
  routeStageOwner,
  type OrgStructure,
  type RoleType,
  type RouteFailure,
  type RouteStep,
} from '@hips/core';
import { TenantDb, UnitOfWork } from '@hips/database';
import { assertCanManageAgency } from './agency-scope';
import { AbsencesRepository } from './persistence/absences.repository';
import { DirectoryRepository } from './persistence/directory.repository';
import { PostsRepository } from './persistence/posts.repository';
import {
  StageOwnerRoute,
  StageOwnerRouteFailure,
  StageOwnerRouteStepKind,
  StageOwnerRouteStepOutcome,
} from './dto/org-structure.model';
import type { RouteStageOwnerInput } from './dto/org-structure.input';

export interface ResolveOwnerRequest {
  /** Internal uuid of the relevant unit (the raising or responding person's unit). */
  orgUnitId: string;
  /** The agency policy's role type for the stage. */
  roleType: RoleType;
  /** When the owner must be available; absences are compared with its London calendar date. */
  at: Date;
}

export interface ResolvedOwner {
  /** Internal uuid of the chosen person, or null when nobody was found (see failure and explanation). */
  personId: string | null;
  explanation: string;
  failure: RouteFailure | null;
  /** The unit whose post was used (the relevant unit or an ancestor). */
  holderUnitId: string | null;
  /** The London date the route was worked out for. */
  on: string;
  steps: readonly RouteStep[];
}

/**
 * Loads the part of the structure that routing needs (the unit's agency, its posts and deputies, the manager
 * chain, absences on the day) and lets libs/core decide. No permission check: callers (the case service, the admin
 * query below) decide who may ask.
 */
@Injectable()
export class RoutingService {
  constructor(
    private readonly db: TenantDb,
    private readonly directory: DirectoryRepository,
    private readonly posts: PostsRepository,
    private readonly absences: AbsencesRepository,
  ) {}

  /**
   * The owner of a stage on one side. Pass `em` to run inside the caller's transaction (it must be a
   * TenantDb.run transaction of ctx's partnership); without it, a transaction of its own. Kept for the case
   * code; new callers use ownerIn(uow, request).
   */
  resolveOwner(
    ctx: RequestContext,
    em: EntityManager | null | undefined,
    request: ResolveOwnerRequest,
  ): Promise<ResolvedOwner> {
    if (!em) return this.db.transaction(ctx, (uow) => this.ownerIn(uow, request));
    return this.ownerIn(new UnitOfWork(ctx, em), request);
  }

  /** The owner of a stage on one side, in the caller's unit of work. */
  async ownerIn(uow: UnitOfWork, request: ResolveOwnerRequest): Promise<ResolvedOwner> {
    const on = londonDate(request.at);
    const structure = await this.structureIn(uow, request.orgUnitId, on);
    const result = routeStageOwner(structure, {
      orgUnitId: request.orgUnitId,
      roleType: request.roleType,
      on,
    });
    return { ...result, on };
  }

  /** The admin query: PARTNERSHIP_ADMIN, or AGENCY_ADMIN of the unit's agency. */
  async routeStageOwner(
    ctx: RequestContext,
    input: RouteStageOwnerInput,
  ): Promise<{ route: StageOwnerRoute }> {
    const roleType = input.roleType as RoleType;
    if (!isStageRole(roleType)) {
      fail('VALIDATION', `${roleType} does not own stages`, ['input', 'roleType']);
    }
    const at = input.at ?? new Date();
    return this.db.transaction(ctx, async (uow) => {
      const unitId = idOf(input.orgUnitId, 'OrgUnit');
      const [unit] = unitId ? await this.directory.orgUnitsByIds(uow, [unitId]) : [];
      if (!unit) notFound('Organisational unit', ['input', 'orgUnitId']);
      await assertCanManageAgency(uow.em, ctx, unit.agency_id, ['input', 'orgUnitId']);
      const owner = await this.ownerIn(uow, { orgUnitId: unit.id, roleType, at });
      return {
        route: {
          ownerUuid: owner.personId,
          holderUnitUuid: owner.holderUnitId,
          roleType: input.roleType,
          on: owner.on,
          failure: owner.failure as StageOwnerRouteFailure | null,
          explanation: owner.explanation,
          steps: owner.steps.map((s) => ({
            personUuid: s.personId,
            kind: s.kind as StageOwnerRouteStepKind,
            outcome: s.outcome as StageOwnerRouteStepOutcome,
            absentUntil: s.absence?.to ?? null,
            absenceReason: s.absence?.reason ?? null,
          })),
        },
      };
    });
  }

  /** The unit's agency (units, posts with deputies), the manager chains above them and absences on the day. */
  async structureIn(uow: UnitOfWork, orgUnitId: string, on: string): Promise<OrgStructure> {
    const units = await this.directory.orgUnitsOfAgencyOf(uow, orgUnitId);
    if (units.length === 0) return { units: [], people: [], posts: [], absences: [] };
    // People in the agency's posts and everyone up their manager chains.
    const posts = await this.posts.inUnitsWithChainsAbove(
      uow,
      units.map((u) => u.id),
    );
    const personIds = [
      ...new Set(
        posts.flatMap((p) => [
          p.person_id,
          ...(p.manager_person_id ? [p.manager_person_id] : []),
          ...p.deputy_ids,
        ]),
      ),
    ];
    const people = await this.directory.routablePeople(uow, personIds);
    const absences = await this.absences.coveringDay(uow, personIds, on);
    return {
      units: units.map((u) => ({ id: u.id, agencyId: u.agency_id, parentId: u.parent_id, name: u.name })),
      people: people.map((p) => ({
        id: p.id,
        agencyId: p.agency_id,
        displayName: p.display_name,
        disabled: p.disabled_at !== null,
      })),
      // Only the agency's own units are posts' "units"; chain posts elsewhere matter only for their managers.
      posts: posts.map((p) => ({
        personId: p.person_id,
        orgUnitId: p.org_unit_id,
        roleType: p.role_type as RoleType,
        managerPersonId: p.manager_person_id,
        deputyPersonIds: p.deputy_ids,
      })),
      absences: absences.map((a) => ({
        personId: a.person_id,
        from: a.starts_on,
        to: a.ends_on,
        reason: a.reason,
      })),
    };
  }
}
