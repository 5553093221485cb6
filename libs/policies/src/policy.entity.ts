import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';
import type { StagePolicy } from '@hips/core';
import { AgencyEntity } from '../../directory/src/agency.entity';
import { PartnershipEntity } from '../../directory/src/partnership.entity';
import { PersonEntity } from '../../directory/src/person.entity';

/**
 * A version of an escalation policy: the partnership default (agency_id null) or one agency's, per escalation
 * type. Drafts are editable; a published version is immutable (a trigger refuses UPDATE and DELETE of published
 * rows). Tenant-owned. The two unique indexes use NULLS NOT DISTINCT (the default policy has no agency), which
 * TypeORM cannot express, so they are created by the hand migration and not synchronised.
 */
@Entity('escalation_policies')
@Index('UQ_escalation_policies_version', { synchronize: false })
@Index('UQ_escalation_policies_one_draft', { synchronize: false })
@Check('CHK_escalation_policies_type', `"type" in ('GENERAL', 'CPC_DISSENT', 'INTERNAL')`)
@Check('CHK_escalation_policies_internal_agency', `"type" <> 'INTERNAL' OR "agency_id" IS NOT NULL`)
@Check('CHK_escalation_policies_version', '"version" >= 1')
@Check('CHK_escalation_policies_published', '("published_at" is null) = ("effective_from" is null)')
export class EscalationPolicyEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'partnership_id', type: 'uuid' }) partnershipId!: string;
  @Column({ name: 'agency_id', type: 'uuid', nullable: true }) agencyId!: string | null;
  @Column({ type: 'text' }) type!: string;
  @Column({ type: 'int' }) version!: number;
  /** The ladder, StagePolicy[] of libs/core, ordered by stage number. */
  @Column({ type: 'jsonb' }) stages!: StagePolicy[];
  @Column({ name: 'created_by_person_id', type: 'uuid', nullable: true }) createdByPersonId!: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' }) updatedAt!: Date;
  @Column({ name: 'published_at', type: 'timestamptz', nullable: true }) publishedAt!: Date | null;
  @Column({ name: 'published_by_person_id', type: 'uuid', nullable: true })
  publishedByPersonId!: string | null;
  @Column({ name: 'effective_from', type: 'timestamptz', nullable: true }) effectiveFrom!: Date | null;
  /** Requested at publication; a no-op until cases exist (issues 4 and 5). */
  @Column({ name: 'apply_to_open_cases', type: 'boolean', default: false }) applyToOpenCases!: boolean;

  @ManyToOne(() => PartnershipEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'partnership_id' })
  partnership?: PartnershipEntity;

  @ManyToOne(() => AgencyEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'agency_id' })
  agency?: AgencyEntity;

  @ManyToOne(() => PersonEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'created_by_person_id' })
  createdBy?: PersonEntity;

  @ManyToOne(() => PersonEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'published_by_person_id' })
  publishedBy?: PersonEntity;
}

/** The policies library's tables, registered by the composition root (apps/entities.ts). */
export const POLICY_ENTITIES = [EscalationPolicyEntity];
