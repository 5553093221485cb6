import { Args, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { DeadlineExplanation } from '@hips/calendar';
import {
  Ctx,
  EscalationTypeEnum,
  indexBy,
  RequestContext,
  requestLoader,
  withUserErrors,
} from '@hips/common';
import { Agency, DirectoryLoaders, DirectoryService, Partnership } from '@hips/directory';
import { EscalationPolicy, PolicyPayload } from './dto/policy.model';
import { PreviewDeadlinesInput, PublishPolicyInput, SavePolicyDraftInput } from './dto/policy.input';
import { PoliciesService } from './policies.service';

/** The agency whose policy is meant (absent: the partnership default). */
const PolicyAgencyArg = (): ParameterDecorator => Args('agencyId', { type: () => ID, nullable: true });

/** The escalation type whose policy is meant (GENERAL unless given). */
const PolicyTypeArg = (): ParameterDecorator =>
  Args('type', { type: () => EscalationTypeEnum, nullable: true, defaultValue: EscalationTypeEnum.GENERAL });

@Resolver()
export class PoliciesResolver {
  constructor(private readonly policies: PoliciesService) {}

  @Query(() => EscalationPolicy, {
    nullable: true,
    description:
      "The policy in force for the agency (or the partnership default) in the viewer's partnership.",
  })
  escalationPolicy(
    @Ctx() ctx: RequestContext,
    @PolicyAgencyArg() agencyId?: string | null,
    @PolicyTypeArg() type?: EscalationTypeEnum | null,
  ): Promise<EscalationPolicy | null> {
    return this.policies.policyInForce(ctx, agencyId, type ?? EscalationTypeEnum.GENERAL);
  }

  @Query(() => [EscalationPolicy], {
    description:
      "Every version of the agency's own policy (or of the partnership default), newest first; the open draft is listed only to those who may edit it.",
  })
  escalationPolicyVersions(
    @Ctx() ctx: RequestContext,
    @PolicyAgencyArg() agencyId?: string | null,
    @PolicyTypeArg() type?: EscalationTypeEnum | null,
  ): Promise<EscalationPolicy[]> {
    return this.policies.versions(ctx, agencyId, type ?? EscalationTypeEnum.GENERAL);
  }

  @Query(() => [DeadlineExplanation])
  previewDeadlines(
    @Ctx() ctx: RequestContext,
    @Args('input') input: PreviewDeadlinesInput,
  ): Promise<DeadlineExplanation[]> {
    return this.policies.previewDeadlines(ctx, input);
  }

  @Mutation(() => PolicyPayload)
  saveEscalationPolicyDraft(@Ctx() ctx: RequestContext, @Args('input') input: SavePolicyDraftInput) {
    return withUserErrors(() => this.policies.saveDraft(ctx, input));
  }

  @Mutation(() => PolicyPayload)
  publishEscalationPolicy(@Ctx() ctx: RequestContext, @Args('input') input: PublishPolicyInput) {
    return withUserErrors(() => this.policies.publish(ctx, input));
  }
}

@Resolver(() => EscalationPolicy)
export class EscalationPolicyFieldsResolver {
  constructor(private readonly directory: DirectoryService) {}

  @ResolveField(() => Partnership)
  async partnership(
    @Ctx() ctx: RequestContext,
    @Parent() policy: EscalationPolicy,
  ): Promise<Partnership | null> {
    return requestLoader(ctx, 'partnershipById', async (ids) =>
      indexBy(await this.directory.partnershipsByIds(ctx, ids), (p) => p.uuid),
    ).load(policy.partnershipUuid);
  }

  @ResolveField(() => Agency, { nullable: true, description: "Null for the partnership's default policy." })
  async agency(@Ctx() ctx: RequestContext, @Parent() policy: EscalationPolicy): Promise<Agency | null> {
    return policy.agencyUuid ? DirectoryLoaders.agency(this.directory, ctx).load(policy.agencyUuid) : null;
  }
}
