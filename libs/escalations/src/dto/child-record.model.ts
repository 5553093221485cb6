import { Field, ObjectType } from '@nestjs/graphql';
import { DateScalar, PartnershipCode } from '@hips/common';

@ObjectType()
export class ChildRecord {
  @Field(() => String) initials!: string;
  @Field(() => DateScalar) dateOfBirth!: string;
  @Field(() => PartnershipCode) localAuthority!: PartnershipCode;
  @Field(() => String, { nullable: true }) nhsNumber!: string | null;
  @Field(() => String, { nullable: true }) localAuthorityCaseId!: string | null;
}
