import { Field, GraphQLISODateTime, ID, ObjectType } from '@nestjs/graphql';
import { NoteVisibility } from './escalation-enums';

@ObjectType()
export class EscalationNote {
  @Field(() => ID) id!: string;
  authorUuid!: string | null;
  @Field(() => NoteVisibility) visibility!: NoteVisibility;
  @Field(() => String) text!: string;
  @Field(() => GraphQLISODateTime) createdAt!: Date;
}
