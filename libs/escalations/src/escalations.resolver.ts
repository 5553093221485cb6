import { Args, ID, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Ctx, indexBy, RequestContext, requestLoader, withUserErrors } from '@hips/common';
import { Agency, DirectoryLoaders, DirectoryService, Partnership, Person } from '@hips/directory';
import {
  AddEscalationNoteInput,
  EscalateInput,
  EscalationFilter,
  ExtendStageInput,
  MarkAgreedActionDoneInput,
  PartnershipDecisionInput,
  RaiseEscalationInput,
  ReopenInput,
  ResolveInput,
  RespondInput,
  WithdrawInput,
} from './dto/escalation.inputs';
import {
  AgreedAction,
  ChildRecord,
  Escalation,
  EscalationConnection,
  EscalationEvent,
  EscalationEventConnection,
  EscalationNote,
  EscalationNotePayload,
  EscalationPayload,
  EscalationStage,
  RaiseEscalationPayload,
} from './escalation.models';
import { caseVisibility, ChildChain } from './access/case-visibility.policy';
import { EscalationReadService } from './escalation-read.service';
import { EscalationsService } from './escalations.service';
import { RetimingMove, RetimingService } from './retiming';

/** Per-request loaders: a page of cases costs one query per kind of look-up, whatever its size. */
export class EscalationLoaders {
  static stages(read: EscalationReadService, ctx: RequestContext) {
    return requestLoader(ctx, 'escalationStages', (ids) => read.stagesByEscalation(ctx, ids));
  }
  static children(read: EscalationReadService, ctx: RequestContext) {
    return requestLoader(ctx, 'escalationChildren', (ids) => read.children(ctx, ids));
  }
  static notes(read: EscalationReadService, ctx: RequestContext) {
    return requestLoader(ctx, 'escalationNotes', (ids) => read.notesByEscalation(ctx, ids));
  }
  static reports(read: EscalationReadService, ctx: RequestContext) {
    return requestLoader(
      ctx,
      'viewerReports',
      async () => new Map([['me', await read.reportsOfViewer(ctx)]]),
    );
  }
  static partnership(directory: DirectoryService, ctx: RequestContext) {
    return requestLoader(ctx, 'partnership', async (ids) =>
      indexBy(await directory.partnershipsByIds(ctx, ids), (p) => p.uuid),
    );
  }
}

@Resolver()
export class EscalationsResolver {
  constructor(
    private readonly cases: EscalationsService,
    private readonly read: EscalationReadService,
    private readonly retiming: RetimingService,
  ) {}

  @Query(() => [RetimingMove], {
    description:
      'Dry run of publishEscalationPolicy(applyToOpenCases: true): each open case whose due date would move, from and to.',
  })
  openCaseRetimingPreview(
    @Ctx() ctx: RequestContext,
    @Args('policyId', { type: () => ID }) policyId: string,
  ): Promise<RetimingMove[]> {
    return this.retiming.preview(ctx, policyId);
  }

  @Query(() => Escalation, { nullable: true })
  escalation(
    @Ctx() ctx: RequestContext,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<Escalation | null> {
    return this.read.byGlobalId(ctx, id);
  }

  @Query(() => EscalationConnection)
  escalations(
    @Ctx() ctx: RequestContext,
    @Args('first', { type: () => Int, nullable: true }) first?: number,
    @Args('after', { type: () => String, nullable: true }) after?: string,
    @Args('filter', { type: () => EscalationFilter, nullable: true }) filter?: EscalationFilter,
  ): Promise<EscalationConnection> {
    return this.read.list(ctx, first, after, filter);
  }

  @Mutation(() => RaiseEscalationPayload)
  raiseEscalation(@Ctx() ctx: RequestContext, @Args('input') input: RaiseEscalationInput) {
    return withUserErrors(() => this.cases.raise(ctx, input));
  }

  @Mutation(() => EscalationPayload)
  respondToEscalation(@Ctx() ctx: RequestContext, @Args('input') input: RespondInput) {
    return withUserErrors(() => this.cases.respond(ctx, input));
  }

  @Mutation(() => EscalationPayload)
  escalateEscalation(@Ctx() ctx: RequestContext, @Args('input') input: EscalateInput) {
    return withUserErrors(() => this.cases.escalate(ctx, input));
  }

  @Mutation(() => EscalationPayload)
  extendStage(@Ctx() ctx: RequestContext, @Args('input') input: ExtendStageInput) {
    return withUserErrors(() => this.cases.extend(ctx, input));
  }

  @Mutation(() => EscalationPayload)
  resolveEscalation(@Ctx() ctx: RequestContext, @Args('input') input: ResolveInput) {
    return withUserErrors(() => this.cases.resolve(ctx, input));
  }

  @Mutation(() => EscalationPayload, {
    description:
      'Marks one agreed action of a resolved case as done (a practitioner or manager of the action’s owner agency or of either agency of the case).',
  })
  markAgreedActionDone(@Ctx() ctx: RequestContext, @Args('input') input: MarkAgreedActionDoneInput) {
    return withUserErrors(() => this.cases.markAgreedActionDone(ctx, input));
  }

  @Mutation(() => EscalationPayload)
  withdrawEscalation(@Ctx() ctx: RequestContext, @Args('input') input: WithdrawInput) {
    return withUserErrors(() => this.cases.withdraw(ctx, input));
  }

  @Mutation(() => EscalationPayload)
  reopenEscalation(@Ctx() ctx: RequestContext, @Args('input') input: ReopenInput) {
    return withUserErrors(() => this.cases.reopen(ctx, input));
  }

  @Mutation(() => EscalationPayload)
  recordPartnershipDecision(@Ctx() ctx: RequestContext, @Args('input') input: PartnershipDecisionInput) {
    return withUserErrors(() => this.cases.partnershipDecision(ctx, input));
  }

  @Mutation(() => EscalationNotePayload)
  addEscalationNote(@Ctx() ctx: RequestContext, @Args('input') input: AddEscalationNoteInput) {
    return withUserErrors(() => this.cases.addNote(ctx, input));
  }
}

@Resolver(() => Escalation)
export class EscalationFieldsResolver {
  constructor(
    private readonly read: EscalationReadService,
    private readonly directory: DirectoryService,
  ) {}

  @ResolveField(() => Partnership)
  partnership(@Ctx() ctx: RequestContext, @Parent() e: Escalation) {
    return EscalationLoaders.partnership(this.directory, ctx).load(e.partnershipUuid);
  }

  @ResolveField(() => Agency)
  raisingAgency(@Ctx() ctx: RequestContext, @Parent() e: Escalation) {
    return DirectoryLoaders.agency(this.directory, ctx).load(e.raisingAgencyUuid);
  }

  @ResolveField(() => Agency)
  respondingAgency(@Ctx() ctx: RequestContext, @Parent() e: Escalation) {
    return DirectoryLoaders.agency(this.directory, ctx).load(e.respondingAgencyUuid);
  }

  @ResolveField(() => Person, { nullable: true })
  raisedBy(@Ctx() ctx: RequestContext, @Parent() e: Escalation) {
    return e.raisedByUuid ? DirectoryLoaders.person(this.directory, ctx).load(e.raisedByUuid) : null;
  }

  @ResolveField(() => [EscalationStage])
  async stages(@Ctx() ctx: RequestContext, @Parent() e: Escalation): Promise<EscalationStage[]> {
    return (await EscalationLoaders.stages(this.read, ctx).load(e.uuid)) ?? [];
  }

  @ResolveField(() => EscalationStage, { nullable: true })
  async currentStage(@Ctx() ctx: RequestContext, @Parent() e: Escalation): Promise<EscalationStage | null> {
    const stages = (await EscalationLoaders.stages(this.read, ctx).load(e.uuid)) ?? [];
    return stages.find((s) => s.number === e.currentStageNumber) ?? null;
  }

  @ResolveField(() => ChildRecord, {
    nullable: true,
    description:
      'Null unless the viewer may see child identifiers; every non-null read is audited. Null for everyone once the identifiers were purged at the end of retention (see childPurgedAt).',
  })
  async child(@Ctx() ctx: RequestContext, @Parent() e: Escalation): Promise<ChildRecord | null> {
    if (e.childPurgedAt) return null;
    const parties = {
      partnershipId: e.partnershipUuid,
      raisingAgencyId: e.raisingAgencyUuid,
      respondingAgencyId: e.respondingAgencyUuid,
    };
    const mayView = await caseVisibility.maySeeChild(ctx, parties, () => this.childChain(ctx, e));
    if (!mayView) return null;
    return EscalationLoaders.children(this.read, ctx).load(e.uuid);
  }

  /** The raiser and every stage's owners, and whom the viewer manages (from the request's loaders). */
  private async childChain(ctx: RequestContext, e: Escalation): Promise<ChildChain> {
    const stages = (await EscalationLoaders.stages(this.read, ctx).load(e.uuid)) ?? [];
    const owners = stages.flatMap((s) => [s.raiserOwnerUuid, s.responderOwnerUuid]);
    const ownerPersonIds = [e.raisedByUuid, ...owners].filter((id): id is string => id !== null);
    const viewerReports = (await EscalationLoaders.reports(this.read, ctx).load('me')) ?? new Set<string>();
    return { ownerPersonIds, viewerReports };
  }

  @ResolveField(() => [EscalationNote], {
    description: 'SHARED notes, and PRIVATE notes of the viewer’s own agency.',
  })
  async notes(@Ctx() ctx: RequestContext, @Parent() e: Escalation): Promise<EscalationNote[]> {
    return (await EscalationLoaders.notes(this.read, ctx).load(e.uuid)) ?? [];
  }

  @ResolveField(() => EscalationEventConnection)
  async events(
    @Ctx() ctx: RequestContext,
    @Parent() e: Escalation,
    @Args('first', { type: () => Int, nullable: true }) first?: number,
    @Args('after', { type: () => String, nullable: true }) after?: string,
  ) {
    const loader = requestLoader(ctx, `escalationEvents:${first ?? ''}:${after ?? ''}`, (ids) =>
      this.read.eventPages(ctx, ids, first, after),
    );
    return loader.load(e.uuid);
  }
}

@Resolver(() => EscalationStage)
export class EscalationStageFieldsResolver {
  constructor(private readonly directory: DirectoryService) {}

  @ResolveField(() => Person, { nullable: true })
  raiserOwner(@Ctx() ctx: RequestContext, @Parent() s: EscalationStage) {
    return s.raiserOwnerUuid ? DirectoryLoaders.person(this.directory, ctx).load(s.raiserOwnerUuid) : null;
  }

  @ResolveField(() => Person, { nullable: true })
  responderOwner(@Ctx() ctx: RequestContext, @Parent() s: EscalationStage) {
    return s.responderOwnerUuid
      ? DirectoryLoaders.person(this.directory, ctx).load(s.responderOwnerUuid)
      : null;
  }
}

@Resolver(() => AgreedAction)
export class AgreedActionFieldsResolver {
  constructor(private readonly directory: DirectoryService) {}

  @ResolveField(() => Agency)
  ownerAgency(@Ctx() ctx: RequestContext, @Parent() a: AgreedAction) {
    return DirectoryLoaders.agency(this.directory, ctx).load(a.ownerAgencyUuid);
  }
}

@Resolver(() => EscalationEvent)
export class EscalationEventFieldsResolver {
  constructor(private readonly directory: DirectoryService) {}

  @ResolveField(() => Person, { nullable: true })
  actor(@Ctx() ctx: RequestContext, @Parent() v: EscalationEvent) {
    // Its own loader: actors arrive after the events query, and sharing the owners' loader would merge or split
    // batches depending on which query answers first (the statement count of a page must not depend on timing).
    const actors = requestLoader(ctx, 'eventActor', async (ids) =>
      indexBy(await this.directory.peopleByIds(ctx, ids), (p) => p.uuid),
    );
    return v.actorUuid ? actors.load(v.actorUuid) : null;
  }
}
