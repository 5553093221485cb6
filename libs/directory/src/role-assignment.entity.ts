import { OrgUnitEntity } from './org-unit.entity';
import { PartnershipEntity } from './partnership.entity';
import { PersonEntity } from './person.entity';
import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryGeneratedColumn,
  JoinColumn,
  ManyToOne,
} from 'typeorm';

/** A post: a person holding a role type in a unit, for one partnership, reporting to a manager. Tenant-owned. */
@Entity('role_assignments')
@Index(['partnershipId', 'personId', 'orgUnitId', 'roleType'], { unique: true })
@Index(['partnershipId', 'orgUnitId', 'roleType'])
export class RoleAssignmentEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'partnership_id', type: 'uuid' }) partnershipId!: string;
  @Index()
  @Column({ name: 'person_id', type: 'uuid' })
  personId!: string;
  @Column({ name: 'org_unit_id', type: 'uuid' }) orgUnitId!: string;
  @Column({ name: 'role_type', type: 'text' }) roleType!: string;
  @Column({ name: 'manager_person_id', type: 'uuid', nullable: true }) managerPersonId!: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @ManyToOne(() => PartnershipEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'partnership_id' })
  partnership?: PartnershipEntity;
  @ManyToOne(() => PersonEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'person_id' })
  person?: PersonEntity;
  @ManyToOne(() => OrgUnitEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'org_unit_id' })
  orgUnit?: OrgUnitEntity;
  @ManyToOne(() => PersonEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'manager_person_id' })
  manager?: PersonEntity;
}
