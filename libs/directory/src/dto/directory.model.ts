import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { AgencyType, Node, PageInfo, PartnershipCode, RoleTypeEnum } from '@hips/common';

@ObjectType({ implements: () => [Node] })
export class Partnership implements Node {
  readonly __typename = 'Partnership' as const;
  @Field(() => ID) id!: string;
  /** Internal uuid, not exposed. */
  uuid!: string;
  @Field(() => PartnershipCode) code!: PartnershipCode;
  @Field(() => String) name!: string;
  @Field(() => String) contactEmail!: string;
  @Field(() => String, { nullable: true }) reflectiveStepName!: string | null;
}

@ObjectType({ implements: () => [Node] })
export class Agency implements Node {
  readonly __typename = 'Agency' as const;
  @Field(() => ID) id!: string;
  uuid!: string;
  @Field(() => String) name!: string;
  @Field(() => AgencyType) type!: AgencyType;
}

@ObjectType({ implements: () => [Node] })
export class OrgUnit implements Node {
  readonly __typename = 'OrgUnit' as const;
  @Field(() => ID) id!: string;
  uuid!: string;
  agencyUuid!: string;
  parentUuid!: string | null;
  @Field(() => String) name!: string;
}

@ObjectType({ implements: () => [Node] })
export class Person implements Node {
  readonly __typename = 'Person' as const;
  @Field(() => ID) id!: string;
  uuid!: string;
  agencyUuid!: string;
  @Field(() => String) displayName!: string;
}

@ObjectType()
export class Viewer {
  @Field(() => Person, { nullable: true }) person!: Person | null;
  @Field(() => String, {
    nullable: true,
    description: 'Set when the caller is an agency system using an API key.',
  })
  apiClientName!: string | null;
  @Field(() => Partnership, { nullable: true }) partnership!: Partnership | null;
  @Field(() => [RoleTypeEnum]) roles!: RoleTypeEnum[];
}

@ObjectType()
export class AgencyEdge {
  @Field(() => String) cursor!: string;
  @Field(() => Agency) node!: Agency;
}

@ObjectType()
export class AgencyConnection {
  @Field(() => [AgencyEdge]) edges!: AgencyEdge[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
  @Field(() => Int) totalCount!: number;
}
