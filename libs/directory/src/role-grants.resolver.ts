import { Args, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Ctx, RequestContext, Roles, withUserErrors } from '@hips/common';
import { AccessChange, AccessChangeConnection } from './dto/access-changes.model';
import { AccessChangesService } from './access-changes.service';
import { DirectoryLoaders } from './directory.resolver';
import { DirectoryService } from './directory.service';
import { OrgUnit, Person } from './dto/directory.model';
import { ApproveRoleGrantInput, DeclineRoleGrantInput, RequestRoleGrantInput } from './dto/role-grants.input';
import { RoleGrant, RoleGrantPayload, RoleGrantStatus } from './dto/role-grants.model';
import { RoleGrantsService } from './role-grants.service';

/** Four-eyes role grants and the partnership's access changes (docs/security/separation-of-duties.md). */
@Resolver()
export class RoleGrantsResolver {
  constructor(
    private readonly grants: RoleGrantsService,
    private readonly changes: AccessChangesService,
  ) {}

  @Mutation(() => RoleGrantPayload, {
    description:
      'Asks for PARTNERSHIP_MANAGER, SCRUTINEER or PARTNERSHIP_ADMIN to be granted; takes effect only when a second partnership admin approves. PARTNERSHIP_ADMIN; never for oneself.',
  })
  requestRoleGrant(@Ctx() ctx: RequestContext, @Args('input') input: RequestRoleGrantInput) {
    return withUserErrors(() => this.grants.request(ctx, input));
  }

  @Mutation(() => RoleGrantPayload, {
    description:
      'Approves a pending grant: a partnership admin who is neither the requester nor the grantee.',
  })
  approveRoleGrant(@Ctx() ctx: RequestContext, @Args('input') input: ApproveRoleGrantInput) {
    return withUserErrors(() => this.grants.approve(ctx, input));
  }

  @Mutation(() => RoleGrantPayload, {
    description: 'Declines (or withdraws) a pending grant. PARTNERSHIP_ADMIN.',
  })
  declineRoleGrant(@Ctx() ctx: RequestContext, @Args('input') input: DeclineRoleGrantInput) {
    return withUserErrors(() => this.grants.decline(ctx, input));
  }

  @Roles('PARTNERSHIP_ADMIN')
  @Query(() => [RoleGrant], {
    description:
      "The partnership's role grants in one status (default PENDING), newest first. PARTNERSHIP_ADMIN.",
  })
  roleGrants(
    @Ctx() ctx: RequestContext,
    @Args('status', { type: () => RoleGrantStatus, nullable: true }) status?: RoleGrantStatus | null,
  ): Promise<RoleGrant[]> {
    return this.grants.list(ctx, status ?? RoleGrantStatus.PENDING);
  }

  @Roles('PARTNERSHIP_MANAGER', 'PARTNERSHIP_ADMIN')
  @Query(() => AccessChangeConnection, {
    description:
      'Who changed whose posts, manager, deputies or role grants, and when, in this partnership, newest first. PARTNERSHIP_MANAGER or PARTNERSHIP_ADMIN.',
  })
  accessChanges(
    @Ctx() ctx: RequestContext,
    @Args('first', { type: () => Int, nullable: true }) first?: number,
    @Args('after', { type: () => String, nullable: true }) after?: string,
  ): Promise<AccessChangeConnection> {
    return this.changes.list(ctx, first, after);
  }
}

const personOr = (directory: DirectoryService, ctx: RequestContext, id: string | null) =>
  id ? DirectoryLoaders.person(directory, ctx).load(id) : Promise.resolve(null);
const unitOr = (directory: DirectoryService, ctx: RequestContext, id: string | null) =>
  id ? DirectoryLoaders.orgUnit(directory, ctx).load(id) : Promise.resolve(null);

@Resolver(() => RoleGrant)
export class RoleGrantFieldsResolver {
  constructor(private readonly directory: DirectoryService) {}

  @ResolveField(() => Person, { nullable: true, description: 'The grantee.' })
  person(@Ctx() ctx: RequestContext, @Parent() g: RoleGrant): Promise<Person | null> {
    return personOr(this.directory, ctx, g.personUuid);
  }

  @ResolveField(() => OrgUnit, { nullable: true })
  orgUnit(@Ctx() ctx: RequestContext, @Parent() g: RoleGrant): Promise<OrgUnit | null> {
    return unitOr(this.directory, ctx, g.orgUnitUuid);
  }

  @ResolveField(() => Person, { nullable: true })
  manager(@Ctx() ctx: RequestContext, @Parent() g: RoleGrant): Promise<Person | null> {
    return personOr(this.directory, ctx, g.managerUuid);
  }

  @ResolveField(() => Person, { nullable: true })
  requestedBy(@Ctx() ctx: RequestContext, @Parent() g: RoleGrant): Promise<Person | null> {
    return personOr(this.directory, ctx, g.requestedByUuid);
  }

  @ResolveField(() => Person, { nullable: true, description: 'Who approved or declined it.' })
  decidedBy(@Ctx() ctx: RequestContext, @Parent() g: RoleGrant): Promise<Person | null> {
    return personOr(this.directory, ctx, g.decidedByUuid);
  }
}

@Resolver(() => AccessChange)
export class AccessChangeFieldsResolver {
  constructor(private readonly directory: DirectoryService) {}

  @ResolveField(() => Person, { nullable: true, description: 'Who made the change (null for systems).' })
  actor(@Ctx() ctx: RequestContext, @Parent() c: AccessChange): Promise<Person | null> {
    return personOr(this.directory, ctx, c.actorUuid);
  }

  @ResolveField(() => Person, { nullable: true, description: 'Whose access changed.' })
  person(@Ctx() ctx: RequestContext, @Parent() c: AccessChange): Promise<Person | null> {
    return personOr(this.directory, ctx, c.personUuid);
  }

  @ResolveField(() => OrgUnit, { nullable: true })
  orgUnit(@Ctx() ctx: RequestContext, @Parent() c: AccessChange): Promise<OrgUnit | null> {
    return unitOr(this.directory, ctx, c.orgUnitUuid);
  }

  @ResolveField(() => Person, { nullable: true })
  manager(@Ctx() ctx: RequestContext, @Parent() c: AccessChange): Promise<Person | null> {
    return personOr(this.directory, ctx, c.managerUuid);
  }

  @ResolveField(() => Person, { nullable: true, description: 'For MANAGER_CHANGED: the manager before.' })
  previousManager(@Ctx() ctx: RequestContext, @Parent() c: AccessChange): Promise<Person | null> {
    return personOr(this.directory, ctx, c.previousManagerUuid);
  }

  @ResolveField(() => Person, { nullable: true })
  deputy(@Ctx() ctx: RequestContext, @Parent() c: AccessChange): Promise<Person | null> {
    return personOr(this.directory, ctx, c.deputyUuid);
  }

  @ResolveField(() => Person, { nullable: true, description: 'For a four-eyes grant: who asked for it.' })
  requestedBy(@Ctx() ctx: RequestContext, @Parent() c: AccessChange): Promise<Person | null> {
    return personOr(this.directory, ctx, c.requestedByUuid);
  }
}
