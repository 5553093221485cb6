import { Field, ID, InputType, ObjectType } from '@nestjs/graphql';
import { AgencyType, PartnershipCode, RoleTypeEnum, UserError } from '@hips/common';
import { GraphQLISODateTime } from '@nestjs/graphql';
import { Agency, OrgUnit, Person, Viewer } from '../directory.models';

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

@ObjectType()
export class LoginPayload {
  @Field(() => String, { nullable: true }) accessToken?: string | null;
  @Field(() => String, { nullable: true }) refreshToken?: string | null;
  @Field(() => GraphQLISODateTime, { nullable: true }) expiresAt?: Date | null;
  @Field(() => Viewer, { nullable: true }) viewer?: Viewer | null;
  @Field(() => [UserError]) userErrors!: UserError[];
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

@ObjectType()
export class AgencyPayload {
  @Field(() => Agency, { nullable: true }) agency?: Agency | null;
  @Field(() => [UserError]) userErrors!: UserError[];
}

@InputType()
export class CreateOrgUnitInput {
  @Field(() => ID) agencyId!: string;
  @Field(() => String) name!: string;
  @Field(() => ID, { nullable: true }) parentId?: string | null;
}

@ObjectType()
export class OrgUnitPayload {
  @Field(() => OrgUnit, { nullable: true }) orgUnit?: OrgUnit | null;
  @Field(() => [UserError]) userErrors!: UserError[];
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

@ObjectType()
export class PersonPayload {
  @Field(() => Person, { nullable: true }) person?: Person | null;
  @Field(() => String, { nullable: true, description: 'Returned once when the password was generated.' })
  initialPassword?: string | null;
  @Field(() => [UserError]) userErrors!: UserError[];
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

@ObjectType()
export class ApiKeyPayload {
  @Field(() => String, { nullable: true, description: 'The secret, shown once.' }) apiKey?: string | null;
  @Field(() => ID, { nullable: true }) keyId?: string | null;
  @Field(() => [UserError]) userErrors!: UserError[];
}
