import { Field, GraphQLISODateTime, ID, InputType } from '@nestjs/graphql';
import { DateScalar, RoleTypeEnum } from '@hips/common';

/** Names a post (holder, unit, role type) and a deputy for it. */
@InputType()
export class AddDeputyInput {
  @Field(() => ID, { description: "The post's holder." }) personId!: string;
  @Field(() => ID) orgUnitId!: string;
  @Field(() => RoleTypeEnum) roleType!: RoleTypeEnum;
  @Field(() => ID) deputyPersonId!: string;
}

@InputType()
export class RemoveDeputyInput {
  @Field(() => ID, { description: "The post's holder." }) personId!: string;
  @Field(() => ID) orgUnitId!: string;
  @Field(() => RoleTypeEnum) roleType!: RoleTypeEnum;
  @Field(() => ID) deputyPersonId!: string;
}

@InputType()
export class RecordAbsenceInput {
  @Field(() => ID) personId!: string;
  @Field(() => DateScalar, { description: 'First day away.' }) from!: string;
  @Field(() => DateScalar, { description: 'Last day away (inclusive).' }) to!: string;
  @Field(() => String, { description: 'e.g. annual leave; shown in routing explanations to admins.' })
  reason!: string;
}

@InputType()
export class CancelAbsenceInput {
  @Field(() => ID) absenceId!: string;
}

@InputType()
export class RouteStageOwnerInput {
  @Field(() => ID, { description: 'The unit of the raising or responding person.' }) orgUnitId!: string;
  @Field(() => RoleTypeEnum, { description: "The agency policy's role type for the stage." })
  roleType!: RoleTypeEnum;
  @Field(() => GraphQLISODateTime, { nullable: true, description: 'Defaults to now.' }) at?: Date | null;
}
