import { Field, InputType } from '@nestjs/graphql';
import { DateScalar } from '@hips/common';

@InputType()
export class AddClosureDayInput {
  @Field(() => DateScalar) date!: string;
  @Field(() => String) reason!: string;
}

@InputType()
export class RemoveClosureDayInput {
  @Field(() => DateScalar) date!: string;
  @Field(() => String, { description: 'Why the closure day is withdrawn (recorded with the new version).' })
  reason!: string;
}
