import { Field, GraphQLISODateTime, ID, InputType, Int } from '@nestjs/graphql';
import { DisagreementCategory, EscalationStatus } from './escalation-enums';

@InputType()
export class EscalationFilter {
  @Field(() => [EscalationStatus], { nullable: true }) status?: EscalationStatus[] | null;
  @Field(() => [Int], { nullable: true }) stage?: number[] | null;
  @Field(() => Boolean, { nullable: true }) overdue?: boolean | null;
  @Field(() => ID, { nullable: true }) raisingAgencyId?: string | null;
  @Field(() => ID, { nullable: true }) respondingAgencyId?: string | null;
  @Field(() => [DisagreementCategory], { nullable: true }) category?: DisagreementCategory[] | null;
  @Field(() => GraphQLISODateTime, { nullable: true }) raisedFrom?: Date | null;
  @Field(() => GraphQLISODateTime, { nullable: true }) raisedTo?: Date | null;
  @Field(() => Boolean, {
    nullable: true,
    description: 'Cases where the viewer currently owns a stage on either side.',
  })
  mine?: boolean | null;
}
