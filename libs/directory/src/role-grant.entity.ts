import { OrgUnitEntity } from './org-unit.entity';
import { PartnershipEntity } from './partnership.entity';
import { PersonEntity } from './person.entity';
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

/**
 * A request, by one partnership admin, to grant a role that sees cases or reaches beyond one agency; it takes effect
 * only when a second admin (neither the requester nor the grantee) approves it (docs/security/separation-of-duties.md).
 * Decided requests are kept for the record. A pending request past expires_at reads as EXPIRED (and is stored so when the grant is requested again).
 * Tenant-owned.
 */
@Entity('role_grant_requests')
@Index(['partnershipId', 'status', 'requestedAt'])
@Index('UQ_role_grant_requests_pending', ['partnershipId', 'personId', 'orgUnitId', 'roleType'], {
  unique: true,
  where: `"status" = 'PENDING'`,
})
@Check('CHK_role_grant_requests_status', `"status" in ('PENDING', 'APPROVED', 'DECLINED', 'EXPIRED')`)
export class RoleGrantRequestEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'partnership_id', type: 'uuid' }) partnershipId!: string;
  @Column({ name: 'person_id', type: 'uuid' }) personId!: string;
  @Column({ name: 'org_unit_id', type: 'uuid' }) orgUnitId!: string;
  @Column({ name: 'role_type', type: 'text' }) roleType!: string;
  @Column({ name: 'manager_person_id', type: 'uuid', nullable: true }) managerPersonId!: string | null;
  @Column({ type: 'text', default: 'PENDING' }) status!: string;
  @Column({ name: 'requested_by_person_id', type: 'uuid' }) requestedByPersonId!: string;
  @CreateDateColumn({ name: 'requested_at', type: 'timestamptz' }) requestedAt!: Date;
  @Column({ name: 'expires_at', type: 'timestamptz' }) expiresAt!: Date;
  @Column({ name: 'decided_by_person_id', type: 'uuid', nullable: true }) decidedByPersonId!: string | null;
  @Column({ name: 'decided_at', type: 'timestamptz', nullable: true }) decidedAt!: Date | null;
  @Column({ name: 'decline_reason', type: 'text', nullable: true }) declineReason!: string | null;
  @ManyToOne(() => PartnershipEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'partnership_id' })
  partnership?: PartnershipEntity;
  @ManyToOne(() => PersonEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'person_id' })
  person?: PersonEntity;
  @ManyToOne(() => OrgUnitEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'org_unit_id' })
  orgUnit?: OrgUnitEntity;
}
