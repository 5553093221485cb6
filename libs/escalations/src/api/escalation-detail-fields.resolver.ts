import { Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { Ctx, indexBy, RequestContext, requestLoader } from '@hips/common';
import { Agency, DirectoryLoaders, DirectoryService, Person } from '@hips/directory';
import { EscalationEvent } from '../dto/escalation-event.model';
import { AgreedAction } from '../dto/escalation-outcome.model';
import { EscalationStage } from '../dto/escalation-stage.model';

/* The people and agencies named by a case's stages, agreed actions and chronology. */

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
