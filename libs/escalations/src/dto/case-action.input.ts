import { Field, ID, InputType, Int } from '@nestjs/graphql';
import { DateScalar } from '@hips/common';
import { NoteVisibility, OutcomeCode } from './escalation-enums';

/* The inputs of the actions on an open (or closed) case, one per mutation. */

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
