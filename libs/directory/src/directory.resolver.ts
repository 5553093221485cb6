import { Args, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Ctx, indexBy, RequestContext, requestLoader, RoleTypeEnum, withUserErrors } from '@hips/common';
import { DirectoryAdminService } from './directory-admin.service';
import { DirectoryService } from './directory.service';
import { Agency, AgencyConnection, OrgUnit, Partnership, Person, Viewer } from './dto/directory.model';
import { AgencyPayload, OrgUnitPayload, PersonPayload } from './dto/directory-payloads.model';
import {
  AssignRoleInput,
  CreateAgencyInput,
  CreateOrgUnitInput,
  InvitePersonInput,
  RevokeRoleInput,
} from './dto/directory.input';

/** Per-request batched look-ups shared by the field resolvers below (no N+1). */
export class DirectoryLoaders {
  static agency(directory: DirectoryService, ctx: RequestContext) {
    return requestLoader(ctx, 'agency', async (ids) =>
      indexBy(await directory.agenciesByIds(ctx, ids), (a) => a.uuid),
    );
  }
  static person(directory: DirectoryService, ctx: RequestContext) {
    return requestLoader(ctx, 'person', async (ids) =>
      indexBy(await directory.peopleByIds(ctx, ids), (p) => p.uuid),
    );
  }
  static orgUnit(directory: DirectoryService, ctx: RequestContext) {
    return requestLoader(ctx, 'orgUnit', async (ids) =>
      indexBy(await directory.orgUnitsByIds(ctx, ids), (u) => u.uuid),
    );
  }
}

@Resolver()
export class DirectoryResolver {
  constructor(
    private readonly directory: DirectoryService,
    private readonly admin: DirectoryAdminService,
  ) {}

  @Query(() => Viewer)
  viewer(@Ctx() ctx: RequestContext): Promise<Viewer> {
    return this.directory.viewer(ctx);
  }

  @Query(() => [Partnership])
  partnerships(@Ctx() ctx: RequestContext): Promise<Partnership[]> {
    return this.directory.partnerships(ctx);
  }

  @Query(() => AgencyConnection)
  agencies(
    @Ctx() ctx: RequestContext,
    @Args('first', { type: () => Int, nullable: true }) first?: number,
    @Args('after', { type: () => String, nullable: true }) after?: string,
  ): Promise<AgencyConnection> {
    return this.directory.agencies(ctx, first, after);
  }

  @Mutation(() => AgencyPayload)
  createAgency(@Ctx() ctx: RequestContext, @Args('input') input: CreateAgencyInput) {
    return withUserErrors(() => this.admin.createAgency(ctx, input));
  }

  @Mutation(() => OrgUnitPayload)
  createOrgUnit(@Ctx() ctx: RequestContext, @Args('input') input: CreateOrgUnitInput) {
    return withUserErrors(() => this.admin.createOrgUnit(ctx, input));
  }

  @Mutation(() => PersonPayload)
  invitePerson(@Ctx() ctx: RequestContext, @Args('input') input: InvitePersonInput) {
    return withUserErrors(() => this.admin.invitePerson(ctx, input));
  }

  @Mutation(() => PersonPayload, {
    description:
      'Gives a post. PARTNERSHIP_MANAGER, SCRUTINEER and PARTNERSHIP_ADMIN need a second admin (requestRoleGrant); nobody gives a post to themselves or makes themselves a manager.',
  })
  assignRole(@Ctx() ctx: RequestContext, @Args('input') input: AssignRoleInput) {
    return withUserErrors(() => this.admin.assignRole(ctx, input));
  }

  @Mutation(() => PersonPayload, {
    description: 'Takes a post away (with its deputies); audited as ROLE_REVOKED.',
  })
  revokeRole(@Ctx() ctx: RequestContext, @Args('input') input: RevokeRoleInput) {
    return withUserErrors(() => this.admin.revokeRole(ctx, input));
  }
}

@Resolver(() => Agency)
export class AgencyFieldsResolver {
  constructor(private readonly directory: DirectoryService) {}

  @ResolveField(() => [Partnership])
  async partnerships(@Ctx() ctx: RequestContext, @Parent() agency: Agency): Promise<Partnership[]> {
    const codes = await requestLoader(ctx, 'agencyPartnerships', (ids) =>
      this.directory.partnershipCodesByAgency(ctx, ids),
    ).load(agency.uuid);
    const byCode = requestLoader(ctx, 'partnershipByCode', async () =>
      indexBy(await this.directory.partnerships(ctx), (p) => p.code),
    );
    const partnerships = await Promise.all((codes ?? []).map((code) => byCode.load(code)));
    return partnerships.filter((p): p is Partnership => p !== null);
  }

  @ResolveField(() => [OrgUnit])
  async orgUnits(@Ctx() ctx: RequestContext, @Parent() agency: Agency): Promise<OrgUnit[]> {
    const units = await requestLoader(ctx, 'orgUnitsByAgency', async (ids) => {
      const all = await this.directory.orgUnitsByAgency(ctx, ids);
      const byAgency = new Map<string, OrgUnit[]>();
      for (const unit of all) byAgency.set(unit.agencyUuid, [...(byAgency.get(unit.agencyUuid) ?? []), unit]);
      return byAgency;
    }).load(agency.uuid);
    return units ?? [];
  }
}

@Resolver(() => OrgUnit)
export class OrgUnitFieldsResolver {
  constructor(private readonly directory: DirectoryService) {}

  @ResolveField(() => Agency)
  async agency(@Ctx() ctx: RequestContext, @Parent() unit: OrgUnit): Promise<Agency | null> {
    return DirectoryLoaders.agency(this.directory, ctx).load(unit.agencyUuid);
  }

  @ResolveField(() => OrgUnit, { nullable: true })
  async parent(@Ctx() ctx: RequestContext, @Parent() unit: OrgUnit): Promise<OrgUnit | null> {
    return unit.parentUuid ? DirectoryLoaders.orgUnit(this.directory, ctx).load(unit.parentUuid) : null;
  }
}

@Resolver(() => Person)
export class PersonFieldsResolver {
  constructor(private readonly directory: DirectoryService) {}

  @ResolveField(() => Agency)
  async agency(@Ctx() ctx: RequestContext, @Parent() person: Person): Promise<Agency | null> {
    return DirectoryLoaders.agency(this.directory, ctx).load(person.agencyUuid);
  }

  @ResolveField(() => [RoleTypeEnum])
  async roles(@Ctx() ctx: RequestContext, @Parent() person: Person): Promise<RoleTypeEnum[]> {
    const roles = await requestLoader(ctx, 'rolesByPerson', (ids) =>
      this.directory.rolesByPerson(ctx, ids),
    ).load(person.uuid);
    return (roles ?? []) as RoleTypeEnum[];
  }
}
