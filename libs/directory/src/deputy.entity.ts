import { PartnershipEntity } from './partnership.entity';
import { PersonEntity } from './person.entity';
import { RoleAssignmentEntity } from './role-assignment.entity';
import {
  CreateDateColumn,
  Column,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';

/** A deputy named on a post (role assignment): who stands in when the holder is absent. Tenant-owned. */
@Entity('post_deputies')
@Index(['partnershipId', 'roleAssignmentId', 'deputyPersonId'], { unique: true })
export class PostDeputyEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'partnership_id', type: 'uuid' }) partnershipId!: string;
  @Column({ name: 'role_assignment_id', type: 'uuid' }) roleAssignmentId!: string;
  @Index()
  @Column({ name: 'deputy_person_id', type: 'uuid' })
  deputyPersonId!: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @ManyToOne(() => PartnershipEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'partnership_id' })
  partnership?: PartnershipEntity;
  @ManyToOne(() => RoleAssignmentEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'role_assignment_id' })
  post?: RoleAssignmentEntity;
  @ManyToOne(() => PersonEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'deputy_person_id' })
  deputy?: PersonEntity;
}
