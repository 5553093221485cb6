import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { PartnershipEntity } from '../../directory/src/partnership.entity';

/**
 * The notification outbox: one row per message and recipient, written in the transaction of the change that
 * causes it, delivered by the worker. Subjects and bodies carry a case reference, a stage, a due time and a link,
 * never child identifiers.
 */
@Entity('notifications')
@Index(['partnershipId', 'dedupeKey'], { unique: true })
@Index(['status', 'nextAttemptAt'])
export class NotificationEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'partnership_id', type: 'uuid' }) partnershipId!: string;
  /** Makes writing the same notification twice harmless (e.g. `<event id>:<recipient>`). */
  @Column({ name: 'dedupe_key', type: 'text' }) dedupeKey!: string;
  @Column({ name: 'escalation_id', type: 'uuid', nullable: true }) escalationId!: string | null;
  @Column({ type: 'text' }) kind!: string;
  @Column({ name: 'recipient_person_id', type: 'uuid', nullable: true }) recipientPersonId!: string | null;
  @Column({ name: 'recipient_email', type: 'text' }) recipientEmail!: string;
  @Column({ type: 'text' }) subject!: string;
  @Column({ type: 'text' }) body!: string;
  /** PENDING, SENT, or DEAD after too many failed attempts. */
  @Column({ type: 'text', default: 'PENDING' }) status!: string;
  @Column({ type: 'integer', default: 0 }) attempts!: number;
  @Column({ name: 'next_attempt_at', type: 'timestamptz', default: () => 'now()' }) nextAttemptAt!: Date;
  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true }) sentAt!: Date | null;
  @Column({ name: 'last_error', type: 'text', nullable: true }) lastError!: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @ManyToOne(() => PartnershipEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'partnership_id' })
  partnership?: PartnershipEntity;
}

/** The notifications library's tables, registered by the composition root (apps/entities.ts). */
export const NOTIFICATION_ENTITIES = [NotificationEntity];
