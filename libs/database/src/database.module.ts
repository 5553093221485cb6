import { DynamicModule, Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '@hips/config';
import { createAppDataSource, type EntityList } from './data-sources';
import { initializeUntilReachable } from './startup';
import { TenantDb } from './tenant-db';

export const APP_DATA_SOURCE = Symbol('APP_DATA_SOURCE');
/** The entity classes the application connection maps, given by the process that imports the module. */
const DATABASE_ENTITIES = Symbol('DATABASE_ENTITIES');

@Global()
@Module({
  providers: [
    {
      provide: APP_DATA_SOURCE,
      inject: [APP_CONFIG, DATABASE_ENTITIES],
      // PostgreSQL may be unreachable while the process starts: retried (startup.ts), never a crash.
      useFactory: (config: AppConfig, entities: EntityList): Promise<DataSource> =>
        initializeUntilReachable(
          config.databaseAppUrl,
          { timeoutSeconds: config.databaseStartupTimeoutSeconds },
          () => createAppDataSource(config, `hips-resolve-${config.processRole}`, entities),
        ),
    },
    { provide: TenantDb, inject: [APP_DATA_SOURCE], useFactory: (ds: DataSource) => new TenantDb(ds) },
  ],
  exports: [APP_DATA_SOURCE, TenantDb],
})
export class DatabaseModule implements OnApplicationShutdown {
  /** The module for a process, mapping the entities its composition root lists (apps/entities.ts). */
  static forRoot(entities: EntityList): DynamicModule {
    return { module: DatabaseModule, providers: [{ provide: DATABASE_ENTITIES, useValue: entities }] };
  }

  constructor(@Inject(APP_DATA_SOURCE) private readonly dataSource: DataSource) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}
