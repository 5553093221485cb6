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
import { TenantDb } from '@hips/database';
import { assertCanManageAgency } from './agency-scope';
import type { OrgUnitRow } from './mappers';
import { PostRow, selectPosts } from './persistence/posts.repository';
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
  constructor(private readonly db: TenantDb) {}

  /**
   * The owner of a stage on one side. Pass `em` to run inside the caller's transaction (it must be a
   * TenantDb.run transaction of ctx's partnership); without it, a transaction of its own.
   */
  resolveOwner(
    ctx: RequestContext,
    em: EntityManager | null | undefined,
    request: ResolveOwnerRequest,
  ): Promise<ResolvedOwner> {
    if (!em) return this.db.run(ctx, (tx) => this.resolveOwner(ctx, tx, request));
    return this.resolveIn(em, ctx, request);
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
    return this.db.run(ctx, async (em) => {
      const unitId = idOf(input.orgUnitId, 'OrgUnit');
      const [unit]: OrgUnitRow[] = unitId
        ? await em.query('select * from org_units where id = $1', [unitId])
        : [];
      if (!unit) notFound('Organisational unit', ['input', 'orgUnitId']);
      await assertCanManageAgency(em, ctx, unit.agency_id, ['input', 'orgUnitId']);
      const owner = await this.resolveIn(em, ctx, { orgUnitId: unit.id, roleType, at });
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

  private async resolveIn(em: EntityManager, ctx: RequestContext, request: ResolveOwnerRequest) {
    const on = londonDate(request.at);
    const structure = await this.loadStructure(em, ctx, request.orgUnitId, on);
    const result = routeStageOwner(structure, {
      orgUnitId: request.orgUnitId,
      roleType: request.roleType,
      on,
    });
    return { ...result, on };
  }

  /** The unit's agency (units, posts with deputies), the manager chains above them and absences on the day. */
  async loadStructure(
    em: EntityManager,
    ctx: RequestContext,
    orgUnitId: string,
    on: string,
  ): Promise<OrgStructure> {
    const units: OrgUnitRow[] = await em.query(
      `select u.id, u.agency_id, u.parent_id, u.name from org_units u
       where u.agency_id = (select agency_id from org_units where id = $1)`,
      [orgUnitId],
    );
    if (units.length === 0) return { units: [], people: [], posts: [], absences: [] };
    const unitIds = units.map((u) => u.id);
    // People in the agency's posts and everyone up their manager chains (UNION stops on cycles).
    const posts: PostRow[] = await em.query(
      `with recursive chain(person_id) as (
         select person_id from role_assignments where partnership_id = $1 and org_unit_id = any($2)
         union
         select ra.manager_person_id from role_assignments ra join chain c on ra.person_id = c.person_id
         where ra.partnership_id = $1 and ra.manager_person_id is not null
       )
       ${selectPosts('ra.org_unit_id = any($2) or ra.person_id in (select person_id from chain)')}`,
      [ctx.partnershipId, unitIds],
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
    const people: { id: string; agency_id: string; display_name: string; disabled_at: Date | null }[] =
      await em.query('select id, agency_id, display_name, disabled_at from people where id = any($1)', [
        personIds,
      ]);
    const absences: { person_id: string; starts_on: string; ends_on: string; reason: string }[] =
      await em.query(
        `select person_id, starts_on::text as starts_on, ends_on::text as ends_on, reason from absences
       where partnership_id = $1 and person_id = any($2) and cancelled_at is null
         and starts_on <= $3::date and ends_on >= $3::date`,
        [ctx.partnershipId, personIds, on],
      );
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
