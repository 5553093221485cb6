/**
 * What the launcher (scripts/start.ts) starts and stops: the one-off scripts, the api and the worker, the services
 * it started itself (start-services.ts), and the orderly shutdown of all of them.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { EmbeddedPostgres } from './start-services';
import {
  describeExit,
  errorText,
  fail,
  hasExited,
  log,
  ROOT,
  stopChild,
  waitForExit,
  waitForHttp200,
  warn,
  withTimeout,
} from './start-support';

const STOP_GRACE_MS = 10_000;
const HEALTH_TIMEOUT_MS = 60_000;
export const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** Everything this launcher started, so shutdown stops exactly these and nothing it merely found. */
export const owned: {
  /** initdb cannot be interrupted cleanly (it leaves a half cluster and a password file in /tmp). */
  initialising?: Promise<void>;
  postgres?: EmbeddedPostgres;
  redis?: ChildProcess;
  children: Map<string, ChildProcess>;
} = { children: new Map() };
let stopping: Promise<void> | undefined;

export function isStopping(): boolean {
  return stopping !== undefined;
}

export function continueUnlessStopping(): void {
  if (stopping) throw new Error('shutting down');
}

export function installShutdownTriggers(): void {
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

/**
 * Runs a one-off script to completion; false when it is not built (yet), an error when it fails.
 */
export async function runScript(
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
export function assertBuilt(...files: string[]): void {
  const missing = files.filter((file) => !existsSync(join(ROOT, file)));
  if (missing.length > 0) throw new Error(`${missing.join(' and ')} not found: run npm run build`);
}

/** Starts a long-running process; its death while we are not stopping takes everything down. */
export function startService(name: string, file: string, env: NodeJS.ProcessEnv): void {
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

export async function waitUntilHealthy(port: number): Promise<void> {
  const url = `http://127.0.0.1:${port}/health/live`;
  log(`waiting for ${url}`);
  const healthy = await waitForHttp200(url, HEALTH_TIMEOUT_MS, () => stopping !== undefined);
  if (!healthy && !stopping) throw new Error(`the api did not answer ${url} with 200 within 60 s`);
}

// ---------------------------------------------------------------------------------------------
// Shutdown: the apps first (they still need the database and Redis), then what we started.

export function shutdown(code: number): Promise<void> {
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
