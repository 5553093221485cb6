import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { UserError } from '@hips/common';
import { RedirectReason } from './escalation-enums';
import { EscalationNote } from './escalation-note.model';
import { Escalation } from './escalation.model';
import { LegalHold } from './legal-hold.model';

/* What the case mutations answer: the case (or note, or hold) and userErrors. */

@ObjectType()
export class RaiseEscalationPayload {
  @Field(() => Escalation, { nullable: true }) escalation?: Escalation | null;
  @Field(() => RedirectReason, {
    nullable: true,
    description: 'Set when screening redirected the intake; escalation is then null.',
  })
  redirect?: RedirectReason | null;
  @Field(() => String, { nullable: true }) guidance?: string | null;
  @Field(() => [UserError]) userErrors!: UserError[];
}

@ObjectType()
export class EscalationPayload {
  @Field(() => Escalation, { nullable: true }) escalation?: Escalation | null;
  @Field(() => [UserError]) userErrors!: UserError[];
}

@ObjectType()
export class EscalationNotePayload {
  @Field(() => EscalationNote, { nullable: true }) note?: EscalationNote | null;
  @Field(() => Escalation, { nullable: true }) escalation?: Escalation | null;
  @Field(() => [UserError]) userErrors!: UserError[];
}

@ObjectType({
  description:
    'Answer of placeLegalHold / liftLegalHold. `escalation` is null for a caller who may change the hold but not read the case (a partnership admin outside oversight).',
})
export class LegalHoldPayload {
  @Field(() => ID, { nullable: true }) escalationId?: string | null;
  @Field(() => Int, {
    nullable: true,
    description: 'The case version after the change (for expectedVersion).',
  })
  version?: number | null;
  @Field(() => LegalHold, {
    nullable: true,
    description: 'The hold in place after the change (null once lifted).',
  })
  legalHold?: LegalHold | null;
  @Field(() => Escalation, { nullable: true }) escalation?: Escalation | null;
  @Field(() => [UserError]) userErrors!: UserError[];
}
