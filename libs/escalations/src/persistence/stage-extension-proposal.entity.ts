import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { PartnershipEntity } from '../../../directory/src/partnership.entity';
import { EscalationEntity, EscalationStageEntity } from '../escalation.entity';

/**
 * One owner's proposal to extend the current stage, decided by the other side's owner (docs/procedure.md §4). Its
 * reason is free text shared by both owners; it never holds child identifiers.
 */
// Relation<> keeps the design-time types out of the emitted metadata: escalation.entity.ts lists this entity.
@Entity('stage_extension_proposals')
@Index(['partnershipId', 'stageId'])
export class StageExtensionProposalEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'partnership_id', type: 'uuid' }) partnershipId!: string;
  @Column({ name: 'escalation_id', type: 'uuid' }) escalationId!: string;
  @Column({ name: 'stage_id', type: 'uuid' }) stageId!: string;
  @Column({ name: 'proposed_by_person_id', type: 'uuid' }) proposedByPersonId!: string;
  /** RAISING or RESPONDING: the side whose owner proposed; the other side's owner decides. */
  @Column({ name: 'proposed_by_side', type: 'text' }) proposedBySide!: string;
  @Column({ name: 'working_days', type: 'integer' }) workingDays!: number;
  @Column({ type: 'text' }) reason!: string;
  /** PROPOSED, ACCEPTED, DECLINED or LAPSED. */
  @Column({ type: 'text' }) status!: string;
  @Column({ name: 'proposed_at', type: 'timestamptz' }) proposedAt!: Date;
  @Column({ name: 'decided_by_person_id', type: 'uuid', nullable: true }) decidedByPersonId!: string | null;
  @Column({ name: 'decided_at', type: 'timestamptz', nullable: true }) decidedAt!: Date | null;
  @ManyToOne(() => PartnershipEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'partnership_id' })
  partnership?: PartnershipEntity;
  @ManyToOne(() => EscalationEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'escalation_id' })
  escalation?: Relation<EscalationEntity>;
  @ManyToOne(() => EscalationStageEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'stage_id' })
  stage?: Relation<EscalationStageEntity>;
}
