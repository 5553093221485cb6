import type { EntityManager } from 'typeorm';
import type { RequestContext } from '@hips/common';
import { changedRows } from './tenant-db';

/**
 * One tenant transaction and who it runs for (docs/architecture.md "Unit of work"), as Vendure's
 * TransactionalConnection does: use cases open it with `TenantDb.transaction`, repositories take it as their first
 * argument, so nobody passes `em` and `ctx` by hand in varying order.
 */
export class UnitOfWork {
  constructor(
    readonly ctx: RequestContext,
    readonly em: EntityManager,
  ) {}

  get partnershipId(): string {
    return this.ctx.partnershipId;
  }

  /** A statement inside this transaction (row-level security sees this unit's partnership). */
  query<T = unknown[]>(sql: string, params: unknown[] = []): Promise<T> {
    return this.em.query<T>(sql, params);
  }

  /** An UPDATE or DELETE ... RETURNING, answered with the returned rows. */
  changed<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    return changedRows<T>(this.em, sql, params);
  }
}
