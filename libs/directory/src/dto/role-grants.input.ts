import { Field, ID, InputType } from '@nestjs/graphql';
import { PartnershipCode, RoleTypeEnum } from '@hips/common';

@InputType()
export class RequestRoleGrantInput {
  @Field(() => ID, { description: 'The grantee; never the requester.' }) personId!: string;
  @Field(() => ID) orgUnitId!: string;
  @Field(() => RoleTypeEnum, { description: 'PARTNERSHIP_MANAGER, SCRUTINEER or PARTNERSHIP_ADMIN.' })
  roleType!: RoleTypeEnum;
  @Field(() => [PartnershipCode]) partnerships!: PartnershipCode[];
  @Field(() => ID, { nullable: true, description: "The post's manager, checked as for assignRole." })
  managerPersonId?: string | null;
}

@InputType()
export class ApproveRoleGrantInput {
  @Field(() => ID) grantId!: string;
}

@InputType()
export class DeclineRoleGrantInput {
  @Field(() => ID) grantId!: string;
  @Field(() => String, { nullable: true, description: 'Shown to admins and in the access changes.' })
  reason?: string | null;
}
