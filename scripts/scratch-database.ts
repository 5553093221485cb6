import { randomBytes } from 'node:crypto';
import type { AppConfig } from '@hips/config';
import { createOwnerDataSource, ensureDatabase, migrate } from '@hips/database';
import { DataSource } from 'typeorm';
import { ALL_ENTITIES } from '../apps/entities';

/** Runs work against a throw-away database migrated to the latest version, then drops it. */
export async function withScratchDatabase<T>(
  config: AppConfig,
  work: (url: string) => Promise<T>,
): Promise<T> {
  const url = new URL(config.databaseUrl);
  const name = `hips_scratch_${randomBytes(4).toString('hex')}`;
  url.pathname = `/${name}`;
  const scratchUrl = url.toString();
  await ensureDatabase(scratchUrl);
  try {
    await migrate({ ...config, databaseUrl: scratchUrl });
    return await work(scratchUrl);
  } finally {
    url.pathname = '/postgres';
    const admin = new DataSource({ type: 'postgres', url: url.toString(), extra: { max: 1 } });
    await admin.initialize();
    await admin.query(`drop database if exists "${name}" with (force)`);
    await admin.destroy();
  }
}

/** The SQL TypeORM would run to make the migrated schema match the entities: empty when they agree. */
export async function schemaDrift(databaseUrl: string): Promise<{ up: string[]; down: string[] }> {
  const owner = createOwnerDataSource(databaseUrl, ALL_ENTITIES);
  await owner.initialize();
  try {
    const sql = await owner.driver.createSchemaBuilder().log();
    return { up: sql.upQueries.map((q) => q.query), down: sql.downQueries.map((q) => q.query).reverse() };
  } finally {
    await owner.destroy();
  }
}
