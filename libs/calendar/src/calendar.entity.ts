import {
  Check,
  Column,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { PartnershipEntity } from '../../directory/src/partnership.entity';
import { PersonEntity } from '../../directory/src/person.entity';

/**
 * One version of a partnership's calendar (its own closure days; weekends and bank holidays come from
 * libs/core). Every change creates the next version, published at once; versions are immutable (a trigger
 * refuses UPDATE and DELETE). Tenant-owned.
 */
@Entity('calendar_versions')
@Index(['partnershipId', 'version'], { unique: true })
@Check('CHK_calendar_versions_version', '"version" >= 1')
@Check('CHK_calendar_versions_change', `"change" in ('INITIAL', 'ADD', 'REMOVE')`)
export class CalendarVersionEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'partnership_id', type: 'uuid' }) partnershipId!: string;
  @Column({ type: 'int' }) version!: number;
  /** What this version changed relative to the previous one: INITIAL (seed), ADD or REMOVE a closure day. */
  @Column({ type: 'text' }) change!: string;
  @Column({ name: 'change_date', type: 'date', nullable: true }) changeDate!: string | null;
  @Column({ name: 'change_reason', type: 'text', nullable: true }) changeReason!: string | null;
  @Column({ name: 'changed_by_person_id', type: 'uuid', nullable: true }) changedByPersonId!: string | null;
  @Column({ name: 'published_at', type: 'timestamptz', default: () => 'now()' }) publishedAt!: Date;

  @ManyToOne(() => PartnershipEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'partnership_id' })
  partnership?: PartnershipEntity;

  @ManyToOne(() => PersonEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'changed_by_person_id' })
  changedBy?: PersonEntity;
}

/** The closure days of one calendar version (a full snapshot per version). Tenant-owned, immutable. */
@Entity('calendar_closure_days')
export class CalendarClosureDayEntity {
  @PrimaryColumn({ name: 'partnership_id', type: 'uuid' }) partnershipId!: string;
  @PrimaryColumn({ name: 'calendar_version_id', type: 'uuid' }) calendarVersionId!: string;
  @PrimaryColumn({ type: 'date' }) date!: string;
  @Column({ type: 'text' }) reason!: string;

  @ManyToOne(() => PartnershipEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'partnership_id' })
  partnership?: PartnershipEntity;

  @ManyToOne(() => CalendarVersionEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'calendar_version_id' })
  calendarVersion?: CalendarVersionEntity;
}

/** The calendar library's tables, registered by the composition root (apps/entities.ts). */
export const CALENDAR_ENTITIES = [CalendarVersionEntity, CalendarClosureDayEntity];
