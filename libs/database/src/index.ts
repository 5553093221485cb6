export * from './data-sources';
export * from './database.module';
export * from './tenant-db';
export * from './redis.module';
export * from './startup';
export * from './unit-of-work';
export * from './unique-violation';
