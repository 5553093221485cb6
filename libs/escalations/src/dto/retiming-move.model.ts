import { Field, GraphQLISODateTime, ID, Int, ObjectType } from '@nestjs/graphql';

@ObjectType({
  description: 'An open case whose current stage would be due at another time under a policy version.',
})
export class RetimingMove {
  @Field(() => ID) escalationId!: string;
  @Field(() => String) reference!: string;
  @Field(() => Int) stage!: number;
  @Field(() => GraphQLISODateTime, { nullable: true }) fromDueAt!: Date | null;
  @Field(() => GraphQLISODateTime) toDueAt!: Date;
}
