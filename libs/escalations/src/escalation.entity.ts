import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { AgencyEntity } from '../../directory/src/agency.entity';
import { PartnershipEntity } from '../../directory/src/partnership.entity';
import { ReflectiveMeetingEntity } from './persistence/reflective-meeting.entity';
import { StageExtensionProposalEntity } from './persistence/stage-extension-proposal.entity';

/**
 * The escalation case tables. Every one is tenant-owned: partnership_id leads an index and row-level security
 * (FORCE) limits rows to the current partnership (migrations/1795653296100-EscalationsTenancy.ts).
 */

/** A case. `version` is the optimistic-concurrency counter every state change bumps with a guarded update. */
@Entity('escalations')
@Index(['partnershipId', 'reference'], { unique: true })
@Index(['partnershipId', 'idempotencyKey'], { unique: true })
@Index(['partnershipId', 'raisedAt', 'id'])
@Index(['partnershipId', 'status'])
// The retention purge looks for closed cases whose identifiers are still held (libs/escalations/src/retention.service.ts).
@Index('IDX_escalations_retention', ['partnershipId', 'closedAt'], {
  where: '"closed_at" IS NOT NULL AND "child_purged_at" IS NULL',
})
export class EscalationEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'partnership_id', type: 'uuid' }) partnershipId!: string;
  /** Human reference, unique within the partnership, e.g. PSCP-2026-000123. */
  @Column({ type: 'text' }) reference!: string;
  @Column({ type: 'text' }) type!: string;
  @Column({ type: 'text' }) status!: string;
  @Column({ type: 'text' }) urgency!: string;
  @Column({ type: 'text' }) category!: string;
  @Column({ name: 'level_of_need', type: 'text' }) levelOfNeed!: string;
  @Index()
  @Column({ name: 'raising_agency_id', type: 'uuid' })
  raisingAgencyId!: string;
  @Index()
  @Column({ name: 'responding_agency_id', type: 'uuid' })
  respondingAgencyId!: string;
  @Column({ name: 'raised_by_person_id', type: 'uuid', nullable: true }) raisedByPersonId!: string | null;
  @Column({ name: 'raised_by_api_key_id', type: 'uuid', nullable: true }) raisedByApiKeyId!: string | null;
  /** The named practitioner of the responding agency given at intake, if any. */
  @Column({ name: 'respondent_person_id', type: 'uuid', nullable: true }) respondentPersonId!: string | null;
  @Column({ type: 'text' }) summary!: string;
  @Column({ name: 'desired_outcome', type: 'text' }) desiredOutcome!: string;
  @Column({ name: 'risk_summary', type: 'text' }) riskSummary!: string;
  @Column({ name: 'immediate_risk_actioned', type: 'boolean', default: false })
  immediateRiskActioned!: boolean;
  @Column({ name: 'policy_version', type: 'integer' }) policyVersion!: number;
  /** The stage ladder pinned when the case was raised (stages, roles, working days). */
  @Column({ type: 'jsonb' }) ladder!: unknown;
  @Column({ name: 'calendar_version', type: 'integer', default: 0 }) calendarVersion!: number;
  /** The open stage (or the last one of a closed case). */
  @Column({ name: 'current_stage', type: 'integer', nullable: true }) currentStage!: number | null;
  @Column({ name: 'challenged_at', type: 'timestamptz', nullable: true }) challengedAt!: Date | null;
  @Column({ name: 'conference_date', type: 'date', nullable: true }) conferenceDate!: string | null;
  @Column({ name: 'raised_at', type: 'timestamptz' }) raisedAt!: Date;
  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true }) closedAt!: Date | null;
  @Column({ name: 'outcome_code', type: 'text', nullable: true }) outcomeCode!: string | null;
  @Column({ name: 'outcome_statement', type: 'text', nullable: true }) outcomeStatement!: string | null;
  @Column({ name: 'outcome_recorded_at', type: 'timestamptz', nullable: true })
  outcomeRecordedAt!: Date | null;
  @Column({ name: 'agreed_actions', type: 'jsonb', default: () => "'[]'" }) agreedActions!: unknown;
  @Column({ name: 'learning_themes', type: 'jsonb', default: () => "'[]'" }) learningThemes!: unknown;
  /** Flags: a systemic issue for the partnership; reopened at least once. */
  @Column({ name: 'systemic_issue', type: 'boolean', default: false }) systemicIssue!: boolean;
  @Column({ name: 'reopen_count', type: 'integer', default: 0 }) reopenCount!: number;
  /** Set when a stage breached under a RECOMMEND_ESCALATION policy, cleared when the case moves on. */
  @Column({ name: 'escalation_recommended_at', type: 'timestamptz', nullable: true })
  escalationRecommendedAt!: Date | null;
  /** Legal hold (docs/procedure.md §7): while set, the child identifiers are never purged. */
  @Column({ name: 'legal_hold_at', type: 'timestamptz', nullable: true }) legalHoldAt!: Date | null;
  @Column({ name: 'legal_hold_reason', type: 'text', nullable: true }) legalHoldReason!: string | null;
  @Column({ name: 'legal_hold_by_person_id', type: 'uuid', nullable: true }) legalHoldByPersonId!:
    string | null;
  /** When the retention purge removed the child identifiers (the sealed child row and the request fingerprint). */
  @Column({ name: 'child_purged_at', type: 'timestamptz', nullable: true }) childPurgedAt!: Date | null;
  /** Children the case concerns, set when raised: analytics counts them after the purge (docs/api/analytics.md). */
  @Column({ name: 'child_count', type: 'smallint', default: 1 }) childCount!: number;
  @Column({ type: 'integer', default: 1 }) version!: number;
  @Column({ name: 'idempotency_key', type: 'text', nullable: true }) idempotencyKey!: string | null;
  /** Keyed hash of the request that used the idempotency key (libs/escalations/src/idempotency.ts). */
  @Column({ name: 'request_fingerprint', type: 'text', nullable: true }) requestFingerprint!: string | null;
  @ManyToOne(() => PartnershipEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'partnership_id' })
  partnership?: PartnershipEntity;
  @ManyToOne(() => AgencyEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'raising_agency_id' })
  raisingAgency?: AgencyEntity;
  @ManyToOne(() => AgencyEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'responding_agency_id' })
  respondingAgency?: AgencyEntity;
}

/**
 * One child of a case (a case concerns 1..10 children, docs/procedure.md §7), encrypted at rest (AES-256-GCM, key
 * `identifierEncryptionKey`, the case id as associated data). `ordinal` orders them: 0 is the case's first child.
 */
@Entity('escalation_children')
@Index(['partnershipId', 'escalationId'])
@Index(['escalationId', 'ordinal'], { unique: true })
export class EscalationChildEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'partnership_id', type: 'uuid' }) partnershipId!: string;
  @Column({ name: 'escalation_id', type: 'uuid' }) escalationId!: string;
  @Column({ type: 'integer', default: 0 }) ordinal!: number;
  @Column({ type: 'bytea' }) ciphertext!: Buffer;
  @Column({ type: 'bytea' }) iv!: Buffer;
  @Column({ type: 'bytea' }) tag!: Buffer;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @ManyToOne(() => PartnershipEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'partnership_id' })
  partnership?: PartnershipEntity;
  @ManyToOne(() => EscalationEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'escalation_id' })
  escalation?: EscalationEntity;
}

/** One stage of a case, with its owners on both sides and how its due date was computed. */
@Entity('escalation_stages')
@Index(['escalationId', 'number'], { unique: true })
@Index(['partnershipId', 'escalationId'])
@Index(['partnershipId', 'raiserOwnerPersonId'])
@Index(['partnershipId', 'responderOwnerPersonId'])
export class EscalationStageEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'partnership_id', type: 'uuid' }) partnershipId!: string;
  @Column({ name: 'escalation_id', type: 'uuid' }) escalationId!: string;
  @Column({ type: 'integer' }) number!: number;
  @Column({ type: 'text' }) name!: string;
  @Column({ name: 'role_type', type: 'text' }) roleType!: string;
  @Column({ type: 'text' }) status!: string;
  /** False for the reflective step: its working days are a target, never breached. */
  @Column({ type: 'boolean', default: true }) breaches!: boolean;
  @Column({ name: 'opened_at', type: 'timestamptz' }) openedAt!: Date;
  @Column({ name: 'due_start', type: 'timestamptz', nullable: true }) dueStart!: Date | null;
  @Column({ name: 'due_at', type: 'timestamptz', nullable: true }) dueAt!: Date | null;
  @Column({ name: 'working_days', type: 'integer', nullable: true }) workingDays!: number | null;
  @Column({ name: 'due_explanation', type: 'text', nullable: true }) dueExplanation!: string | null;
  @Column({ name: 'skipped_dates', type: 'jsonb', default: () => "'[]'" }) skippedDates!: unknown;
  @Column({ name: 'breached_at', type: 'timestamptz', nullable: true }) breachedAt!: Date | null;
  @Column({ type: 'boolean', default: false }) extended!: boolean;
  @Column({ name: 'extension_reason', type: 'text', nullable: true }) extensionReason!: string | null;
  @Column({ name: 'extension_working_days', type: 'integer', nullable: true })
  extensionWorkingDays!: number | null;
  @Column({ name: 'raiser_owner_person_id', type: 'uuid', nullable: true }) raiserOwnerPersonId!:
    string | null;
  @Column({ name: 'responder_owner_person_id', type: 'uuid', nullable: true })
  responderOwnerPersonId!: string | null;
  @Column({ type: 'text', nullable: true }) response!: string | null;
  @Column({ name: 'responded_at', type: 'timestamptz', nullable: true }) respondedAt!: Date | null;
  /** Why the case was escalated out of this stage (or skipped past the next). */
  @Column({ name: 'escalation_rationale', type: 'text', nullable: true }) escalationRationale!: string | null;
  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true }) closedAt!: Date | null;
  @ManyToOne(() => PartnershipEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'partnership_id' })
  partnership?: PartnershipEntity;
  @ManyToOne(() => EscalationEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'escalation_id' })
  escalation?: EscalationEntity;
}

/** The case chronology. Never child identifiers. */
@Entity('escalation_events')
@Index(['partnershipId', 'escalationId', 'at', 'id'])
// The analytics refresh reads the events of a partnership since its watermark (libs/analytics).
@Index(['partnershipId', 'at'])
export class EscalationEventEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'partnership_id', type: 'uuid' }) partnershipId!: string;
  @Column({ name: 'escalation_id', type: 'uuid' }) escalationId!: string;
  @Column({ type: 'text' }) kind!: string;
  /** clock_timestamp(), so events of one transaction keep their order. */
  @Column({ type: 'timestamptz', default: () => 'clock_timestamp()' }) at!: Date;
  @Column({ name: 'actor_person_id', type: 'uuid', nullable: true }) actorPersonId!: string | null;
  @Column({ name: 'actor_api_key_id', type: 'uuid', nullable: true }) actorApiKeyId!: string | null;
  @Column({ type: 'integer', nullable: true }) stage!: number | null;
  @Column({ type: 'text', nullable: true }) detail!: string | null;
  @ManyToOne(() => PartnershipEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'partnership_id' })
  partnership?: PartnershipEntity;
  @ManyToOne(() => EscalationEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'escalation_id' })
  escalation?: EscalationEntity;
}

/** Notes on a case: SHARED with both agencies, or PRIVATE to the author's agency. */
@Entity('escalation_notes')
@Index(['partnershipId', 'escalationId'])
export class EscalationNoteEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'partnership_id', type: 'uuid' }) partnershipId!: string;
  @Column({ name: 'escalation_id', type: 'uuid' }) escalationId!: string;
  @Column({ name: 'author_person_id', type: 'uuid', nullable: true }) authorPersonId!: string | null;
  @Column({ name: 'author_api_key_id', type: 'uuid', nullable: true }) authorApiKeyId!: string | null;
  @Column({ name: 'author_agency_id', type: 'uuid', nullable: true }) authorAgencyId!: string | null;
  @Column({ type: 'text' }) visibility!: string;
  @Column({ type: 'text' }) text!: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @ManyToOne(() => PartnershipEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'partnership_id' })
  partnership?: PartnershipEntity;
  @ManyToOne(() => EscalationEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'escalation_id' })
  escalation?: EscalationEntity;
}

/**
 * One row per stage deadline kind (DUE, REMINDER_HALF, REMINDER_DAY_BEFORE). PostgreSQL is the truth: moving or
 * cancelling bumps `version`, so a stale delayed job (`deadline-<id>-<version>`) finds nothing to fire.
 */
@Entity('deadlines')
@Index(['stageId', 'kind'], { unique: true })
// What the firing claim and the sweeper look for: pending rows only, so fired history does not slow them down.
@Index('IDX_deadlines_pending', ['partnershipId', 'dueAt'], {
  where: '"fired_at" IS NULL AND "cancelled_at" IS NULL',
})
export class DeadlineEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'partnership_id', type: 'uuid' }) partnershipId!: string;
  @Column({ name: 'escalation_id', type: 'uuid' }) escalationId!: string;
  @Column({ name: 'stage_id', type: 'uuid' }) stageId!: string;
  @Column({ type: 'text' }) kind!: string;
  @Column({ name: 'due_at', type: 'timestamptz' }) dueAt!: Date;
  @Column({ type: 'integer', default: 1 }) version!: number;
  @Column({ name: 'fired_at', type: 'timestamptz', nullable: true }) firedAt!: Date | null;
  @Column({ name: 'cancelled_at', type: 'timestamptz', nullable: true }) cancelledAt!: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @ManyToOne(() => PartnershipEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'partnership_id' })
  partnership?: PartnershipEntity;
  @ManyToOne(() => EscalationEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'escalation_id' })
  escalation?: EscalationEntity;
  @ManyToOne(() => EscalationStageEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'stage_id' })
  stage?: EscalationStageEntity;
}

/**
 * Transactional outbox: written with the change, relayed after commit (docs/architecture.md "Outbox") to BullMQ with `dedupe_key` as
 * the job id, so relaying twice is harmless. Payloads carry ids and codes only, never child identifiers.
 */
@Entity('outbox')
@Index(['partnershipId', 'createdAt'])
@Index(['relayedAt', 'createdAt'])
export class OutboxEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'partnership_id', type: 'uuid' }) partnershipId!: string;
  /** e.g. DEADLINE_SCHEDULED, DEADLINE_CANCELLED, ESCALATION_EVENT */
  @Column({ type: 'text' }) topic!: string;
  @Column({ name: 'dedupe_key', type: 'text' }) dedupeKey!: string;
  @Column({ type: 'jsonb' }) payload!: unknown;
  @Column({ name: 'available_at', type: 'timestamptz', default: () => 'now()' }) availableAt!: Date;
  @Column({ name: 'relayed_at', type: 'timestamptz', nullable: true }) relayedAt!: Date | null;
  @Column({ type: 'integer', default: 0 }) attempts!: number;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @ManyToOne(() => PartnershipEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'partnership_id' })
  partnership?: PartnershipEntity;
}

/** An intake that screening redirected: no case and no child identifiers. */
@Entity('redirected_intakes')
@Index(['partnershipId', 'at'])
@Index(['partnershipId', 'idempotencyKey'], { unique: true })
export class RedirectedIntakeEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'partnership_id', type: 'uuid' }) partnershipId!: string;
  @Column({ type: 'text' }) reason!: string;
  @Column({ name: 'raising_agency_id', type: 'uuid', nullable: true }) raisingAgencyId!: string | null;
  @Column({ name: 'raised_by_person_id', type: 'uuid', nullable: true }) raisedByPersonId!: string | null;
  @Column({ name: 'raised_by_api_key_id', type: 'uuid', nullable: true }) raisedByApiKeyId!: string | null;
  @Column({ type: 'timestamptz', default: () => 'now()' }) at!: Date;
  /** A retried raise with this key answers with this redirect and writes nothing (as for a case). */
  @Column({ name: 'idempotency_key', type: 'text', nullable: true }) idempotencyKey!: string | null;
  /** Keyed hash of the request (no identifier can be recovered from it), to refuse a different one. */
  @Column({ name: 'request_fingerprint', type: 'text', nullable: true }) requestFingerprint!: string | null;
  @ManyToOne(() => PartnershipEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'partnership_id' })
  partnership?: PartnershipEntity;
}

/** Per partnership and year, the last reference number handed out (insert ... on conflict ... returning). */
@Entity('reference_counters')
export class ReferenceCounterEntity {
  @PrimaryColumn({ name: 'partnership_id', type: 'uuid' }) partnershipId!: string;
  @PrimaryColumn({ type: 'integer' }) year!: number;
  @Column({ type: 'integer' }) last!: number;
  @ManyToOne(() => PartnershipEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'partnership_id' })
  partnership?: PartnershipEntity;
}

export const ESCALATION_ENTITIES = [
  EscalationEntity,
  EscalationChildEntity,
  EscalationStageEntity,
  EscalationEventEntity,
  EscalationNoteEntity,
  DeadlineEntity,
  OutboxEntity,
  RedirectedIntakeEntity,
  ReferenceCounterEntity,
  ReflectiveMeetingEntity,
  StageExtensionProposalEntity,
];
