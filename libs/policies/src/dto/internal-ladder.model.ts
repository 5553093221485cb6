import { Field, GraphQLISODateTime, ID, Int, ObjectType } from '@nestjs/graphql';
import { UserError } from '@hips/common';
import { Agency } from '@hips/directory';
import { StagePolicy } from './policy.model';

/**
 * A version of an agency's internal ladder (docs/api/administration.md, "Internal ladders"): the agency's own
 * stages for a disagreement inside the agency, versioned and drafted like its escalation policy.
 */
@ObjectType()
export class InternalLadder {
  @Field(() => ID) id!: string;
  uuid!: string;
  agencyUuid!: string;
  @Field(() => Agency) agency?: Agency;
  @Field(() => Int) version!: number;
  @Field(() => Boolean) published!: boolean;
  @Field(() => GraphQLISODateTime, { nullable: true }) publishedAt!: Date | null;
  @Field(() => GraphQLISODateTime, { nullable: true }) effectiveFrom!: Date | null;
  @Field(() => [StagePolicy]) stages!: StagePolicy[];
}

@ObjectType()
export class InternalLadderPayload {
  @Field(() => InternalLadder, { nullable: true }) ladder?: InternalLadder | null;
  @Field(() => [UserError]) userErrors!: UserError[];
}
