import { Field, GraphQLISODateTime, ID, ObjectType } from '@nestjs/graphql';
import { Node } from '@hips/common';

/** An agency system's key as admins see it: never the secret. */
@ObjectType({ implements: () => [Node] })
export class ApiKey implements Node {
  readonly __typename = 'ApiKey' as const;
  @Field(() => ID) id!: string;
  agencyUuid!: string;
  @Field(() => String) name!: string;
  @Field(() => GraphQLISODateTime) createdAt!: Date;
  @Field(() => GraphQLISODateTime, { nullable: true }) expiresAt!: Date | null;
  @Field(() => GraphQLISODateTime, { nullable: true }) revokedAt!: Date | null;
  @Field(() => GraphQLISODateTime, { nullable: true }) lastUsedAt!: Date | null;
}
