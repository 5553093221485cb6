import { Field, GraphQLISODateTime, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import {
  DateScalar,
  DeadlineExplanationType,
  EscalationTypeEnum,
  Node,
  PageInfo,
  PartnershipCode,
  UrgencyEnum,
  UserError,
} from '@hips/common';

export enum EscalationStatus {
  OPEN = 'OPEN',
  RESOLVED = 'RESOLVED',
  CLOSED_BY_PARTNERSHIP = 'CLOSED_BY_PARTNERSHIP',
  WITHDRAWN = 'WITHDRAWN',
  REDIRECTED = 'REDIRECTED',
}
registerEnumType(EscalationStatus, { name: 'EscalationStatus' });

export enum StageStatus {
  AWAITING_RESPONSE = 'AWAITING_RESPONSE',
  RESPONDED = 'RESPONDED',
  CLOSED = 'CLOSED',
}
registerEnumType(StageStatus, { name: 'StageStatus' });

export enum DisagreementCategory {
  THRESHOLD_REFERRAL_NOT_ACCEPTED = 'THRESHOLD_REFERRAL_NOT_ACCEPTED',
  FURTHER_INFORMATION_REQUESTED = 'FURTHER_INFORMATION_REQUESTED',
  CP_PROCEDURES_S47 = 'CP_PROCEDURES_S47',
  STRATEGY_DISCUSSION = 'STRATEGY_DISCUSSION',
  ICPC_CONVENING = 'ICPC_CONVENING',
  CP_PLAN_IMPLEMENTATION = 'CP_PLAN_IMPLEMENTATION',
  ASSESSMENT_OUTCOME = 'ASSESSMENT_OUTCOME',
  STEP_DOWN_OR_CLOSURE = 'STEP_DOWN_OR_CLOSURE',
  INFORMATION_SHARING = 'INFORMATION_SHARING',
  SERVICE_PROVISION = 'SERVICE_PROVISION',
  ROLES_RESPONSIBILITIES = 'ROLES_RESPONSIBILITIES',
  COMMUNICATION = 'COMMUNICATION',
  DRIFT_DELAY = 'DRIFT_DELAY',
  OTHER = 'OTHER',
}
registerEnumType(DisagreementCategory, { name: 'DisagreementCategory' });

export enum LevelOfNeed {
  NONE = 'NONE',
  EARLY_HELP = 'EARLY_HELP',
  CHILD_IN_NEED = 'CHILD_IN_NEED',
  CHILD_PROTECTION = 'CHILD_PROTECTION',
  CHILD_LOOKED_AFTER = 'CHILD_LOOKED_AFTER',
}
registerEnumType(LevelOfNeed, { name: 'LevelOfNeed' });

export enum OutcomeCode {
  DECISION_CHANGED = 'DECISION_CHANGED',
  DECISION_UPHELD_RATIONALE_ACCEPTED = 'DECISION_UPHELD_RATIONALE_ACCEPTED',
  PARTIAL_ACTION_AGREED = 'PARTIAL_ACTION_AGREED',
  RESOLVED_BY_REFLECTIVE_STEP = 'RESOLVED_BY_REFLECTIVE_STEP',
  PARTNERSHIP_DECISION = 'PARTNERSHIP_DECISION',
  WITHDRAWN = 'WITHDRAWN',
  CIRCUMSTANCES_CHANGED = 'CIRCUMSTANCES_CHANGED',
}
registerEnumType(OutcomeCode, { name: 'OutcomeCode' });

export enum RedirectReason {
  IMMEDIATE_RISK = 'IMMEDIATE_RISK',
  SYSTEMIC_ISSUE = 'SYSTEMIC_ISSUE',
  COMPLAINT = 'COMPLAINT',
  INTRA_AGENCY = 'INTRA_AGENCY',
  ALLEGATION_AGAINST_STAFF = 'ALLEGATION_AGAINST_STAFF',
  WHISTLEBLOWING = 'WHISTLEBLOWING',
}
registerEnumType(RedirectReason, { name: 'RedirectReason' });

export enum NoteVisibility {
  SHARED = 'SHARED',
  PRIVATE = 'PRIVATE',
}
registerEnumType(NoteVisibility, {
  name: 'NoteVisibility',
  description: 'SHARED: both agencies and the partnership; PRIVATE: the author’s agency only.',
});

@ObjectType()
export class ChildRecord {
  @Field(() => String) initials!: string;
  @Field(() => DateScalar) dateOfBirth!: string;
  @Field(() => PartnershipCode) localAuthority!: PartnershipCode;
  @Field(() => String, { nullable: true }) nhsNumber!: string | null;
  @Field(() => String, { nullable: true }) localAuthorityCaseId!: string | null;
}

@ObjectType()
export class EscalationStage {
  uuid!: string;
  escalationUuid!: string;
  raiserOwnerUuid!: string | null;
  responderOwnerUuid!: string | null;
  @Field(() => Int) number!: number;
  @Field(() => String) name!: string;
  @Field(() => StageStatus) status!: StageStatus;
  @Field(() => GraphQLISODateTime) openedAt!: Date;
  @Field(() => GraphQLISODateTime, { nullable: true }) dueAt!: Date | null;
  @Field(() => Int, { nullable: true }) workingDays!: number | null;
  @Field(() => DeadlineExplanationType, { nullable: true }) due!: DeadlineExplanationType | null;
  @Field(() => Boolean) overdue!: boolean;
  @Field(() => GraphQLISODateTime, { nullable: true }) breachedAt!: Date | null;
  @Field(() => Boolean) extended!: boolean;
  @Field(() => String, { nullable: true }) response!: string | null;
  @Field(() => GraphQLISODateTime, { nullable: true }) respondedAt!: Date | null;
  @Field(() => GraphQLISODateTime, { nullable: true }) closedAt!: Date | null;
}

@ObjectType()
export class AgreedAction {
  ownerAgencyUuid!: string;
  @Field(() => String) description!: string;
  @Field(() => DateScalar, { nullable: true }) dueDate!: string | null;
  @Field(() => Boolean) done!: boolean;
}

@ObjectType()
export class EscalationOutcome {
  @Field(() => OutcomeCode) code!: OutcomeCode;
  @Field(() => String) statement!: string;
  @Field(() => [AgreedAction]) agreedActions!: AgreedAction[];
  @Field(() => [String]) learningThemes!: string[];
  @Field(() => Boolean) systemicIssue!: boolean;
  @Field(() => GraphQLISODateTime) recordedAt!: Date;
}

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

@ObjectType()
export class EscalationNote {
  @Field(() => ID) id!: string;
  authorUuid!: string | null;
  @Field(() => NoteVisibility) visibility!: NoteVisibility;
  @Field(() => String) text!: string;
  @Field(() => GraphQLISODateTime) createdAt!: Date;
}

@ObjectType({
  description:
    'A legal hold on a case (procedure.md §7): while it is in place the child identifiers are kept past their retention date.',
})
export class LegalHold {
  placedByUuid!: string | null;
  @Field(() => GraphQLISODateTime) placedAt!: Date;
  @Field(() => String) reason!: string;
}

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

@ObjectType()
export class RaiseEscalationPayload {
  @Field(() => Escalation, { nullable: true }) escalation?: Escalation | null;
  @Field(() => RedirectReason, {
    nullable: true,
    description: 'Set when screening redirected the intake; escalation is then null.',
  })
  redirect?: RedirectReason | null;
  @Field(() => String, { nullable: true }) guidance?: string | null;
  @Field(() => [UserError]) userErrors!: UserError[];
}

@ObjectType()
export class EscalationPayload {
  @Field(() => Escalation, { nullable: true }) escalation?: Escalation | null;
  @Field(() => [UserError]) userErrors!: UserError[];
}

@ObjectType()
export class EscalationNotePayload {
  @Field(() => EscalationNote, { nullable: true }) note?: EscalationNote | null;
  @Field(() => Escalation, { nullable: true }) escalation?: Escalation | null;
  @Field(() => [UserError]) userErrors!: UserError[];
}

@ObjectType({
  description:
    'Answer of placeLegalHold / liftLegalHold. `escalation` is null for a caller who may change the hold but not read the case (a partnership admin outside oversight).',
})
export class LegalHoldPayload {
  @Field(() => ID, { nullable: true }) escalationId?: string | null;
  @Field(() => Int, {
    nullable: true,
    description: 'The case version after the change (for expectedVersion).',
  })
  version?: number | null;
  @Field(() => LegalHold, {
    nullable: true,
    description: 'The hold in place after the change (null once lifted).',
  })
  legalHold?: LegalHold | null;
  @Field(() => Escalation, { nullable: true }) escalation?: Escalation | null;
  @Field(() => [UserError]) userErrors!: UserError[];
}
