import { Field, GraphQLISODateTime, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { PageInfo, RoleTypeEnum } from '@hips/common';

/** Audit actions that change who may see what: posts, manager chains, deputies and four-eyes grants. */
export enum AccessChangeAction {
  ROLE_ASSIGNED = 'ROLE_ASSIGNED',
  ROLE_REVOKED = 'ROLE_REVOKED',
  MANAGER_CHANGED = 'MANAGER_CHANGED',
  DEPUTY_ADDED = 'DEPUTY_ADDED',
  DEPUTY_REMOVED = 'DEPUTY_REMOVED',
  ROLE_GRANT_REQUESTED = 'ROLE_GRANT_REQUESTED',
  ROLE_GRANT_APPROVED = 'ROLE_GRANT_APPROVED',
  ROLE_GRANT_DECLINED = 'ROLE_GRANT_DECLINED',
}
registerEnumType(AccessChangeAction, { name: 'AccessChangeAction' });

@ObjectType({
  description:
    'One change of access in the partnership, from the audit log: who changed what for whom, when.',
})
export class AccessChange {
  @Field(() => ID, { description: 'The audit sequence number within the partnership.' }) id!: string;
  @Field(() => GraphQLISODateTime) at!: Date;
  @Field(() => AccessChangeAction) action!: AccessChangeAction;
  @Field(() => String, { description: 'PERSON, API_KEY or SYSTEM.' }) actorType!: string;
  actorUuid!: string | null;
  personUuid!: string | null;
  orgUnitUuid!: string | null;
  managerUuid!: string | null;
  previousManagerUuid!: string | null;
  deputyUuid!: string | null;
  requestedByUuid!: string | null;
  @Field(() => RoleTypeEnum, { nullable: true }) roleType!: RoleTypeEnum | null;
  @Field(() => ID, { nullable: true, description: 'The four-eyes grant this change belongs to.' })
  grantId!: string | null;
  @Field(() => String, { nullable: true, description: 'Why a grant was declined.' }) reason!: string | null;
}

@ObjectType()
export class AccessChangeEdge {
  @Field(() => String) cursor!: string;
  @Field(() => AccessChange) node!: AccessChange;
}

@ObjectType()
export class AccessChangeConnection {
  @Field(() => [AccessChangeEdge]) edges!: AccessChangeEdge[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
  @Field(() => Int) totalCount!: number;
}
