import { Field, ID, InputType } from '@nestjs/graphql';
import { AgencyType, PartnershipCode, RoleTypeEnum } from '@hips/common';
import { GraphQLISODateTime } from '@nestjs/graphql';

@InputType()
export class LoginInput {
  @Field(() => String) email!: string;
  @Field(() => String) password!: string;
  @Field(() => PartnershipCode, {
    nullable: true,
    description: 'Needed when the person holds posts in more than one partnership.',
  })
  partnership?: PartnershipCode | null;
}

@InputType()
export class RefreshTokenInput {
  @Field(() => String) refreshToken!: string;
}

@InputType()
export class CreateAgencyInput {
  @Field(() => String) name!: string;
  @Field(() => AgencyType) type!: AgencyType;
  @Field(() => [PartnershipCode]) partnerships!: PartnershipCode[];
}

@InputType()
export class CreateOrgUnitInput {
  @Field(() => ID) agencyId!: string;
  @Field(() => String) name!: string;
  @Field(() => ID, { nullable: true }) parentId?: string | null;
}

@InputType()
export class InvitePersonInput {
  @Field(() => ID) agencyId!: string;
  @Field(() => String) email!: string;
  @Field(() => String) displayName!: string;
  @Field(() => String, {
    nullable: true,
    description: 'Initial password; omit to generate one that is returned once.',
  })
  password?: string | null;
}

@InputType()
export class AssignRoleInput {
  @Field(() => ID) personId!: string;
  @Field(() => ID) orgUnitId!: string;
  @Field(() => RoleTypeEnum) roleType!: RoleTypeEnum;
  @Field(() => [PartnershipCode]) partnerships!: PartnershipCode[];
  @Field(() => ID, {
    nullable: true,
    description: "The person this role's holder reports to, for routing escalations upward.",
  })
  managerPersonId?: string | null;
}

@InputType()
export class RevokeRoleInput {
  @Field(() => ID) personId!: string;
  @Field(() => ID) orgUnitId!: string;
  @Field(() => RoleTypeEnum) roleType!: RoleTypeEnum;
}

@InputType()
export class CreateApiKeyInput {
  @Field(() => ID) agencyId!: string;
  @Field(() => String) name!: string;
  @Field(() => GraphQLISODateTime, { nullable: true }) expiresAt?: Date | null;
}
