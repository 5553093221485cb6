import { Field, GraphQLISODateTime, ID, InputType } from '@nestjs/graphql';
import { DateScalar, EscalationTypeEnum, PartnershipCode, UrgencyEnum } from '@hips/common';
import { DisagreementCategory, LevelOfNeed } from './escalation-enums';

@InputType()
export class ChildInput {
  @Field(() => String) initials!: string;
  @Field(() => DateScalar) dateOfBirth!: string;
  @Field(() => PartnershipCode) localAuthority!: PartnershipCode;
  @Field(() => String, { nullable: true }) nhsNumber?: string | null;
  @Field(() => String, { nullable: true }) localAuthorityCaseId?: string | null;
}

@InputType({ description: 'Any true answer redirects the intake away from this procedure.' })
export class ScreeningInput {
  @Field(() => Boolean) immediateRisk!: boolean;
  @Field(() => Boolean) systemicIssue!: boolean;
  @Field(() => Boolean) complaint!: boolean;
  @Field(() => Boolean) allegationAgainstStaff!: boolean;
  @Field(() => Boolean) whistleblowing!: boolean;
}

@InputType()
export class RaiseEscalationInput {
  @Field(() => EscalationTypeEnum, { nullable: true, defaultValue: EscalationTypeEnum.GENERAL })
  type?: EscalationTypeEnum | null;
  @Field(() => ID) respondingAgencyId!: string;
  @Field(() => ID, {
    nullable: true,
    description: 'Named practitioner in the responding agency, when known.',
  })
  respondentPersonId?: string | null;
  @Field(() => DisagreementCategory) category!: DisagreementCategory;
  @Field(() => UrgencyEnum) urgency!: UrgencyEnum;
  @Field(() => LevelOfNeed) levelOfNeed!: LevelOfNeed;
  @Field(() => String) summary!: string;
  @Field(() => String) desiredOutcome!: string;
  @Field(() => String) riskSummary!: string;
  @Field(() => Boolean, { nullable: true, defaultValue: false }) immediateRiskActioned?: boolean | null;
  @Field(() => ChildInput, {
    description: 'The child the case concerns; with siblings, the first of them (see siblings).',
  })
  child!: ChildInput;
  @Field(() => [ChildInput], {
    nullable: true,
    description:
      'Further children of the same family the case also concerns, in order after child (at most 9: a case concerns at most 10 children). Each is encrypted, audited when read and purged with the case.',
  })
  siblings?: ChildInput[] | null;
  @Field(() => ScreeningInput) screening!: ScreeningInput;
  @Field(() => Boolean, {
    nullable: true,
    defaultValue: false,
    description: 'Start at stage 0 (the partnership’s reflective step).',
  })
  startWithReflectiveStep?: boolean | null;
  @Field(() => GraphQLISODateTime, {
    nullable: true,
    description:
      'When the challenge really began, if earlier than now (at most 20 working days back): the first stage’s clock starts then, and a deadline already passed is breached at once. Recorded in the audit trail.',
  })
  challengedAt?: Date | null;
  @Field(() => DateScalar, { nullable: true, description: 'Required for CPC_DISSENT.' })
  conferenceDate?: string | null;
  @Field(() => String, {
    nullable: true,
    description: 'Retries with the same key return the first result and create nothing new.',
  })
  idempotencyKey?: string | null;
}
