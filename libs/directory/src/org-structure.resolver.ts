import { Args, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Ctx, RequestContext, requestLoader, Roles, withUserErrors } from '@hips/common';
import { DirectoryLoaders } from './directory.resolver';
import { DirectoryService } from './directory.service';
import { Agency, OrgUnit, Person } from './dto/directory.model';
import {
  Absence,
  AbsencePayload,
  Post,
  PostPayload,
  StageOwnerRoute,
  StageOwnerRoutePayload,
  StageOwnerRouteStep,
  StructuralProblem,
} from './dto/org-structure.model';
import {
  AddDeputyInput,
  CancelAbsenceInput,
  RecordAbsenceInput,
  RemoveDeputyInput,
  RouteStageOwnerInput,
} from './dto/org-structure.input';
import { OrgStructureReadService } from './org-structure-read.service';
import { OrgStructureService } from './org-structure.service';
import { RoutingService } from './routing.service';

const present = <T>(items: (T | null)[]): T[] => items.filter((item): item is T => item !== null);

@Resolver()
export class OrgStructureResolver {
  constructor(
    private readonly structure: OrgStructureService,
    private readonly reads: OrgStructureReadService,
    private readonly routing: RoutingService,
  ) {}

  @Mutation(() => PostPayload, { description: 'Names a deputy for a post (holder, unit, role type).' })
  addDeputy(@Ctx() ctx: RequestContext, @Args('input') input: AddDeputyInput) {
    return withUserErrors(() => this.structure.addDeputy(ctx, input));
  }

  @Mutation(() => PostPayload)
  removeDeputy(@Ctx() ctx: RequestContext, @Args('input') input: RemoveDeputyInput) {
    return withUserErrors(() => this.structure.removeDeputy(ctx, input));
  }

  @Mutation(() => AbsencePayload)
  recordAbsence(@Ctx() ctx: RequestContext, @Args('input') input: RecordAbsenceInput) {
    return withUserErrors(() => this.structure.recordAbsence(ctx, input));
  }

  @Mutation(() => AbsencePayload)
  cancelAbsence(@Ctx() ctx: RequestContext, @Args('input') input: CancelAbsenceInput) {
    return withUserErrors(() => this.structure.cancelAbsence(ctx, input));
  }

  @Query(() => StageOwnerRoutePayload, {
    description:
      'Who would own a stage for this unit and role type at an instant (holder → deputy → manager chain), and why. PARTNERSHIP_ADMIN, or AGENCY_ADMIN of the unit’s agency.',
  })
  routeStageOwner(@Ctx() ctx: RequestContext, @Args('input') input: RouteStageOwnerInput) {
    return withUserErrors(() => this.routing.routeStageOwner(ctx, input));
  }

  @Roles('PARTNERSHIP_ADMIN')
  @Query(() => [StructuralProblem], {
    description:
      "What stops escalations from routing in the partnership's structure. PARTNERSHIP_ADMIN only.",
  })
  structuralProblems(@Ctx() ctx: RequestContext): Promise<StructuralProblem[]> {
    return this.reads.structuralProblems(ctx);
  }
}

@Resolver(() => Post)
export class PostFieldsResolver {
  constructor(private readonly directory: DirectoryService) {}

  @ResolveField(() => Person)
  holder(@Ctx() ctx: RequestContext, @Parent() post: Post): Promise<Person | null> {
    return DirectoryLoaders.person(this.directory, ctx).load(post.holderUuid);
  }

  @ResolveField(() => OrgUnit)
  orgUnit(@Ctx() ctx: RequestContext, @Parent() post: Post): Promise<OrgUnit | null> {
    return DirectoryLoaders.orgUnit(this.directory, ctx).load(post.orgUnitUuid);
  }

  @ResolveField(() => Person, { nullable: true })
  async manager(@Ctx() ctx: RequestContext, @Parent() post: Post): Promise<Person | null> {
    return post.managerUuid ? DirectoryLoaders.person(this.directory, ctx).load(post.managerUuid) : null;
  }

  @ResolveField(() => [Person])
  async deputies(@Ctx() ctx: RequestContext, @Parent() post: Post): Promise<Person[]> {
    const loader = DirectoryLoaders.person(this.directory, ctx);
    return present(await Promise.all(post.deputyUuids.map((id) => loader.load(id))));
  }
}

@Resolver(() => Absence)
export class AbsenceFieldsResolver {
  constructor(private readonly directory: DirectoryService) {}

  @ResolveField(() => Person)
  person(@Ctx() ctx: RequestContext, @Parent() absence: Absence): Promise<Person | null> {
    return DirectoryLoaders.person(this.directory, ctx).load(absence.personUuid);
  }
}

@Resolver(() => Person)
export class PersonStructureFieldsResolver {
  constructor(private readonly structure: OrgStructureReadService) {}

  @ResolveField(() => [Post], { description: "The person's posts in the viewer's partnership." })
  async posts(@Ctx() ctx: RequestContext, @Parent() person: Person): Promise<Post[]> {
    const posts = await requestLoader(ctx, 'postsByPerson', (ids) =>
      this.structure.postsByPerson(ctx, ids),
    ).load(person.uuid);
    return posts ?? [];
  }

  @ResolveField(() => [Absence], {
    description:
      'Current and future absences; shown to admins who may manage the person’s agency and to the person only.',
  })
  async absences(@Ctx() ctx: RequestContext, @Parent() person: Person): Promise<Absence[]> {
    const absences = await requestLoader(ctx, 'absencesByPerson', (ids) =>
      this.structure.absencesByPerson(ctx, ids),
    ).load(person.uuid);
    return absences ?? [];
  }
}

@Resolver(() => OrgUnit)
export class OrgUnitStructureFieldsResolver {
  constructor(private readonly structure: OrgStructureReadService) {}

  @ResolveField(() => [OrgUnit])
  async children(@Ctx() ctx: RequestContext, @Parent() unit: OrgUnit): Promise<OrgUnit[]> {
    const children = await requestLoader(ctx, 'childrenByUnit', (ids) =>
      this.structure.childrenByUnit(ctx, ids),
    ).load(unit.uuid);
    return children ?? [];
  }

  @ResolveField(() => [Post], { description: "Posts in this unit, in the viewer's partnership." })
  async posts(@Ctx() ctx: RequestContext, @Parent() unit: OrgUnit): Promise<Post[]> {
    const posts = await requestLoader(ctx, 'postsByUnit', (ids) => this.structure.postsByUnit(ctx, ids)).load(
      unit.uuid,
    );
    return posts ?? [];
  }
}

@Resolver(() => StageOwnerRoute)
export class StageOwnerRouteFieldsResolver {
  constructor(private readonly directory: DirectoryService) {}

  @ResolveField(() => Person, { nullable: true })
  async owner(@Ctx() ctx: RequestContext, @Parent() route: StageOwnerRoute): Promise<Person | null> {
    return route.ownerUuid ? DirectoryLoaders.person(this.directory, ctx).load(route.ownerUuid) : null;
  }

  @ResolveField(() => OrgUnit, { nullable: true, description: 'The unit whose post was used.' })
  async holderUnit(@Ctx() ctx: RequestContext, @Parent() route: StageOwnerRoute): Promise<OrgUnit | null> {
    return route.holderUnitUuid
      ? DirectoryLoaders.orgUnit(this.directory, ctx).load(route.holderUnitUuid)
      : null;
  }
}

@Resolver(() => StageOwnerRouteStep)
export class StageOwnerRouteStepFieldsResolver {
  constructor(private readonly directory: DirectoryService) {}

  @ResolveField(() => Person, { nullable: true })
  person(@Ctx() ctx: RequestContext, @Parent() step: StageOwnerRouteStep): Promise<Person | null> {
    return DirectoryLoaders.person(this.directory, ctx).load(step.personUuid);
  }
}

@Resolver(() => StructuralProblem)
export class StructuralProblemFieldsResolver {
  constructor(private readonly directory: DirectoryService) {}

  @ResolveField(() => Agency, { nullable: true })
  async agency(@Ctx() ctx: RequestContext, @Parent() problem: StructuralProblem): Promise<Agency | null> {
    return problem.agencyUuid ? DirectoryLoaders.agency(this.directory, ctx).load(problem.agencyUuid) : null;
  }

  @ResolveField(() => OrgUnit, { nullable: true })
  async unit(@Ctx() ctx: RequestContext, @Parent() problem: StructuralProblem): Promise<OrgUnit | null> {
    return problem.orgUnitUuid
      ? DirectoryLoaders.orgUnit(this.directory, ctx).load(problem.orgUnitUuid)
      : null;
  }

  @ResolveField(() => Person, { nullable: true })
  async person(@Ctx() ctx: RequestContext, @Parent() problem: StructuralProblem): Promise<Person | null> {
    return problem.personUuid ? DirectoryLoaders.person(this.directory, ctx).load(problem.personUuid) : null;
  }
}
