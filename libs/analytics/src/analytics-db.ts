import { DataSource, type EntityManager } from 'typeorm';
import type { AppConfig } from '@hips/config';
import { initializeUntilReachable, resilientPool, statementLogging } from '@hips/database';

/**
 * The analytics read path: its own connection pool as hips_analytics, which may read the aggregate read model
 * (analytics_case_facts without its escalation_id, analytics_agencies, partnership codes) and nothing else: no
 * case table, no directory table, no SECURITY DEFINER function. Each unit of work is one read-only transaction
 * that names the partnerships it may read (`app.analytics_partnerships`, transaction-local), which row-level
 * security enforces as well as the service.
 */
export class AnalyticsDb {
  constructor(private readonly dataSource: DataSource) {}

  static async connect(config: AppConfig, applicationName: string, poolSize = 4): Promise<AnalyticsDb> {
    const make = () =>
      new DataSource({
        type: 'postgres',
        url: config.databaseAnalyticsUrl,
        entities: [],
        synchronize: false,
        // Test instrumentation (SQL_LOG_FILE), tagged so a test can tell this connection's statements apart.
        ...statementLogging('[analytics] '),
        ...resilientPool({ max: poolSize, application_name: applicationName }),
      });
    // Like the application connection: PostgreSQL unreachable at start-up is waited for, not a crash.
    const retry = { timeoutSeconds: config.databaseStartupTimeoutSeconds };
    return new AnalyticsDb(await initializeUntilReachable(config.databaseAnalyticsUrl, retry, make));
  }

  /**
   * One read-only unit of work for the partnerships; with timeoutMs, PostgreSQL cancels any statement of it that
   * runs longer (isQueryCanceled tells that error apart).
   */
  run<T>(partnershipIds: string[], work: (em: EntityManager) => Promise<T>, timeoutMs?: number): Promise<T> {
    if (partnershipIds.length === 0) throw new Error('AnalyticsDb.run needs at least one partnership');
    return this.dataSource.transaction(async (em) => {
      await em.query('set transaction read only');
      if (timeoutMs !== undefined) {
        await em.query(`select set_config('statement_timeout', $1, true)`, [String(Math.max(1, timeoutMs))]);
      }
      await em.query(`select set_config('app.analytics_partnerships', $1, true)`, [
        `{${partnershipIds.join(',')}}`,
      ]);
      return work(em);
    });
  }

  get source(): DataSource {
    return this.dataSource;
  }

  async close(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}

/** PostgreSQL's query_canceled: a statement stopped by statement_timeout. */
export function isQueryCanceled(error: unknown): boolean {
  return (error as { driverError?: { code?: string }; code?: string } | null)?.driverError?.code === '57014';
}
