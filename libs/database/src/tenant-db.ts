import type { DataSource, EntityManager } from 'typeorm';
import type { RequestContext } from '@hips/common';
import { UnitOfWork } from './unit-of-work';

/** The tenant of a unit of work: the partnership whose rows it may see. */
export interface TenantScope {
  partnershipId: string;
}

/**
 * Runs work in one transaction bound to one partnership. The setting is transaction-local
 * (`set_config(..., true)`), so a pooled connection never carries a tenant into the next request.
 */
export class TenantDb {
  constructor(private readonly dataSource: DataSource) {}

  run<T>(scope: TenantScope, work: (em: EntityManager) => Promise<T>): Promise<T> {
    if (!scope.partnershipId) throw new Error('TenantDb.run needs a partnership');
    return this.dataSource.transaction(async (em) => {
      await em.query(`select set_config('app.partnership_id', $1, true)`, [scope.partnershipId]);
      return work(em);
    });
  }

  /** Runs a use case in one tenant transaction for `ctx` (docs/architecture.md "Unit of work"). */
  transaction<T>(ctx: RequestContext, work: (uow: UnitOfWork) => Promise<T>): Promise<T> {
    return this.run(ctx, (em) => work(new UnitOfWork(ctx, em)));
  }

  /** Work that may touch only tenant-free reference data (partnerships) or SECURITY DEFINER functions. */
  runWithoutTenant<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /** Every partnership (tenant), for jobs that serve them all one tenant transaction at a time. */
  async partnerships(): Promise<{ id: string; code: string }[]> {
    return this.runWithoutTenant((em) => em.query('select id, code from partnerships order by code'));
  }

  get source(): DataSource {
    return this.dataSource;
  }
}

/**
 * Runs an UPDATE or DELETE ... RETURNING and gives back the returned rows. (TypeORM answers such statements
 * with [rows, count] on PostgreSQL; selecting from a CTE makes it an ordinary row set.)
 */
export function changedRows<T>(em: EntityManager, sql: string, params: unknown[]): Promise<T[]> {
  return em.query<T[]>(`with changed as (${sql}) select * from changed`, params);
}
