import { Field, GraphQLISODateTime, ObjectType, registerEnumType } from '@nestjs/graphql';

export enum ReflectiveMeetingOutcome {
  RESOLVED = 'RESOLVED',
  PROCEED_TO_STAGE_1 = 'PROCEED_TO_STAGE_1',
}
registerEnumType(ReflectiveMeetingOutcome, {
  name: 'ReflectiveMeetingOutcome',
  description: 'What the reflective step (stage 0) concluded.',
});

/** A facilitator or attendee: a person of the partnership (field `person`) or a free-text `role`. */
@ObjectType()
export class ReflectiveParticipant {
  personUuid!: string | null;
  @Field(() => String, { nullable: true }) role!: string | null;
}

/** The record of a case's reflective step (docs/procedure.md §3). */
@ObjectType()
export class ReflectiveMeeting {
  recordedByUuid!: string | null;
  @Field(() => GraphQLISODateTime) heldAt!: Date;
  @Field(() => ReflectiveParticipant) facilitator!: ReflectiveParticipant;
  @Field(() => [ReflectiveParticipant]) attendees!: ReflectiveParticipant[];
  @Field(() => ReflectiveMeetingOutcome) outcome!: ReflectiveMeetingOutcome;
  @Field(() => GraphQLISODateTime) recordedAt!: Date;
}
