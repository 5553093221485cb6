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
import { AgencyEntity } from '../../directory/src/agency.entity';
import { PartnershipEntity } from '../../directory/src/partnership.entity';

/**
 * An agency system's HTTPS receiver of case events. The signing secret is kept only encrypted
 * (AES-256-GCM, bound to the endpoint id); it is shown once, at creation.
 */
@Entity('webhook_endpoints')
@Index(['partnershipId', 'agencyId'])
export class WebhookEndpointEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'partnership_id', type: 'uuid' }) partnershipId!: string;
  @Column({ name: 'agency_id', type: 'uuid' }) agencyId!: string;
  @Column({ type: 'text' }) url!: string;
  @Column({ name: 'secret_encrypted', type: 'text' }) secretEncrypted!: string;
  /** Event kinds to receive; empty means all. */
  @Column({ name: 'event_kinds', type: 'text', array: true, default: () => "'{}'" }) eventKinds!: string[];
  @Column({ name: 'created_by_person_id', type: 'uuid', nullable: true }) createdByPersonId!: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @Column({ name: 'disabled_at', type: 'timestamptz', nullable: true }) disabledAt!: Date | null;
  @ManyToOne(() => PartnershipEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'partnership_id' })
  partnership?: PartnershipEntity;
  @ManyToOne(() => AgencyEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'agency_id' })
  agency?: AgencyEntity;
}

/**
 * One event for one endpoint: the outbox row and the delivery log at once. PENDING (waiting for its first
 * attempt or a replay), FAILED (the last attempt failed; retried at next_attempt_at), DELIVERED, DEAD (given up).
 */
@Entity('webhook_deliveries')
@Index(['endpointId', 'eventId'], { unique: true })
@Index(['partnershipId', 'status', 'nextAttemptAt'])
@Index(['endpointId', 'createdAt'])
@Check('webhook_deliveries_status', `"status" in ('PENDING', 'DELIVERED', 'FAILED', 'DEAD')`)
export class WebhookDeliveryEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'partnership_id', type: 'uuid' }) partnershipId!: string;
  @Column({ name: 'endpoint_id', type: 'uuid' }) endpointId!: string;
  @Column({ name: 'event_id', type: 'uuid' }) eventId!: string;
  @Column({ name: 'event_kind', type: 'text' }) eventKind!: string;
  @Column({ type: 'jsonb' }) payload!: Record<string, unknown>;
  @Column({ type: 'text', default: 'PENDING' }) status!: string;
  @Column({ type: 'int', default: 0 }) attempts!: number;
  @Column({ name: 'next_attempt_at', type: 'timestamptz', default: () => 'now()' }) nextAttemptAt!: Date;
  @Column({ name: 'last_attempt_at', type: 'timestamptz', nullable: true }) lastAttemptAt!: Date | null;
  @Column({ name: 'last_status_code', type: 'int', nullable: true }) lastStatusCode!: number | null;
  @Column({ name: 'last_error', type: 'text', nullable: true }) lastError!: string | null;
  @Column({ name: 'last_duration_ms', type: 'int', nullable: true }) lastDurationMs!: number | null;
  @Column({ name: 'delivered_at', type: 'timestamptz', nullable: true }) deliveredAt!: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @ManyToOne(() => PartnershipEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'partnership_id' })
  partnership?: PartnershipEntity;
  @ManyToOne(() => WebhookEndpointEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'endpoint_id' })
  endpoint?: WebhookEndpointEntity;
}

/** The webhooks library's tables, registered by the composition root (apps/entities.ts). */
export const WEBHOOK_ENTITIES = [WebhookEndpointEntity, WebhookDeliveryEntity];
