import { Field, ID, ObjectType } from '@nestjs/graphql';
import { UserError } from '@hips/common';
import { GraphQLISODateTime } from '@nestjs/graphql';
import { Agency, OrgUnit, Person, Viewer } from './directory.model';

@ObjectType()
export class LoginPayload {
  @Field(() => String, { nullable: true }) accessToken?: string | null;
  @Field(() => String, { nullable: true }) refreshToken?: string | null;
  @Field(() => GraphQLISODateTime, { nullable: true }) expiresAt?: Date | null;
  @Field(() => Viewer, { nullable: true }) viewer?: Viewer | null;
  @Field(() => [UserError]) userErrors!: UserError[];
}

@ObjectType()
export class AgencyPayload {
  @Field(() => Agency, { nullable: true }) agency?: Agency | null;
  @Field(() => [UserError]) userErrors!: UserError[];
}

@ObjectType()
export class OrgUnitPayload {
  @Field(() => OrgUnit, { nullable: true }) orgUnit?: OrgUnit | null;
  @Field(() => [UserError]) userErrors!: UserError[];
}

@ObjectType()
export class PersonPayload {
  @Field(() => Person, { nullable: true }) person?: Person | null;
  @Field(() => String, { nullable: true, description: 'Returned once when the password was generated.' })
  initialPassword?: string | null;
  @Field(() => [UserError]) userErrors!: UserError[];
}

@ObjectType()
export class ApiKeyPayload {
  @Field(() => String, { nullable: true, description: 'The secret, shown once.' }) apiKey?: string | null;
  @Field(() => ID, { nullable: true }) keyId?: string | null;
  @Field(() => [UserError]) userErrors!: UserError[];
}
