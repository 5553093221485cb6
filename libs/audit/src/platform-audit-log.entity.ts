import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Append-only trail of platform-level events that belong to no partnership (a platform operator's use of the queue
 * dashboard). One hash chain for the whole table, refused UPDATE/DELETE/TRUNCATE like audit_log; not readable
 * by the application role (docs/security/operators-and-production.md).
 */
@Entity('platform_audit_log')
export class PlatformAuditLogEntity {
  @PrimaryColumn({ type: 'bigint' }) seq!: string;
  @Column({ type: 'timestamptz', default: () => 'now()' }) at!: Date;
  @Column({ name: 'actor_type', type: 'text' }) actorType!: string;
  /** The operator's configured name: operators are not people of any partnership. */
  @Column({ name: 'actor_name', type: 'text' }) actorName!: string;
  @Column({ type: 'text' }) action!: string;
  @Column({ type: 'jsonb', default: () => "'{}'" }) detail!: Record<string, unknown>;
  @Column({ name: 'request_id', type: 'text', nullable: true }) requestId!: string | null;
  @Column({ name: 'prev_hash', type: 'text' }) prevHash!: string;
  @Column({ type: 'text' }) hash!: string;
}
