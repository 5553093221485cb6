import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { actorOf, RequestContext } from '@hips/common';
import type { UnitOfWork } from '@hips/database';
import { AuditLogRepository, type AuditLogRow } from './persistence/audit-log.repository';

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

/**
 * Appends to the hash-chained audit log inside the caller's transaction, so the trail commits with the change; reads
 * the partnership's entries back for other libraries (they never query audit_log by string).
 */
@Injectable()
export class AuditService {
  constructor(private readonly log: AuditLogRepository) {}

  async record(em: EntityManager, ctx: RequestContext, entry: AuditEntry): Promise<void> {
    const { actorType, actorId } = actorOf(ctx);
    await this.append(em, ctx.partnershipId, { ...entry, actorType, actorId, requestId: ctx.requestId });
  }

  /** Several entries in one statement (e.g. one CHILD_VIEWED per case of a page); the trigger chains each row. */
  async recordMany(em: EntityManager, ctx: RequestContext, entries: AuditEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const { actorType, actorId } = actorOf(ctx);
    await this.log.appendMany(
      em,
      ctx.partnershipId,
      { actorType, actorId, requestId: ctx.requestId },
      entries.map((e) => ({
        action: e.action,
        entityType: e.entityType,
        entityId: e.entityId ?? null,
        detail: e.detail ?? {},
      })),
    );
  }

  async append(
    em: EntityManager,
    partnershipId: string,
    entry: AuditEntry & { actorType: string; actorId: string | null; requestId?: string | null },
  ): Promise<void> {
    await this.log.append(em, partnershipId, {
      actorType: entry.actorType,
      actorId: entry.actorId,
      action: entry.action,
      entityType: entry.entityType,
      entityId: entry.entityId ?? null,
      detail: entry.detail ?? {},
      requestId: entry.requestId ?? null,
    });
  }

  /** Appends a platform-level event (no partnership: a platform operator's action) to platform_audit_log. */
  async recordPlatform(em: EntityManager, entry: PlatformAuditEntry): Promise<void> {
    await this.log.appendPlatform(
      em,
      {
        actorType: entry.actorType,
        actorName: entry.actorName,
        action: entry.action,
        detail: entry.detail ?? {},
      },
      entry.requestId,
    );
  }

  /** The first broken sequence number of the partnership's chain, or null when it is intact. */
  verifyChain(em: EntityManager, partnershipId: string): Promise<string | null> {
    return this.log.firstBrokenSeq(em, partnershipId);
  }

  /**
   * A page of the unit's partnership's entries of these actions, newest first, before sequence `beforeSeq` (from
   * the start when null), and how many such entries there are: two statements in the caller's unit of work.
   */
  async entriesPage(
    uow: UnitOfWork,
    actions: readonly string[],
    beforeSeq: string | null,
    limit: number,
  ): Promise<{ rows: AuditLogRow[]; totalCount: number }> {
    const rows = await this.log.entriesOf(uow, actions, beforeSeq, limit);
    const totalCount = await this.log.countOf(uow, actions);
    return { rows, totalCount };
  }
}
