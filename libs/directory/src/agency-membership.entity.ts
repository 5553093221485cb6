import { AgencyEntity } from './agency.entity';
import { PartnershipEntity } from './partnership.entity';
import { CreateDateColumn, Entity, Index, PrimaryColumn, JoinColumn, ManyToOne } from 'typeorm';

/** An agency is a relevant agency of a partnership. Tenant-owned. */
@Entity('agency_memberships')
@Index(['agencyId'])
export class AgencyMembershipEntity {
  @PrimaryColumn({ name: 'partnership_id', type: 'uuid' }) partnershipId!: string;
  @PrimaryColumn({ name: 'agency_id', type: 'uuid' }) agencyId!: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @ManyToOne(() => PartnershipEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'partnership_id' })
  partnership?: PartnershipEntity;
  @ManyToOne(() => AgencyEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'agency_id' })
  agency?: AgencyEntity;
}
