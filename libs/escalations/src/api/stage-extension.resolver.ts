import { Args, Mutation, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { Ctx, RequestContext, requestLoader, withUserErrors } from '@hips/common';
import { TenantDb } from '@hips/database';
import { Person, DirectoryLoaders, DirectoryService } from '@hips/directory';
import {
  StageExtensionAgreementHandler,
  toExtensionProposal,
} from '../application/stage-extension-agreement.handler';
import { StageStatus } from '../dto/escalation-enums';
import { EscalationStage } from '../dto/escalation-stage.model';
import {
  DecideStageExtensionInput,
  ProposeStageExtensionInput,
  StageExtensionPayload,
  StageExtensionProposal,
} from '../dto/stage-extension.model';
import { StageExtensionProposalRepository } from '../persistence/stage-extension-proposal.repository';

/** Extension by both owners agreeing: propose, accept, decline (docs/api/escalations.md). */
@Resolver()
export class StageExtensionResolver {
  constructor(private readonly agreement: StageExtensionAgreementHandler) {}

  @Mutation(() => StageExtensionPayload, {
    description: 'An owner of the current stage proposes extending it; the other side’s owner decides.',
  })
  proposeStageExtension(@Ctx() ctx: RequestContext, @Args('input') input: ProposeStageExtensionInput) {
    return withUserErrors(() => this.agreement.propose(ctx, input));
  }

  @Mutation(() => StageExtensionPayload, {
    description: 'The other side’s owner accepts the open proposal: the stage is extended (once).',
  })
  acceptStageExtension(@Ctx() ctx: RequestContext, @Args('input') input: DecideStageExtensionInput) {
    return withUserErrors(() => this.agreement.accept(ctx, input));
  }

  @Mutation(() => StageExtensionPayload, {
    description: 'The other side’s owner declines the open proposal.',
  })
  declineStageExtension(@Ctx() ctx: RequestContext, @Args('input') input: DecideStageExtensionInput) {
    return withUserErrors(() => this.agreement.decline(ctx, input));
  }
}

/** A stage's open extension proposal and the people a proposal names. */
@Resolver(() => EscalationStage)
export class StageExtensionFieldsResolver {
  constructor(
    private readonly db: TenantDb,
    private readonly proposals: StageExtensionProposalRepository,
  ) {}

  @ResolveField(() => StageExtensionProposal, {
    nullable: true,
    description:
      'The extension proposal awaiting the other owner’s decision; null once the stage is at its due time (it has lapsed).',
  })
  async extensionProposal(@Ctx() ctx: RequestContext, @Parent() s: EscalationStage) {
    if (s.status === StageStatus.CLOSED || (s.dueAt && s.dueAt.getTime() <= Date.now())) return null;
    const open = requestLoader(ctx, 'openExtensionProposal', async (stageIds) => {
      const rows = await this.db.transaction(ctx, (uow) => this.proposals.findOpenMany(uow, [...stageIds]));
      return new Map(rows.map((r) => [r.stage_id, toExtensionProposal(r)]));
    });
    return open.load(s.uuid);
  }
}

@Resolver(() => StageExtensionProposal)
export class StageExtensionProposalFieldsResolver {
  constructor(private readonly directory: DirectoryService) {}

  @ResolveField(() => Person, { nullable: true })
  proposedBy(@Ctx() ctx: RequestContext, @Parent() p: StageExtensionProposal) {
    return DirectoryLoaders.person(this.directory, ctx).load(p.proposedByUuid);
  }

  @ResolveField(() => Person, { nullable: true })
  decidedBy(@Ctx() ctx: RequestContext, @Parent() p: StageExtensionProposal) {
    return p.decidedByUuid ? DirectoryLoaders.person(this.directory, ctx).load(p.decidedByUuid) : null;
  }
}
