import { Field, GraphQLISODateTime, ID, InputType, Int } from '@nestjs/graphql';
import { DateScalar, EscalationTypeEnum, PartnershipCode, UrgencyEnum } from '@hips/common';
import {
  DisagreementCategory,
  EscalationStatus,
  LevelOfNeed,
  NoteVisibility,
  OutcomeCode,
} from '../escalation.models';

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
  @Field(() => ChildInput) child!: ChildInput;
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

@InputType()
export class RespondInput {
  @Field(() => ID) escalationId!: string;
  @Field(() => String) response!: string;
  @Field(() => Int, { nullable: true }) expectedVersion?: number | null;
}

@InputType()
export class EscalateInput {
  @Field(() => ID) escalationId!: string;
  @Field(() => String) rationale!: string;
  @Field(() => Int, {
    nullable: true,
    description: 'Skip to a later stage (needs a manager); defaults to the next stage.',
  })
  toStage?: number | null;
  @Field(() => Int, { nullable: true }) expectedVersion?: number | null;
}

@InputType()
export class ExtendStageInput {
  @Field(() => ID) escalationId!: string;
  @Field(() => Int) workingDays!: number;
  @Field(() => String) reason!: string;
  @Field(() => Int, { nullable: true }) expectedVersion?: number | null;
}

@InputType()
export class AgreedActionInput {
  @Field(() => String) description!: string;
  @Field(() => ID) ownerAgencyId!: string;
  @Field(() => DateScalar, { nullable: true }) dueDate?: string | null;
}

@InputType()
export class ResolveInput {
  @Field(() => ID) escalationId!: string;
  @Field(() => OutcomeCode) outcome!: OutcomeCode;
  @Field(() => String) statement!: string;
  @Field(() => [AgreedActionInput], { nullable: true }) agreedActions?: AgreedActionInput[] | null;
  @Field(() => [String], { nullable: true }) learningThemes?: string[] | null;
  @Field(() => Boolean, { nullable: true, defaultValue: false }) systemicIssue?: boolean | null;
  @Field(() => Int, { nullable: true }) expectedVersion?: number | null;
}

@InputType()
export class MarkAgreedActionDoneInput {
  @Field(() => ID) escalationId!: string;
  @Field(() => Int, {
    description: 'Position of the action in outcome.agreedActions, from 0.',
  })
  index!: number;
  @Field(() => Int, { nullable: true }) expectedVersion?: number | null;
}

@InputType()
export class WithdrawInput {
  @Field(() => ID) escalationId!: string;
  @Field(() => String) reason!: string;
  @Field(() => Int, { nullable: true }) expectedVersion?: number | null;
}

@InputType()
export class ReopenInput {
  @Field(() => ID) escalationId!: string;
  @Field(() => String) reason!: string;
  @Field(() => Int, { nullable: true }) expectedVersion?: number | null;
}

@InputType()
export class PartnershipDecisionInput {
  @Field(() => ID) escalationId!: string;
  @Field(() => String) statement!: string;
  @Field(() => Int, { nullable: true }) expectedVersion?: number | null;
}

@InputType()
export class AddEscalationNoteInput {
  @Field(() => ID) escalationId!: string;
  @Field(() => String) text!: string;
  @Field(() => NoteVisibility) visibility!: NoteVisibility;
}

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

@InputType()
export class PlaceLegalHoldInput {
  @Field(() => ID) escalationId!: string;
  @Field(() => String, {
    description: 'Why the identifiers must be kept (e.g. the proceedings), 1-2000 characters.',
  })
  reason!: string;
  @Field(() => Int, { nullable: true }) expectedVersion?: number | null;
}

@InputType()
export class LiftLegalHoldInput {
  @Field(() => ID) escalationId!: string;
  @Field(() => String, { description: 'Why the hold ends, 1-2000 characters.' }) reason!: string;
  @Field(() => Int, { nullable: true }) expectedVersion?: number | null;
}
