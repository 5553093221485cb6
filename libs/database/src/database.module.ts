import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '@hips/config';
import { createAppDataSource } from './data-sources';
import { TenantDb } from './tenant-db';

export const APP_DATA_SOURCE = Symbol('APP_DATA_SOURCE');

/**
 * PostgreSQL may be briefly unreachable when a process starts (a restart, a failover, containers starting in any
 * order): keep trying for a minute rather than die on the first refused connection.
 */
export async function initializeWithRetry(
  make: () => DataSource,
  attempts = 60,
  delayMs = 1000,
): Promise<DataSource> {
  for (let attempt = 1; ; attempt += 1) {
    const dataSource = make();
    try {
      return await dataSource.initialize();
    } catch (error) {
      if (attempt >= attempts) throw error;
      process.stderr.write(
        `PostgreSQL not reachable yet (${error instanceof Error ? error.message : String(error)}); retrying\n`,
      );
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
  }
}

@Global()
@Module({
  providers: [
    {
      provide: APP_DATA_SOURCE,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig): Promise<DataSource> =>
        initializeWithRetry(() =>
          createAppDataSource(config, `hips-resolve-${process.env.HIPS_PROCESS ?? 'app'}`),
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
