import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { actorOf, RequestContext } from '@hips/common';

export interface AuditEntry {
  action: string;
  entityType: string;
  entityId?: string | null;
  /** Never child identifiers, passwords or tokens: ids, codes and reasons only. */
  detail?: Record<string, unknown>;
}

export interface PlatformAuditEntry {
  actorType: 'PLATFORM_OPERATOR';
  actorName: string;
  action: string;
  detail?: Record<string, unknown>;
  requestId: string | null;
}

/** Appends to the hash-chained audit log inside the caller's transaction, so the trail commits with the change. */
@Injectable()
export class AuditService {
  async record(em: EntityManager, ctx: RequestContext, entry: AuditEntry): Promise<void> {
    const { actorType, actorId } = actorOf(ctx);
    await this.append(em, ctx.partnershipId, { ...entry, actorType, actorId, requestId: ctx.requestId });
  }

  /** Several entries in one statement (e.g. one CHILD_VIEWED per case of a page); the trigger chains each row. */
  async recordMany(em: EntityManager, ctx: RequestContext, entries: AuditEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const { actorType, actorId } = actorOf(ctx);
    await em.query(
      `insert into audit_log (partnership_id, seq, actor_type, actor_id, action, entity_type, entity_id, detail,
         request_id, prev_hash, hash)
       select $1, 0, $2, $3, e.action, e.entity_type, e.entity_id, e.detail, $4, '', ''
         from jsonb_to_recordset($5::jsonb) as e(action text, entity_type text, entity_id text, detail jsonb)`,
      [
        ctx.partnershipId,
        actorType,
        actorId,
        ctx.requestId,
        JSON.stringify(
          entries.map((e) => ({
            action: e.action,
            entity_type: e.entityType,
            entity_id: e.entityId ?? null,
            detail: e.detail ?? {},
          })),
        ),
      ],
    );
  }

  async append(
    em: EntityManager,
    partnershipId: string,
    entry: AuditEntry & { actorType: string; actorId: string | null; requestId?: string | null },
  ): Promise<void> {
    await em.query(
      `insert into audit_log (partnership_id, seq, actor_type, actor_id, action, entity_type, entity_id, detail,
         request_id, prev_hash, hash)
       values ($1, 0, $2, $3, $4, $5, $6, $7, $8, '', '')`,
      [
        partnershipId,
        entry.actorType,
        entry.actorId,
        entry.action,
        entry.entityType,
        entry.entityId ?? null,
        JSON.stringify(entry.detail ?? {}),
        entry.requestId ?? null,
      ],
    );
  }

  /** Appends a platform-level event (no partnership: a platform operator's action) to platform_audit_log. */
  async recordPlatform(em: EntityManager, entry: PlatformAuditEntry): Promise<void> {
    await em.query(
      `insert into platform_audit_log (seq, actor_type, actor_name, action, detail, request_id, prev_hash, hash)
       values (0, $1, $2, $3, $4, $5, '', '')`,
      [entry.actorType, entry.actorName, entry.action, JSON.stringify(entry.detail ?? {}), entry.requestId],
    );
  }

  /** The first broken sequence number of the partnership's chain, or null when it is intact. */
  async verifyChain(em: EntityManager, partnershipId: string): Promise<string | null> {
    const rows: { broken: string | null }[] = await em.query(`select audit_verify_chain($1) as broken`, [
      partnershipId,
    ]);
    return rows[0]?.broken ?? null;
  }
}
