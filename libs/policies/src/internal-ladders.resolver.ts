import { Args, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { DeadlineExplanation } from '@hips/calendar';
import { AgencyType, Ctx, RequestContext, withUserErrors } from '@hips/common';
import { defaultInternalLadder } from '@hips/core';
import { Agency, DirectoryLoaders, DirectoryService } from '@hips/directory';
import { InternalLadder, InternalLadderPayload } from './dto/internal-ladder.model';
import {
  PreviewInternalLadderInput,
  PublishInternalLadderInput,
  SaveInternalLadderDraftInput,
} from './dto/internal-ladder.input';
import { StagePolicy } from './dto/policy.model';
import { toStageModel } from './policies.service';
import { InternalLaddersService } from './internal-ladders.service';

@Resolver(() => InternalLadder)
export class InternalLaddersResolver {
  constructor(
    private readonly ladders: InternalLaddersService,
    private readonly directory: DirectoryService,
  ) {}

  @Query(() => [InternalLadder], {
    description:
      "Versions of an agency's internal ladder, newest first; the open draft only to those who may manage the agency.",
  })
  internalLadderVersions(
    @Ctx() ctx: RequestContext,
    @Args('agencyId', { type: () => ID }) agencyId: string,
  ): Promise<InternalLadder[]> {
    return this.ladders.versions(ctx, agencyId);
  }

  @Query(() => [StagePolicy], { description: 'The default internal ladder for an agency type.' })
  defaultInternalLadder(
    @Args('agencyType', { type: () => AgencyType }) agencyType: AgencyType,
  ): StagePolicy[] {
    return defaultInternalLadder(agencyType).map(toStageModel);
  }

  @Query(() => [DeadlineExplanation])
  previewInternalLadder(
    @Ctx() ctx: RequestContext,
    @Args('input') input: PreviewInternalLadderInput,
  ): Promise<DeadlineExplanation[]> {
    return this.ladders.preview(ctx, input);
  }

  @Mutation(() => InternalLadderPayload)
  saveInternalLadderDraft(@Ctx() ctx: RequestContext, @Args('input') input: SaveInternalLadderDraftInput) {
    return withUserErrors(() => this.ladders.saveDraft(ctx, input));
  }

  @Mutation(() => InternalLadderPayload)
  publishInternalLadder(@Ctx() ctx: RequestContext, @Args('input') input: PublishInternalLadderInput) {
    return withUserErrors(() => this.ladders.publish(ctx, input));
  }

  @ResolveField(() => Agency)
  async agency(@Ctx() ctx: RequestContext, @Parent() ladder: InternalLadder): Promise<Agency | null> {
    return DirectoryLoaders.agency(this.directory, ctx).load(ladder.agencyUuid);
  }
}
