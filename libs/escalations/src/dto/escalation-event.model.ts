import { Field, GraphQLISODateTime, ID, Int, ObjectType } from '@nestjs/graphql';
import { Node, PageInfo } from '@hips/common';

@ObjectType({ implements: () => [Node] })
export class EscalationEvent implements Node {
  readonly __typename = 'EscalationEvent' as const;
  @Field(() => ID) id!: string;
  uuid!: string;
  escalationUuid!: string;
  actorUuid!: string | null;
  @Field(() => String, {
    description:
      'e.g. RAISED, RESPONDED, ESCALATED, EXTENDED, REMINDER_SENT, STAGE_BREACHED, RESOLVED, WITHDRAWN, REOPENED, NOTE_ADDED, AGREED_ACTION_DONE',
  })
  kind!: string;
  @Field(() => GraphQLISODateTime) at!: Date;
  @Field(() => Int, { nullable: true }) stage!: number | null;
  @Field(() => String, { nullable: true }) detail!: string | null;
}

@ObjectType()
export class EscalationEventEdge {
  @Field(() => String) cursor!: string;
  @Field(() => EscalationEvent) node!: EscalationEvent;
}

@ObjectType()
export class EscalationEventConnection {
  @Field(() => [EscalationEventEdge]) edges!: EscalationEventEdge[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
}
