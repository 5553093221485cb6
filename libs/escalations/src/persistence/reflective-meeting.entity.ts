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
import { PartnershipEntity } from '../../../directory/src/partnership.entity';

/**
 * The record of a case's reflective step (stage 0, docs/procedure.md §3): when the meeting was held, who
 * facilitated and attended (people of the partnership or free-text roles, never child identifiers) and its
 * outcome. Tenant-owned like the other case tables (row-level security in its migration).
 */
@Entity('reflective_meetings')
@Index(['partnershipId', 'escalationId'])
@Check('CHK_reflective_meetings_outcome', `"outcome" in ('RESOLVED', 'PROCEED_TO_STAGE_1')`)
@Check(
  'CHK_reflective_meetings_facilitator',
  `("facilitator_person_id" is null) <> ("facilitator_role" is null)`,
)
export class ReflectiveMeetingEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'partnership_id', type: 'uuid' }) partnershipId!: string;
  @Column({ name: 'escalation_id', type: 'uuid' }) escalationId!: string;
  @Column({ name: 'stage_id', type: 'uuid' }) stageId!: string;
  @Column({ name: 'held_at', type: 'timestamptz' }) heldAt!: Date;
  /** Exactly one of the facilitator's person and free-text role is set. */
  @Column({ name: 'facilitator_person_id', type: 'uuid', nullable: true }) facilitatorPersonId!:
    string | null;
  @Column({ name: 'facilitator_role', type: 'text', nullable: true }) facilitatorRole!: string | null;
  /** `[{ personId } | { role }]`, in the order given. */
  @Column({ type: 'jsonb' }) attendees!: unknown;
  /** RESOLVED or PROCEED_TO_STAGE_1. */
  @Column({ type: 'text' }) outcome!: string;
  @Column({ name: 'recorded_by_person_id', type: 'uuid', nullable: true }) recordedByPersonId!: string | null;
  @Column({ name: 'recorded_by_api_key_id', type: 'uuid', nullable: true }) recordedByApiKeyId!:
    string | null;
  @CreateDateColumn({ name: 'recorded_at', type: 'timestamptz' }) recordedAt!: Date;
  @ManyToOne(() => PartnershipEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'partnership_id' })
  partnership?: PartnershipEntity;
  // By name: escalation.entity.ts lists this entity, so importing it back would be a cycle.
  @ManyToOne('EscalationEntity', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'escalation_id' })
  escalation?: object;
  @ManyToOne('EscalationStageEntity', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'stage_id' })
  stage?: object;
}
