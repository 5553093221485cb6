import { Field, GraphQLISODateTime, ID, InputType } from '@nestjs/graphql';
import { UrgencyEnum } from '@hips/common';
import { StagePolicyInput } from './policy.input';

@InputType()
export class SaveInternalLadderDraftInput {
  @Field(() => ID) agencyId!: string;
  @Field(() => [StagePolicyInput], {
    nullable: true,
    description: "Omit to start the draft from the default ladder for the agency's type.",
  })
  stages?: StagePolicyInput[] | null;
}

@InputType()
export class PublishInternalLadderInput {
  @Field(() => ID) ladderId!: string;
  @Field(() => GraphQLISODateTime, { nullable: true }) effectiveFrom?: Date | null;
}

@InputType()
export class PreviewInternalLadderInput {
  @Field(() => ID, { description: 'A version the viewer can see: a draft to those who may edit it.' })
  ladderId!: string;
  @Field(() => UrgencyEnum) urgency!: UrgencyEnum;
  @Field(() => GraphQLISODateTime, { nullable: true, description: 'Defaults to now.' })
  raisedAt?: Date | null;
}
