import { Args, Int, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { Ctx, RequestContext, requestLoader } from '@hips/common';
import { Agency, DirectoryLoaders, DirectoryService, Partnership, Person } from '@hips/directory';
import { EscalationReadService } from '../application/escalation-read.service';
import { ChildRecord } from '../dto/child-record.model';
import { EscalationEventConnection } from '../dto/escalation-event.model';
import { EscalationNote } from '../dto/escalation-note.model';
import { EscalationStage } from '../dto/escalation-stage.model';
import { Escalation } from '../dto/escalation.model';
import { EscalationLoaders } from './escalation.loader';
import { visibleChildren } from './visible-children';

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
    deprecationReason: 'A case may concern several children: use children (this is its first).',
  })
  async child(@Ctx() ctx: RequestContext, @Parent() e: Escalation): Promise<ChildRecord | null> {
    return (await visibleChildren(this.read, ctx, e))?.[0] ?? null;
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
