import { Field, GraphQLISODateTime, ID, InputType, Int } from '@nestjs/graphql';
import { BreachActionEnum, EscalationTypeEnum, RoleTypeEnum, UrgencyEnum } from '@hips/common';

@InputType()
export class StagePolicyInput {
  @Field(() => Int) number!: number;
  @Field(() => String, { nullable: true }) name?: string | null;
  @Field(() => RoleTypeEnum) roleType!: RoleTypeEnum;
  @Field(() => Int) standardWorkingDays!: number;
  @Field(() => Int) urgentWorkingDays!: number;
  @Field(() => BreachActionEnum, { nullable: true, defaultValue: BreachActionEnum.NOTIFY })
  breachAction?: BreachActionEnum | null;
}

@InputType()
export class SavePolicyDraftInput {
  @Field(() => ID, { nullable: true, description: "Omit for the partnership's default policy." })
  agencyId?: string | null;
  @Field(() => EscalationTypeEnum, { nullable: true, defaultValue: EscalationTypeEnum.GENERAL })
  type?: EscalationTypeEnum | null;
  @Field(() => [StagePolicyInput]) stages!: StagePolicyInput[];
}

@InputType()
export class PublishPolicyInput {
  @Field(() => ID) policyId!: string;
  @Field(() => GraphQLISODateTime, { nullable: true }) effectiveFrom?: Date | null;
  @Field(() => Boolean, {
    nullable: true,
    defaultValue: false,
    description: 'Also re-time open cases; otherwise only new cases use it.',
  })
  applyToOpenCases?: boolean | null;
}

@InputType()
export class PreviewDeadlinesInput {
  @Field(() => GraphQLISODateTime, {
    nullable: true,
    description: 'When the case would be raised; defaults to now.',
  })
  raisedAt?: Date | null;
  @Field(() => UrgencyEnum) urgency!: UrgencyEnum;
  @Field(() => EscalationTypeEnum, { nullable: true, defaultValue: EscalationTypeEnum.GENERAL })
  type?: EscalationTypeEnum | null;
  @Field(() => ID, { nullable: true }) raisingAgencyId?: string | null;
  @Field(() => ID, { nullable: true }) respondingAgencyId?: string | null;
}
