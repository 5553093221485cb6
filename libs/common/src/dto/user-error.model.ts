import { Field, ObjectType } from '@nestjs/graphql';

/** One expected failure of a mutation, in its payload's userErrors (docs/architecture.md "Errors"). */
@ObjectType()
export class UserError {
  @Field(() => String, {
    description:
      'Stable machine-readable code, e.g. NOT_FOUND, FORBIDDEN, INVALID_STATE, VALIDATION, OUT_OF_SCOPE.',
  })
  code!: string;
  @Field(() => [String], {
    nullable: true,
    description: 'Path of the offending input field, e.g. ["input", "child", "nhsNumber"].',
  })
  field?: string[] | null;
  @Field(() => String)
  message!: string;
}
