import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { PartnershipEntity } from '../../directory/src/partnership.entity';

/**
 * The analytics read model (docs/api/analytics.md): aggregate-ready rows with no child identifiers and no free text, kept up to
 * date from the case tables by the worker (refresh.ts). Analysts read them through the hips_analytics role, which
 * has SELECT on these tables only (and not on `escalation_id`), never on the case tables
 * (migrations/1795653299100-AnalyticsSecurity.ts).
 */

/**
 * One row per case: codes, agency ids and types, dates, working-day durations and counts. `escalation_id` is the
 * key the refresh recomputes a row by; the analytics role has no privilege on that column (column grants), so no
 * analyst query can select, filter or join on it.
 */
@Entity('analytics_case_facts')
@Index(['partnershipId', 'raisedMonth'])
@Index(['partnershipId', 'closedOn'])
export class CaseFactEntity {
  @PrimaryColumn({ name: 'partnership_id', type: 'uuid' }) partnershipId!: string;
  @PrimaryColumn({ name: 'escalation_id', type: 'uuid' }) escalationId!: string;
  @Column({ name: 'raised_at', type: 'timestamptz' }) raisedAt!: Date;
  /** London calendar date of raising, and the first day of its month. */
  @Column({ name: 'raised_on', type: 'date' }) raisedOn!: string;
  @Column({ name: 'raised_month', type: 'date' }) raisedMonth!: string;
  /** Closed (resolved, closed by the partnership or withdrawn): instant and London date. */
  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true }) closedAt!: Date | null;
  @Column({ name: 'closed_on', type: 'date', nullable: true }) closedOn!: string | null;
  /** RESOLVED or CLOSED_BY_PARTNERSHIP (a withdrawal is closed, not resolved). */
  @Column({ type: 'boolean', default: false }) resolved!: boolean;
  @Column({ type: 'text' }) type!: string;
  @Column({ type: 'text' }) status!: string;
  @Column({ type: 'text' }) urgency!: string;
  @Column({ type: 'text' }) category!: string;
  @Column({ name: 'level_of_need', type: 'text' }) levelOfNeed!: string;
  @Column({ name: 'raising_agency_id', type: 'uuid' }) raisingAgencyId!: string;
  @Column({ name: 'raising_agency_type', type: 'text' }) raisingAgencyType!: string;
  @Column({ name: 'responding_agency_id', type: 'uuid' }) respondingAgencyId!: string;
  @Column({ name: 'responding_agency_type', type: 'text' }) respondingAgencyType!: string;
  /** The highest stage number opened (0 when only the reflective step ran). */
  @Column({ name: 'highest_stage', type: 'integer' }) highestStage!: number;
  /** The stage the case was closed at (null while open). */
  @Column({ name: 'closing_stage', type: 'integer', nullable: true }) closingStage!: number | null;
  @Column({ name: 'outcome_code', type: 'text', nullable: true }) outcomeCode!: string | null;
  /** Working days (libs/core workingDaysBetween, the case's pinned calendar) from raising to resolution. */
  @Column({ name: 'wd_to_resolution', type: 'integer', nullable: true }) wdToResolution!: number | null;
  /** Working days from raising to the first response of the responding agency (null: none yet). */
  @Column({ name: 'wd_to_first_response', type: 'integer', nullable: true }) wdToFirstResponse!:
    number | null;
  @Column({ name: 'stages_count', type: 'integer', default: 0 }) stagesCount!: number;
  @Column({ name: 'stages_breached', type: 'integer', default: 0 }) stagesBreached!: number;
  @Column({ type: 'integer', default: 0 }) extensions!: number;
  @Column({ name: 'used_stage0', type: 'boolean', default: false }) usedStage0!: boolean;
  @Column({ name: 'resolved_at_stage0', type: 'boolean', default: false }) resolvedAtStage0!: boolean;
  @Column({ type: 'boolean', default: false }) reopened!: boolean;
  @Column({ type: 'boolean', default: false }) systemic!: boolean;
  /** Children the case concerns (the case's child_count, kept after the retention purge). */
  @Column({ type: 'integer', default: 1 }) children!: number;
  /** Learning themes mapped to a fixed vocabulary of codes (learning-themes.ts); free text never lands here. */
  @Column({ name: 'learning_themes', type: 'text', array: true, default: () => "'{}'" })
  learningThemes!: string[];
  @Column({ name: 'refreshed_at', type: 'timestamptz', default: () => 'now()' }) refreshedAt!: Date;
  @ManyToOne(() => PartnershipEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'partnership_id' })
  partnership?: PartnershipEntity;
}

/** Agency names and types for the agency dimensions (directory facts, not case data). */
@Entity('analytics_agencies')
export class AnalyticsAgencyEntity {
  @PrimaryColumn({ name: 'agency_id', type: 'uuid' }) agencyId!: string;
  @Column({ type: 'text' }) name!: string;
  @Column({ type: 'text' }) type!: string;
  @Column({ name: 'refreshed_at', type: 'timestamptz', default: () => 'now()' }) refreshedAt!: Date;
}

/** Per partnership: how far the incremental refresh has read escalation_events. */
@Entity('analytics_watermarks')
export class AnalyticsWatermarkEntity {
  @PrimaryColumn({ name: 'partnership_id', type: 'uuid' }) partnershipId!: string;
  /** The newest event (and stage breach) instant seen by the last refresh; null before the first. */
  @Column({ name: 'last_event_at', type: 'timestamptz', nullable: true }) lastEventAt!: Date | null;
  @Column({ name: 'refreshed_at', type: 'timestamptz', nullable: true }) refreshedAt!: Date | null;
  @Column({ name: 'cases_refreshed', type: 'integer', default: 0 }) casesRefreshed!: number;
  @ManyToOne(() => PartnershipEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'partnership_id' })
  partnership?: PartnershipEntity;
}

/**
 * The pre-aggregated cells trend queries read (trend-cells.ts): per partnership, grouping of at most two
 * dimensions (a bitmask), month, basis ('R' raised in the month, 'C' resolved in it) and dimension values, the
 * counts of the basis's measures and a histogram of whole working days (index = days; to first response for 'R',
 * to resolution for 'C'). Maintained with the facts, in the same transaction; no identifiers.
 */
@Entity('analytics_trend_cells')
export class TrendCellEntity {
  @PrimaryColumn({ name: 'partnership_id', type: 'uuid' }) partnershipId!: string;
  @PrimaryColumn({ type: 'smallint' }) grouping!: number;
  @PrimaryColumn({ type: 'date' }) month!: string;
  @PrimaryColumn({ type: 'text' }) basis!: string;
  /** The grouping's dimension values in bit order; '' where it has fewer than two. */
  @PrimaryColumn({ type: 'text' }) k1!: string;
  @PrimaryColumn({ type: 'text' }) k2!: string;
  @Column({ type: 'integer', array: true }) counts!: number[];
  @Column({ type: 'integer', array: true }) hist!: number[];
  @ManyToOne(() => PartnershipEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'partnership_id' })
  partnership?: PartnershipEntity;
}

export const ANALYTICS_ENTITIES = [
  CaseFactEntity,
  AnalyticsAgencyEntity,
  AnalyticsWatermarkEntity,
  TrendCellEntity,
];
