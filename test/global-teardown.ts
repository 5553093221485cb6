import { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { readTestEnv } from './support/env';
import { stopProcess } from './support/processes';

export default async function globalTeardown(): Promise<void> {
  await stopProcess(globalThis.__HIPS_API__);
  const env = readTestEnv();
  const url = new URL(env.DATABASE_URL);
  const name = url.pathname.slice(1);
  url.pathname = '/postgres';
  const admin = new DataSource({ type: 'postgres', url: url.toString(), extra: { max: 1 } });
  await admin.initialize();
  await admin.query(`drop database if exists "${name}" with (force)`);
  await admin.destroy();
  // Remove this run's Redis keys.
  const redis = new Redis(env.REDIS_URL);
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${env.REDIS_PREFIX}:*`, 'COUNT', 1000);
    if (keys.length > 0) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
  await redis.quit();
}
