import { DataSource } from 'typeorm';
import { refreshAllPartnerships, RefreshOptions } from '@hips/analytics';
import { loadConfig } from '@hips/config';
import { createAppDataSource, TenantDb } from '@hips/database';

/** The worker's refresh, run from the spec as the application role (the harness starts no worker). */
export async function withTenantDb<T>(work: (db: TenantDb) => Promise<T>): Promise<T> {
  const app = await createAppDataSource(loadConfig(), 'hips-resolve-analytics-spec').initialize();
  try {
    return await work(new TenantDb(app));
  } finally {
    await app.destroy();
  }
}

export function refresh(options: RefreshOptions = {}) {
  return withTenantDb((db) => refreshAllPartnerships(db, options));
}

/** The read model as the owner sees it, in a stable order, without the refresh instant. */
export async function factsSnapshot(owner: DataSource): Promise<unknown[]> {
  const rows: Record<string, unknown>[] = await owner.query(
    'select * from analytics_case_facts order by partnership_id, escalation_id',
  );
  return rows.map(({ refreshed_at: _, ...rest }) => rest);
}

/** The pre-aggregated trend cells as the owner sees them, in a stable order. */
export async function cellsSnapshot(owner: DataSource): Promise<unknown[]> {
  return owner.query(
    `select partnership_id, grouping, month::text as month, basis, k1, k2, counts, hist
       from analytics_trend_cells order by partnership_id, grouping, month, basis, k1, k2`,
  );
}

export const TRENDS = `query($input: EscalationTrendsInput!) {
  escalationTrends(input: $input) {
    suppressionThreshold
    buckets {
      periodStart
      dimensions { dimension value }
      raised { value suppressed display }
      resolved { value suppressed display }
      breachedStages { value suppressed display }
      medianWorkingDaysToResolution
      p90WorkingDaysToResolution
      medianWorkingDaysToFirstResponse
      stage0Used { value suppressed display }
      resolvedAtStage0 { value suppressed display }
      reopened { value suppressed display }
      systemicFlags { value suppressed display }
      resolvedAtStage { stage count { value suppressed display } }
      learningThemes { theme count { display } }
    }
  }
}`;
