import { Field, GraphQLISODateTime, ID, Int, ObjectType } from '@nestjs/graphql';
import { DateScalar, UserError } from '@hips/common';
import { Person } from '@hips/directory';

/** Defined once in libs/common (case stages use it too); re-exported under the name this lib always used. */
export { DeadlineExplanationType as DeadlineExplanation } from '@hips/common';

@ObjectType()
export class CalendarPayload {
  @Field(() => [DateScalar]) closureDates!: string[];
  @Field(() => Int, { nullable: true, description: 'The calendar version the change created.' })
  version?: number | null;
  @Field(() => [UserError]) userErrors!: UserError[];
}

@ObjectType()
export class ClosureDay {
  @Field(() => DateScalar) date!: string;
  @Field(() => String) reason!: string;
}

@ObjectType({ description: "One immutable version of the partnership's calendar (its closure days)." })
export class CalendarVersion {
  @Field(() => ID) id!: string;
  uuid!: string;
  changedByUuid!: string | null;
  @Field(() => Int) version!: number;
  @Field(() => GraphQLISODateTime) publishedAt!: Date;
  @Field(() => String, { description: 'INITIAL, ADD or REMOVE (a closure day).' }) change!: string;
  @Field(() => DateScalar, { nullable: true }) changeDate!: string | null;
  @Field(() => String, { nullable: true }) changeReason!: string | null;
  @Field(() => Person, { nullable: true }) changedBy?: Person | null;
  @Field(() => [ClosureDay]) closureDays!: ClosureDay[];
}
