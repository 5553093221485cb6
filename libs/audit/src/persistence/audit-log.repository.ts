import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { UnitOfWork } from '@hips/database';

/** One appended row; the trigger numbers it and chains its hash (seq, prev_hash and hash are placeholders). */
export interface AuditRowInput {
  actorType: string;
  actorId: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
  detail: Record<string, unknown>;
  requestId: string | null;
}

/** A row of the partnership's audit log as read back (seq as text: it is a bigint). */
export interface AuditLogRow {
  seq: string;
  at: Date;
  action: string;
  actor_type: string;
  actor_id: string | null;
  entity_id: string | null;
  detail: Record<string, unknown>;
}

/**
 * The hash-chained trails (audit_log per partnership, platform_audit_log). Appends run in whichever transaction
 * the caller's change runs in (an EntityManager, so the trail commits with the change); reads take the unit of work.
 */
@Injectable()
export class AuditLogRepository {
  /** The first broken link of the partnership's hash chain, or null when the chain holds (audit_verify_chain). */
  async firstBrokenLink(em: EntityManager, partnershipId: string): Promise<string | null> {
    const rows: { broken: string | null }[] = await em.query('select audit_verify_chain($1) as broken', [
      partnershipId,
    ]);
    return rows[0]?.broken ?? null;
  }

  async append(em: EntityManager, partnershipId: string, row: AuditRowInput): Promise<void> {
    await em.query(
      `insert into audit_log (partnership_id, seq, actor_type, actor_id, action, entity_type, entity_id, detail,
         request_id, prev_hash, hash)
       values ($1, 0, $2, $3, $4, $5, $6, $7, $8, '', '')`,
      [
        partnershipId,
        row.actorType,
        row.actorId,
        row.action,
        row.entityType,
        row.entityId,
        JSON.stringify(row.detail),
        row.requestId,
      ],
    );
  }

  /** Several rows of one actor in one statement; the trigger chains each row. */
  async appendMany(
    em: EntityManager,
    partnershipId: string,
    actor: { actorType: string; actorId: string | null; requestId: string | null },
    rows: { action: string; entityType: string; entityId: string | null; detail: Record<string, unknown> }[],
  ): Promise<void> {
    await em.query(
      `insert into audit_log (partnership_id, seq, actor_type, actor_id, action, entity_type, entity_id, detail,
         request_id, prev_hash, hash)
       select $1, 0, $2, $3, e.action, e.entity_type, e.entity_id, e.detail, $4, '', ''
         from jsonb_to_recordset($5::jsonb) as e(action text, entity_type text, entity_id text, detail jsonb)`,
      [
        partnershipId,
        actor.actorType,
        actor.actorId,
        actor.requestId,
        JSON.stringify(
          rows.map((e) => ({
            action: e.action,
            entity_type: e.entityType,
            entity_id: e.entityId,
            detail: e.detail,
          })),
        ),
      ],
    );
  }

  async appendPlatform(
    em: EntityManager,
    row: { actorType: string; actorName: string; action: string; detail: Record<string, unknown> },
    requestId: string | null,
  ): Promise<void> {
    await em.query(
      `insert into platform_audit_log (seq, actor_type, actor_name, action, detail, request_id, prev_hash, hash)
       values (0, $1, $2, $3, $4, $5, '', '')`,
      [row.actorType, row.actorName, row.action, JSON.stringify(row.detail), requestId],
    );
  }

  /** The first broken sequence number of the partnership's chain, or null when it is intact. */
  async firstBrokenSeq(em: EntityManager, partnershipId: string): Promise<string | null> {
    const rows: { broken: string | null }[] = await em.query(`select audit_verify_chain($1) as broken`, [
      partnershipId,
    ]);
    return rows[0]?.broken ?? null;
  }

  /** The unit's partnership's entries of these actions before `beforeSeq` (all when null), newest first. */
  entriesOf(
    uow: UnitOfWork,
    actions: readonly string[],
    beforeSeq: string | null,
    limit: number,
  ): Promise<AuditLogRow[]> {
    return uow.query(
      `select seq::text as seq, at, action, actor_type, actor_id, entity_id, detail from audit_log
        where partnership_id = $1 and action = any($2) and ($3::bigint is null or seq < $3::bigint)
        order by seq desc limit $4`,
      [uow.partnershipId, actions, beforeSeq, limit],
    );
  }

  /** How many entries of these actions the unit's partnership's log holds. */
  async countOf(uow: UnitOfWork, actions: readonly string[]): Promise<number> {
    const [{ count }]: { count: number }[] = await uow.query(
      'select count(*)::int as count from audit_log where partnership_id = $1 and action = any($2)',
      [uow.partnershipId, actions],
    );
    return count;
  }
}
