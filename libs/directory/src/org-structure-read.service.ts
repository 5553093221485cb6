import { Injectable } from '@nestjs/common';
import { fail, groupBy, hasRole, RequestContext, RoleTypeEnum } from '@hips/common';
import { findStructuralProblems, type RoleType } from '@hips/core';
import { TenantDb } from '@hips/database';
import type { OrgUnit } from './dto/directory.model';
import { Absence, Post, StructuralProblem, StructuralProblemCode } from './dto/org-structure.model';
import { OrgUnitRow, toOrgUnit } from './mappers';
import { AbsencesRepository, toAbsence } from './persistence/absences.repository';
import { AgencyMembershipRepository } from './persistence/agency-membership.repository';
import { DirectoryRepository } from './persistence/directory.repository';
import { PostsRepository, toPost } from './persistence/posts.repository';

/** Reads of the organisational structure, batched by the field resolvers' DataLoaders, and its problems. */
@Injectable()
export class OrgStructureReadService {
  constructor(
    private readonly db: TenantDb,
    private readonly posts: PostsRepository,
    private readonly absences: AbsencesRepository,
    private readonly memberships: AgencyMembershipRepository,
    private readonly directory: DirectoryRepository,
  ) {}

  async postsByPerson(ctx: RequestContext, personIds: readonly string[]): Promise<Map<string, Post[]>> {
    const rows = await this.db.transaction(ctx, (uow) => this.posts.byHolders(uow, personIds));
    return groupBy(rows.map(toPost), (p) => p.holderUuid);
  }

  async postsByUnit(ctx: RequestContext, unitIds: readonly string[]): Promise<Map<string, Post[]>> {
    const rows = await this.db.transaction(ctx, (uow) => this.posts.byUnits(uow, unitIds));
    return groupBy(rows.map(toPost), (p) => p.orgUnitUuid);
  }

  async childrenByUnit(ctx: RequestContext, unitIds: readonly string[]): Promise<Map<string, OrgUnit[]>> {
    const rows: OrgUnitRow[] = await this.db.transaction(ctx, (uow) =>
      this.directory.orgUnitsByParents(uow, unitIds),
    );
    return groupBy(rows.map(toOrgUnit), (u) => u.parentUuid ?? '');
  }

  /**
   * Current and future absences (not cancelled) of each person, for the viewer's partnership. Only admins who
   * may manage the person's agency, and the person, see them: the reason may be personal.
   */
  async absencesByPerson(ctx: RequestContext, personIds: readonly string[]): Promise<Map<string, Absence[]>> {
    const rows = await this.db.transaction(ctx, (uow) => this.absences.upcomingOf(uow, personIds));
    const visible = rows.filter(
      (r) =>
        hasRole(ctx, 'PARTNERSHIP_ADMIN') ||
        (hasRole(ctx, 'AGENCY_ADMIN') && ctx.agencyId === r.agency_id) ||
        ctx.personId === r.person_id,
    );
    return groupBy(visible.map(toAbsence), (a) => a.personUuid);
  }

  /** Structural problems of the viewer's partnership (PARTNERSHIP_ADMIN; checked by the resolver's @Roles). */
  async structuralProblems(ctx: RequestContext): Promise<StructuralProblem[]> {
    if (!hasRole(ctx, 'PARTNERSHIP_ADMIN')) fail('FORBIDDEN', 'Only a partnership admin may do this');
    return this.db.transaction(ctx, async (uow) => {
      const agencies = await this.memberships.listByName(uow);
      const units = await this.directory.orgUnitsByAgencies(
        uow,
        agencies.map((a) => a.id),
      );
      const posts = await this.posts.withoutDeputies(uow);
      const ids = [...new Set(posts.flatMap((p) => [p.person_id, p.manager_person_id ?? p.person_id]))];
      const people = await this.directory.routablePeople(uow, ids);
      return findStructuralProblems({
        agencies,
        units: units.map((u) => ({ id: u.id, agencyId: u.agency_id, parentId: u.parent_id, name: u.name })),
        posts: posts.map((p) => ({
          personId: p.person_id,
          orgUnitId: p.org_unit_id,
          roleType: p.role_type as RoleType,
          managerPersonId: p.manager_person_id,
          deputyPersonIds: [],
        })),
        people: people.map((p) => ({ id: p.id, agencyId: p.agency_id, displayName: p.display_name })),
      }).map((p) => ({
        code: p.code as StructuralProblemCode,
        message: p.message,
        agencyUuid: p.agencyId,
        orgUnitUuid: p.orgUnitId,
        personUuid: p.personId,
        roleType: p.roleType as RoleTypeEnum | null,
      }));
    });
  }
}
