import { Args, Mutation, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { Ctx, RequestContext, withUserErrors } from '@hips/common';
import { DirectoryLoaders, DirectoryService, Person } from '@hips/directory';
import { RetentionService } from '../application/retention.service';
import { LiftLegalHoldInput, PlaceLegalHoldInput } from '../dto/legal-hold.input';
import { LegalHoldPayload } from '../dto/escalation-payloads.model';
import { LegalHold } from '../dto/legal-hold.model';

/** Legal holds (docs/procedure.md §7): thin, the rules are in RetentionService. */
@Resolver()
export class RetentionResolver {
  constructor(private readonly retention: RetentionService) {}

  @Mutation(() => LegalHoldPayload, {
    description:
      'Places a legal hold on a case: its child identifiers are kept past their retention date until the hold is lifted. PARTNERSHIP_ADMIN or PARTNERSHIP_MANAGER.',
  })
  placeLegalHold(@Ctx() ctx: RequestContext, @Args('input') input: PlaceLegalHoldInput) {
    return withUserErrors(() => this.retention.placeLegalHold(ctx, input));
  }

  @Mutation(() => LegalHoldPayload, {
    description:
      'Lifts the legal hold of a case; the next retention run purges its identifiers if their retention has ended. PARTNERSHIP_ADMIN or PARTNERSHIP_MANAGER.',
  })
  liftLegalHold(@Ctx() ctx: RequestContext, @Args('input') input: LiftLegalHoldInput) {
    return withUserErrors(() => this.retention.liftLegalHold(ctx, input));
  }
}

@Resolver(() => LegalHold)
export class LegalHoldFieldsResolver {
  constructor(private readonly directory: DirectoryService) {}

  @ResolveField(() => Person, { nullable: true, description: 'Who placed the hold.' })
  placedBy(@Ctx() ctx: RequestContext, @Parent() h: LegalHold) {
    return h.placedByUuid ? DirectoryLoaders.person(this.directory, ctx).load(h.placedByUuid) : null;
  }
}
