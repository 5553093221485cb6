import { Field, GraphQLISODateTime, ID, Int, ObjectType } from '@nestjs/graphql';
import { EscalationTypeEnum, Node, PageInfo, UrgencyEnum } from '@hips/common';
import { DisagreementCategory, EscalationStatus, LevelOfNeed } from './escalation-enums';
import { EscalationOutcome } from './escalation-outcome.model';
import { LegalHold } from './legal-hold.model';

@ObjectType({ implements: () => [Node] })
export class Escalation implements Node {
  readonly __typename = 'Escalation' as const;
  @Field(() => ID) id!: string;
  uuid!: string;
  partnershipUuid!: string;
  raisingAgencyUuid!: string;
  respondingAgencyUuid!: string;
  raisedByUuid!: string | null;
  currentStageNumber!: number | null;
  @Field(() => String, {
    description: 'Human reference, unique within the partnership, e.g. PSCP-2026-000123.',
  })
  reference!: string;
  @Field(() => EscalationTypeEnum) type!: EscalationTypeEnum;
  @Field(() => EscalationStatus) status!: EscalationStatus;
  @Field(() => UrgencyEnum) urgency!: UrgencyEnum;
  @Field(() => DisagreementCategory) category!: DisagreementCategory;
  @Field(() => LevelOfNeed) levelOfNeed!: LevelOfNeed;
  @Field(() => String) summary!: string;
  @Field(() => String) desiredOutcome!: string;
  @Field(() => String) riskSummary!: string;
  @Field(() => Boolean) immediateRiskActioned!: boolean;
  @Field(() => EscalationOutcome, { nullable: true }) outcome!: EscalationOutcome | null;
  @Field(() => Int) policyVersion!: number;
  @Field(() => Boolean, {
    description: 'A stage breached under a RECOMMEND_ESCALATION policy and the case has not moved on since.',
  })
  escalationRecommended!: boolean;
  @Field(() => GraphQLISODateTime) raisedAt!: Date;
  @Field(() => GraphQLISODateTime, { nullable: true }) closedAt!: Date | null;
  @Field(() => LegalHold, {
    nullable: true,
    description:
      'Set while the case is on legal hold: its child identifiers are not purged at the end of retention.',
  })
  legalHold!: LegalHold | null;
  @Field(() => GraphQLISODateTime, {
    nullable: true,
    description:
      'When the child identifiers were purged at the end of retention (procedure.md §7); `child` is then null for everyone.',
  })
  childPurgedAt!: Date | null;
  @Field(() => Int, { description: 'Optimistic concurrency: pass it back as expectedVersion on mutations.' })
  version!: number;
}

@ObjectType()
export class EscalationEdge {
  @Field(() => String) cursor!: string;
  @Field(() => Escalation) node!: Escalation;
}

@ObjectType()
export class EscalationConnection {
  @Field(() => [EscalationEdge]) edges!: EscalationEdge[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
  @Field(() => Int) totalCount!: number;
}
