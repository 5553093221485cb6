import { Field, GraphQLISODateTime, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { PartnershipCode, RoleTypeEnum, UserError } from '@hips/common';

export enum RoleGrantStatus {
  PENDING = 'PENDING',
  APPROVED = 'APPROVED',
  DECLINED = 'DECLINED',
  EXPIRED = 'EXPIRED',
}
registerEnumType(RoleGrantStatus, {
  name: 'RoleGrantStatus',
  description: 'EXPIRED: still pending when its expiry passed; it can no longer be approved.',
});

@ObjectType({
  description:
    'A four-eyes grant of PARTNERSHIP_MANAGER, SCRUTINEER or PARTNERSHIP_ADMIN: requested by one partnership admin, effective only once a second admin (neither the requester nor the grantee) approves it.',
})
export class RoleGrant {
  @Field(() => ID) id!: string;
  uuid!: string;
  personUuid!: string;
  orgUnitUuid!: string;
  managerUuid!: string | null;
  requestedByUuid!: string;
  decidedByUuid!: string | null;
  @Field(() => RoleTypeEnum) roleType!: RoleTypeEnum;
  @Field(() => PartnershipCode) partnership!: PartnershipCode;
  @Field(() => RoleGrantStatus) status!: RoleGrantStatus;
  @Field(() => GraphQLISODateTime) requestedAt!: Date;
  @Field(() => GraphQLISODateTime) expiresAt!: Date;
  @Field(() => GraphQLISODateTime, { nullable: true }) decidedAt!: Date | null;
  @Field(() => String, { nullable: true }) declineReason!: string | null;
}

@ObjectType()
export class RoleGrantPayload {
  @Field(() => RoleGrant, { nullable: true }) grant?: RoleGrant | null;
  @Field(() => [UserError]) userErrors!: UserError[];
}
