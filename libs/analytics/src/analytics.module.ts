import { Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@hips/config';
import { AnalyticsDb } from './analytics-db';
import { AnalyticsExportController, BearerGuard } from './analytics.controller';
import { AnalyticsResolver } from './analytics.resolver';
import { ANALYTICS_DB, AnalyticsService } from './analytics.service';

/** escalationTrends and its exports, on the analytics read path (hips_analytics; see analytics-db.ts). */
@Module({
  providers: [
    {
      provide: ANALYTICS_DB,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) =>
        AnalyticsDb.connect(config, `hips-resolve-${process.env.HIPS_PROCESS ?? 'app'}-analytics`),
    },
    AnalyticsService,
    AnalyticsResolver,
    BearerGuard,
  ],
  controllers: [AnalyticsExportController],
  exports: [AnalyticsService],
})
export class AnalyticsModule implements OnApplicationShutdown {
  constructor(@Inject(ANALYTICS_DB) private readonly db: AnalyticsDb) {}

  async onApplicationShutdown(): Promise<void> {
    await this.db.close();
  }
}
