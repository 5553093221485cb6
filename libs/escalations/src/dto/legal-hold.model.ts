import { Field, GraphQLISODateTime, ObjectType } from '@nestjs/graphql';

@ObjectType({
  description:
    'A legal hold on a case (procedure.md §7): while it is in place the child identifiers are kept past their retention date.',
})
export class LegalHold {
  placedByUuid!: string | null;
  @Field(() => GraphQLISODateTime) placedAt!: Date;
  @Field(() => String) reason!: string;
}
