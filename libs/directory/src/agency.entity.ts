import { PartnershipEntity } from './partnership.entity';
import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryGeneratedColumn,
  JoinColumn,
  ManyToOne,
} from 'typeorm';

/**
 * An organisation. One agency may serve several partnerships (agency_memberships); row-level security
 * shows it only to partnerships it serves or the one that registered it.
 */
@Entity('agencies')
export class AgencyEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'text' }) name!: string;
  @Column({ type: 'text' }) type!: string;
  @Index()
  @Column({ name: 'registered_by_partnership_id', type: 'uuid' })
  registeredByPartnershipId!: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @ManyToOne(() => PartnershipEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'registered_by_partnership_id' })
  registeredBy?: PartnershipEntity;
}
