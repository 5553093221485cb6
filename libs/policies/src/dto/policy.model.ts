import { Field, GraphQLISODateTime, ID, Int, ObjectType } from '@nestjs/graphql';
import { BreachActionEnum, EscalationTypeEnum, Node, RoleTypeEnum, UserError } from '@hips/common';
import { Agency, Partnership } from '@hips/directory';

@ObjectType()
export class StagePolicy {
  @Field(() => Int) number!: number;
  @Field(() => String) name!: string;
  @Field(() => RoleTypeEnum) roleType!: RoleTypeEnum;
  @Field(() => Int) standardWorkingDays!: number;
  @Field(() => Int) urgentWorkingDays!: number;
  @Field(() => BreachActionEnum) breachAction!: BreachActionEnum;
}

@ObjectType({ implements: () => [Node] })
export class EscalationPolicy implements Node {
  readonly __typename = 'EscalationPolicy' as const;
  @Field(() => ID) id!: string;
  uuid!: string;
  partnershipUuid!: string;
  agencyUuid!: string | null;
  @Field(() => Partnership) partnership?: Partnership;
  @Field(() => Agency, { nullable: true, description: "Null for the partnership's default policy." })
  agency?: Agency | null;
  @Field(() => EscalationTypeEnum) type!: EscalationTypeEnum;
  @Field(() => Int) version!: number;
  @Field(() => Boolean) published!: boolean;
  @Field(() => GraphQLISODateTime, { nullable: true }) publishedAt!: Date | null;
  @Field(() => GraphQLISODateTime, { nullable: true }) effectiveFrom!: Date | null;
  @Field(() => [StagePolicy]) stages!: StagePolicy[];
}

@ObjectType()
export class PolicyPayload {
  @Field(() => EscalationPolicy, { nullable: true }) policy?: EscalationPolicy | null;
  @Field(() => [UserError]) userErrors!: UserError[];
}
