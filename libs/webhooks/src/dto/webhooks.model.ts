import { Field, GraphQLISODateTime, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Node, PageInfo, UserError } from '@hips/common';
import { Agency } from '@hips/directory';

export enum WebhookDeliveryStatus {
  PENDING = 'PENDING',
  DELIVERED = 'DELIVERED',
  FAILED = 'FAILED',
  DEAD = 'DEAD',
}
registerEnumType(WebhookDeliveryStatus, {
  name: 'WebhookDeliveryStatus',
  valuesMap: {
    PENDING: { description: 'Waiting for its first attempt, or for a replay.' },
    DELIVERED: { description: 'The receiver answered 2xx.' },
    FAILED: { description: 'The last attempt failed; it is retried at nextAttemptAt.' },
    DEAD: {
      description: 'Given up: too many failed attempts, or the endpoint was disabled. Replay to retry.',
    },
  },
});

@ObjectType({
  implements: () => [Node],
  description: "An agency system's receiver of signed case events. The signing secret is never shown again.",
})
export class WebhookEndpoint implements Node {
  readonly __typename = 'WebhookEndpoint' as const;
  @Field(() => ID) id!: string;
  agencyUuid!: string;
  @Field(() => Agency, { nullable: true }) agency?: Agency | null;
  @Field(() => String) url!: string;
  @Field(() => [String], { description: 'Event kinds delivered (e.g. RAISED, ESCALATED); empty means all.' })
  events!: string[];
  @Field(() => Boolean) enabled!: boolean;
  @Field(() => GraphQLISODateTime) createdAt!: Date;
  @Field(() => GraphQLISODateTime, { nullable: true }) disabledAt!: Date | null;
}

@ObjectType({ implements: () => [Node], description: 'One event for one endpoint, and what became of it.' })
export class WebhookDelivery implements Node {
  readonly __typename = 'WebhookDelivery' as const;
  @Field(() => ID) id!: string;
  @Field(() => ID, {
    description: 'The EscalationEvent global id (the same in every delivery of the event).',
  })
  eventId!: string;
  @Field(() => String) eventKind!: string;
  @Field(() => WebhookDeliveryStatus) status!: WebhookDeliveryStatus;
  @Field(() => Int) attempts!: number;
  @Field(() => GraphQLISODateTime, {
    nullable: true,
    description: 'When the next attempt is due (PENDING, FAILED); null once DELIVERED or DEAD.',
  })
  nextAttemptAt!: Date | null;
  @Field(() => GraphQLISODateTime, { nullable: true }) lastAttemptAt!: Date | null;
  @Field(() => Int, {
    nullable: true,
    description: 'HTTP status of the last attempt; null if none came back.',
  })
  lastStatusCode!: number | null;
  @Field(() => String, {
    nullable: true,
    description:
      'One of "HTTP <status>" (redirects are not followed), "timed out after <ms> ms", "connection failed", ' +
      '"address not allowed" (the host is or resolves to an internal address), "endpoint disabled".',
  })
  lastError!: string | null;
  @Field(() => Int, { nullable: true }) lastDurationMs!: number | null;
  @Field(() => GraphQLISODateTime, { nullable: true }) deliveredAt!: Date | null;
  @Field(() => GraphQLISODateTime) createdAt!: Date;
  @Field(() => String, { description: 'The JSON body sent (no child identifiers, no free text).' })
  payload!: string;
  createdKey!: string;
  uuid!: string;
}

@ObjectType()
export class WebhookDeliveryEdge {
  @Field(() => String) cursor!: string;
  @Field(() => WebhookDelivery) node!: WebhookDelivery;
}

@ObjectType()
export class WebhookDeliveryConnection {
  @Field(() => [WebhookDeliveryEdge]) edges!: WebhookDeliveryEdge[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
  @Field(() => Int) totalCount!: number;
}

@ObjectType()
export class CreateWebhookEndpointPayload {
  @Field(() => WebhookEndpoint, { nullable: true }) endpoint?: WebhookEndpoint | null;
  @Field(() => String, {
    nullable: true,
    description: 'The signing secret: shown only in this answer. Keep it in the receiving system.',
  })
  signingSecret?: string | null;
  @Field(() => [UserError]) userErrors!: UserError[];
}

@ObjectType()
export class WebhookEndpointPayload {
  @Field(() => WebhookEndpoint, { nullable: true }) endpoint?: WebhookEndpoint | null;
  @Field(() => [UserError]) userErrors!: UserError[];
}

@ObjectType()
export class WebhookDeliveryPayload {
  @Field(() => WebhookDelivery, { nullable: true }) delivery?: WebhookDelivery | null;
  @Field(() => [UserError]) userErrors!: UserError[];
}
