import { Field, ID, InputType, Int } from '@nestjs/graphql';

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
