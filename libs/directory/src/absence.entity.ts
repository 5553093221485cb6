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
 * A period when a person is away (both dates inclusive, London calendar dates); routing passes them by.
 * Cancelling keeps the row (cancelled_at) for the record. Tenant-owned.
 */
@Entity('absences')
@Index(['partnershipId', 'personId'])
@Check('CHK_absences_period', '"starts_on" <= "ends_on"')
export class AbsenceEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'partnership_id', type: 'uuid' }) partnershipId!: string;
  @Column({ name: 'person_id', type: 'uuid' }) personId!: string;
  @Column({ name: 'starts_on', type: 'date' }) startsOn!: string;
  @Column({ name: 'ends_on', type: 'date' }) endsOn!: string;
  @Column({ type: 'text' }) reason!: string;
  @Column({ name: 'recorded_by_person_id', type: 'uuid', nullable: true }) recordedByPersonId!: string | null;
  @Column({ name: 'cancelled_at', type: 'timestamptz', nullable: true }) cancelledAt!: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @ManyToOne(() => PartnershipEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'partnership_id' })
  partnership?: PartnershipEntity;
  @ManyToOne(() => PersonEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'person_id' })
  person?: PersonEntity;
}
