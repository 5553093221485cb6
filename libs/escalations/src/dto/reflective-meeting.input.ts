import { Field, GraphQLISODateTime, ID, InputType, Int } from '@nestjs/graphql';
import { ReflectiveMeetingOutcome } from './reflective-meeting.model';

/** A person of the partnership, or a free-text role ("Designated nurse"): exactly one of the two. */
@InputType()
export class ReflectiveParticipantInput {
  @Field(() => ID, { nullable: true }) personId?: string | null;
  @Field(() => String, {
    nullable: true,
    description: 'A role, not a name of the child or family: child identifiers are refused.',
  })
  role?: string | null;
}

@InputType()
export class RecordReflectiveMeetingInput {
  @Field(() => ID) escalationId!: string;
  @Field(() => GraphQLISODateTime, {
    description: 'When the meeting was held: not before stage 0 opened, not in the future.',
  })
  heldAt!: Date;
  @Field(() => ReflectiveParticipantInput) facilitator!: ReflectiveParticipantInput;
  @Field(() => [ReflectiveParticipantInput]) attendees!: ReflectiveParticipantInput[];
  @Field(() => ReflectiveMeetingOutcome, {
    description: 'RESOLVED resolves the case; PROCEED_TO_STAGE_1 opens stage 1 with its own deadline.',
  })
  outcome!: ReflectiveMeetingOutcome;
  @Field(() => Int, { nullable: true }) expectedVersion?: number | null;
}
