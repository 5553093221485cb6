/**
 * `npm start`: the zero-config launcher. On a fresh clone it finds or starts PostgreSQL and Redis
 * (start-services.ts), applies migrations, seeds the demo data once, runs the api and the worker, and stops all
 * of it on Ctrl-C (start-processes.ts). Data of the services it starts itself lives under .data/ (git-ignored).
 *
 * The configuration is checked before anything is started: a bad one stops the launcher with every problem
 * named. Outside production the development secrets are generated under .data/ first and handed to every child.
 * Demo data is loaded only when NODE_ENV is development (the default), and says so.
 *
 * For testing the fallbacks only: HIPS_START_PROBE_PG=0 / HIPS_START_PROBE_REDIS=0 skip the probe
 * of the local server, as if none were running; HIPS_START_DATABASE names the database it uses or
 * creates there (default hips_resolve).
 */
import { spawn } from 'node:child_process';
import { type AppConfig, ConfigError, loadConfig, withDevelopmentSecrets } from '@hips/config';
import {
  assertBuilt,
  continueUnlessStopping,
  installShutdownTriggers,
  isStopping,
  runScript,
  shutdown,
  SIGNALS,
  startService,
  waitUntilHealthy,
} from './start-processes';
import { provideDatabase, provideRedis } from './start-services';
import { DATA_DIR, errorText, fail, hasExited, log, portIsFree } from './start-support';

const API_MAIN = 'dist/apps/api/src/main.js';
const WORKER_MAIN = 'dist/apps/worker/src/main.js';
/** Marks the process that does the work, as opposed to the thin supervisor in front of it. */
const ROLE_VARIABLE = 'HIPS_START_ROLE';

const DEMO_LOGINS: Array<[email: string, role: string]> = [
  ['admin.hampshire@demo.hips.test', 'partnership admin, Hampshire'],
  ['admin.isle-of-wight@demo.hips.test', 'partnership admin, Isle of Wight'],
  ['admin.portsmouth@demo.hips.test', 'partnership admin, Portsmouth'],
  ['admin.southampton@demo.hips.test', 'partnership admin, Southampton'],
  ['analyst@demo.hips.test', 'HIPS analyst'],
];

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
    const { config, env: configured } = validConfig();
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
    const env = childEnv(configured, databaseUrl, redisUrl);
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
    if (isStopping()) return; // a signal or a dead child is already shutting everything down
    fail(errorText(error));
    await shutdown(1);
  }
}

/**
 * The environment the api, the worker and the scripts get, and the configuration they will load from it, checked
 * before any database is created or service started (DATA_DIR as the children see it: they run in the
 * repository root). Outside production it carries the development secrets, so every child uses the same key.
 */
function validConfig(): { config: AppConfig; env: NodeJS.ProcessEnv } {
  const env = withDevelopmentSecrets({ ...process.env, DATA_DIR: process.env.DATA_DIR || DATA_DIR });
  try {
    return { config: loadConfig(env), env };
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

function childEnv(configured: NodeJS.ProcessEnv, databaseUrl: string, redisUrl: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...configured, DATABASE_URL: databaseUrl, REDIS_URL: redisUrl };
  delete env[ROLE_VARIABLE];
  return env;
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

if (process.env[ROLE_VARIABLE] === 'launcher') {
  void launch();
} else {
  supervise();
}
