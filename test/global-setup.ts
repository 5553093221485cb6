import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ensureDevelopmentSecrets, loadConfig } from '@hips/config';
import { createOwnerDataSource, migrate } from '@hips/database';
import { hashPassword } from '@hips/directory';
import { seedDemo } from '../scripts/demo-data';
import { freePort, RunningProcess, startProcess, waitForHttp } from './support/processes';

declare global {
  var __HIPS_API__: RunningProcess | undefined;
}

/**
 * One fresh database per run, migrated by the real migrations and loaded with the demo data, and a Redis key
 * prefix of its own. Then the real, built API process is started
 * (`npm test` builds first) and the specs talk to it over HTTP.
 */
export default async function globalSetup(): Promise<void> {
  const base = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  base.pathname = `/hips_test_${Date.now()}_${randomBytes(3).toString('hex')}`;
  const port = await freePort();
  const env = {
    NODE_ENV: 'test',
    DATABASE_URL: base.toString(),
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    // Keys of this run only: concurrent runs (other checkouts) never see each other's counters or queues.
    REDIS_PREFIX: `hips-test-${randomBytes(4).toString('hex')}`,
    DATA_DIR: '.data/test',
    DEMO_PASSWORD: 'resolve-demo',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    PORT: String(port),
    API_URL: `http://127.0.0.1:${port}`,
    SCHEMA_FILE: resolve('.data/test/schema.gql'),
    // Every statement of the API's application connection, for the N+1 tests (statement counts per request).
    SQL_LOG_FILE: resolve('.data/test/statements.log'),
    // The webhook specs' receivers listen on 127.0.0.1 (test/webhooks/receiver.ts); test/webhooks/ssrf proves
    // loopback is refused with the setting off.
    WEBHOOK_ALLOW_LOOPBACK: 'true',
    // The generated identifier key, for the API, the processes the specs start and the specs themselves.
    ...ensureDevelopmentSecrets(resolve('.data/test')),
  };
  mkdirSync(resolve('.data/test'), { recursive: true });
  writeFileSync(env.SQL_LOG_FILE, '');
  Object.assign(process.env, env);
  const config = loadConfig();
  await migrate(config);
  const owner = createOwnerDataSource(config.databaseUrl);
  await owner.initialize();
  const hash = await hashPassword(config.demoPassword);
  await owner.transaction((em) => seedDemo(em, hash));
  await owner.destroy();

  globalThis.__HIPS_API__ = startProcess('dist/apps/api/src/main.js', env);
  await waitForHttp(`${env.API_URL}/health/live`, globalThis.__HIPS_API__);
}
