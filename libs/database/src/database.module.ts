import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '@hips/config';
import { createAppDataSource } from './data-sources';
import { initializeUntilReachable } from './startup';
import { TenantDb } from './tenant-db';

export const APP_DATA_SOURCE = Symbol('APP_DATA_SOURCE');

@Global()
@Module({
  providers: [
    {
      provide: APP_DATA_SOURCE,
      inject: [APP_CONFIG],
      // PostgreSQL may be unreachable while the process starts: retried (startup.ts), never a crash.
      useFactory: (config: AppConfig): Promise<DataSource> =>
        initializeUntilReachable(
          config.databaseAppUrl,
          { timeoutSeconds: config.databaseStartupTimeoutSeconds },
          () => createAppDataSource(config, `hips-resolve-${config.processRole}`),
        ),
    },
    { provide: TenantDb, inject: [APP_DATA_SOURCE], useFactory: (ds: DataSource) => new TenantDb(ds) },
  ],
  exports: [APP_DATA_SOURCE, TenantDb],
})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(@Inject(APP_DATA_SOURCE) private readonly dataSource: DataSource) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}
