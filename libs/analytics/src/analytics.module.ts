import { Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@hips/config';
import { AnalyticsDb } from './analytics-db';
import { AnalyticsExportController, BearerGuard } from './analytics.controller';
import { AnalyticsResolver } from './analytics.resolver';
import { ANALYTICS_DB, ANALYTICS_TIME_BUDGET, AnalyticsService, DISCLOSURE_POOL } from './analytics.service';
import { DisclosurePool } from './disclosure-pool';

/** escalationTrends and its exports, on the analytics read path (hips_analytics; see analytics-db.ts). */
@Module({
  providers: [
    {
      provide: ANALYTICS_DB,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) =>
        AnalyticsDb.connect(config, `hips-resolve-${config.processRole}-analytics`),
    },
    // Disclosure control runs on these threads, never on the request thread (docs/security/heavy-work.md).
    {
      provide: DISCLOSURE_POOL,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => new DisclosurePool(config.analytics.threads),
    },
    {
      provide: ANALYTICS_TIME_BUDGET,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => config.analytics.timeBudgetMs,
    },
    AnalyticsService,
    AnalyticsResolver,
    BearerGuard,
  ],
  controllers: [AnalyticsExportController],
  exports: [AnalyticsService],
})
export class AnalyticsModule implements OnApplicationShutdown {
  constructor(
    @Inject(ANALYTICS_DB) private readonly db: AnalyticsDb,
    @Inject(DISCLOSURE_POOL) private readonly pool: DisclosurePool,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.pool.close();
    await this.db.close();
  }
}
