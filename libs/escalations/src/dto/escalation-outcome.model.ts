import { Field, GraphQLISODateTime, ObjectType } from '@nestjs/graphql';
import { DateScalar } from '@hips/common';
import { OutcomeCode } from './escalation-enums';

@ObjectType()
export class AgreedAction {
  ownerAgencyUuid!: string;
  @Field(() => String) description!: string;
  @Field(() => DateScalar, { nullable: true }) dueDate!: string | null;
  @Field(() => Boolean) done!: boolean;
}

@ObjectType()
export class EscalationOutcome {
  @Field(() => OutcomeCode) code!: OutcomeCode;
  @Field(() => String) statement!: string;
  @Field(() => [AgreedAction]) agreedActions!: AgreedAction[];
  @Field(() => [String]) learningThemes!: string[];
  @Field(() => Boolean) systemicIssue!: boolean;
  @Field(() => GraphQLISODateTime) recordedAt!: Date;
}
