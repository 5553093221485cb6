import { DataSource } from 'typeorm';
import { refreshAllPartnerships, RefreshOptions } from '@hips/analytics';
import { loadConfig } from '@hips/config';
import { createAppDataSource, TenantDb } from '@hips/database';
import { generateSyntheticCases } from '../../scripts/synthetic-data';
import { GqlResult, startTestApp, TestApp } from '../support/app';

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

/** The started app, the synthetic 2019 cases and the analysts' tokens that every analytics spec reads. */
export interface AnalyticsFixture {
  app: TestApp;
  analystPortsmouth: string;
  analystIow: string;
  hipsAnalyst: string;
  trends: (token: string, input: Record<string, unknown>) => Promise<GqlResult>;
}

/**
 * Cases are synthetic (scripts/synthetic-data.ts), raised in 2019 so that no other spec's cases mix in:
 * Portsmouth a few hundred over the year, the Isle of Wight a small March with known counts per category.
 */
export async function startAnalyticsFixture(): Promise<AnalyticsFixture> {
  const app = await startTestApp();
  const year = (from: string, to: string) => ({ start: new Date(from), end: new Date(to) });
  // Portsmouth: a few hundred cases over 2019, every mix.
  await generateSyntheticCases(app.owner, {
    count: 400,
    seed: 7,
    partnerships: ['PORTSMOUTH'],
    // Several batches on both connections (the default is 10,000 a batch).
    batchSize: 150,
    ...year('2019-01-02T09:00:00Z', '2019-12-20T16:00:00Z'),
  });
  // Isle of Wight, March 2019: 3 cases of OTHER (small), 20 threshold disputes, 9 drift-and-delay.
  const iow = (count: number, category: string, seed: number) =>
    generateSyntheticCases(app.owner, {
      count,
      seed,
      partnerships: ['ISLE_OF_WIGHT'],
      fixed: { category, status: 'RESOLVED', urgency: 'STANDARD' },
      ...year('2019-03-04T09:00:00Z', '2019-03-08T12:00:00Z'),
    });
  await iow(3, 'OTHER', 11);
  await iow(20, 'THRESHOLD_REFERRAL_NOT_ACCEPTED', 12);
  await iow(9, 'DRIFT_DELAY', 13);
  // Back-dated inserts need a rebuild: a worker of another spec may already have moved the watermark to now.
  await refresh({ full: true });
  return {
    app,
    analystPortsmouth: await app.login('analyst.portsmouth@demo.hips.test'),
    analystIow: await app.login('analyst.isle-of-wight@demo.hips.test'),
    hipsAnalyst: await app.login('analyst@demo.hips.test'),
    trends: (token, input) => app.gql(TRENDS, { input }, { token }),
  };
}

export async function closeAnalyticsFixture(app: TestApp): Promise<void> {
  // Other specs page through their partnership's cases: take the synthetic ones (no child rows) away again.
  await app.owner.query(
    `delete from escalations where reference like '%-S________%' and raised_at < '2020-01-01'`,
  );
  await refresh({ full: true });
  await app.close();
}

/** Loads the analytics fixture before the spec's tests and takes it away after; its fields are there once they run. */
export function useAnalyticsFixture(): AnalyticsFixture {
  const h = {} as AnalyticsFixture;
  beforeAll(async () => {
    Object.assign(h, await startAnalyticsFixture());
  }, 120_000);
  afterAll(() => closeAnalyticsFixture(h.app));
  return h;
}
