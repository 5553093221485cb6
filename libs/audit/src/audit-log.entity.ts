import { PartnershipEntity } from '../../directory/src/partnership.entity';
import { Column, Entity, PrimaryColumn, JoinColumn, ManyToOne } from 'typeorm';

/**
 * Append-only audit trail. A trigger refuses UPDATE and DELETE and fills seq, prev_hash and hash, chaining each
 * row to the previous row of the same partnership; audit_verify_chain() finds the first broken link.
 */
@Entity('audit_log')
export class AuditLogEntity {
  @PrimaryColumn({ name: 'partnership_id', type: 'uuid' }) partnershipId!: string;
  @PrimaryColumn({ type: 'bigint' }) seq!: string;
  @Column({ type: 'timestamptz', default: () => 'now()' }) at!: Date;
  @Column({ name: 'actor_type', type: 'text' }) actorType!: string;
  @Column({ name: 'actor_id', type: 'uuid', nullable: true }) actorId!: string | null;
  @Column({ type: 'text' }) action!: string;
  @Column({ name: 'entity_type', type: 'text' }) entityType!: string;
  @Column({ name: 'entity_id', type: 'text', nullable: true }) entityId!: string | null;
  @Column({ type: 'jsonb', default: () => "'{}'" }) detail!: Record<string, unknown>;
  @Column({ name: 'request_id', type: 'text', nullable: true }) requestId!: string | null;
  @Column({ name: 'prev_hash', type: 'text' }) prevHash!: string;
  @Column({ type: 'text' }) hash!: string;
  @ManyToOne(() => PartnershipEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'partnership_id' })
  partnership?: PartnershipEntity;
}
