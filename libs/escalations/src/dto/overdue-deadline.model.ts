import { Field, GraphQLISODateTime, ID, Int, ObjectType } from '@nestjs/graphql';

@ObjectType({ description: 'A deadline past due that the deadline runner has not fired yet.' })
export class OverdueDeadline {
  @Field(() => ID, { description: 'The case (an Escalation id).' }) escalationId!: string;
  @Field({ description: 'The deadline kind: DUE, REMINDER_HALF or REMINDER_DAY_BEFORE.' }) kind!: string;
  @Field(() => GraphQLISODateTime) dueAt!: Date;
  @Field(() => Int, { description: 'Whole minutes since it fell due.' }) minutesOverdue!: number;
}

@ObjectType()
export class OverdueDeadlines {
  @Field(() => Int, { description: 'All overdue deadlines of the partnership, not only those listed.' })
  totalCount!: number;
  @Field(() => [OverdueDeadline], { description: 'The longest overdue first.' }) nodes!: OverdueDeadline[];
}
