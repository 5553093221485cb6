import { Field, GraphQLISODateTime, Int, ObjectType } from '@nestjs/graphql';
import { DeadlineExplanationType } from '@hips/common';
import { StageStatus } from './escalation-enums';

@ObjectType()
export class EscalationStage {
  uuid!: string;
  escalationUuid!: string;
  raiserOwnerUuid!: string | null;
  responderOwnerUuid!: string | null;
  @Field(() => Int) number!: number;
  @Field(() => String) name!: string;
  @Field(() => StageStatus) status!: StageStatus;
  @Field(() => GraphQLISODateTime) openedAt!: Date;
  @Field(() => GraphQLISODateTime, { nullable: true }) dueAt!: Date | null;
  @Field(() => Int, { nullable: true }) workingDays!: number | null;
  @Field(() => DeadlineExplanationType, { nullable: true }) due!: DeadlineExplanationType | null;
  @Field(() => Boolean) overdue!: boolean;
  @Field(() => GraphQLISODateTime, { nullable: true }) breachedAt!: Date | null;
  @Field(() => Boolean) extended!: boolean;
  @Field(() => String, { nullable: true }) response!: string | null;
  @Field(() => GraphQLISODateTime, { nullable: true }) respondedAt!: Date | null;
  @Field(() => GraphQLISODateTime, { nullable: true }) closedAt!: Date | null;
}
