/**
 * Small building blocks for the zero-config launcher (scripts/start.ts): console lines, probes for
 * PostgreSQL and Redis, free ports, and starting / stopping child processes.
 */
import type { ChildProcess } from 'node:child_process';
import { accessSync, constants, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { delimiter, join, relative, resolve } from 'node:path';
import { Redis } from 'ioredis';
import { Client } from 'pg';

/** dist/scripts/start*.js → the repository root, whatever the current directory. */
export const ROOT = resolve(__dirname, '..', '..');
/** Data of the services the launcher starts itself, and the development secrets (git-ignored). */
export const DATA_DIR = join(ROOT, '.data');

/** A path as the developer would type it from the repository root. */
export function shown(path: string): string {
  return relative(ROOT, path) || '.';
}

/** Where a service's log is, with its last lines, for an error message. */
export function logHint(logFile: string): string {
  const tail = lastLines(logFile, 10).map((line) => `\n    ${line}`);
  return ` Log: ${shown(logFile)}${tail.join('')}`;
}

// ---------------------------------------------------------------------------------------------
// Console: plain lines, one prefix, so launcher output stands out from the api and worker logs.

export function log(message: string): void {
  process.stdout.write(`[start] ${message}\n`);
}

export function warn(message: string): void {
  process.stderr.write(`[start] WARNING: ${message}\n`);
}

export function fail(message: string): void {
  process.stderr.write(`[start] ERROR: ${message}\n`);
}

export function errorText(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'string') return error;
  try {
    return JSON.stringify(error) ?? 'unknown error';
  } catch {
    return 'unknown error';
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Rejects with `message` when `work` has not settled within `ms` (the work itself goes on). */
export async function withTimeout<T>(work: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The last `count` non-empty lines of a text file, or none when it cannot be read. */
export function lastLines(file: string, count: number): string[] {
  try {
    return readFileSync(file, 'utf8')
      .split(/\r?\n/)
      .filter((line) => line.trim() !== '')
      .slice(-count);
  } catch {
    return [];
  }
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL

/** Connects, runs `select 1` and disconnects; resolves with the error instead of throwing. */
export async function probePostgres(url: string, timeoutMs: number): Promise<Error | undefined> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  // A server that drops us later must not crash the launcher with an unhandled 'error' event.
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('select 1');
    return undefined;
  } catch (error) {
    return error instanceof Error ? error : new Error(errorText(error));
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Creates `name` on the server behind `adminUrl` unless it exists; returns true when it created it. */
export async function ensureDatabase(adminUrl: string, name: string): Promise<boolean> {
  const client = new Client({ connectionString: adminUrl, connectionTimeoutMillis: 5000 });
  client.on('error', () => undefined);
  await client.connect();
  try {
    const found = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (found.rowCount) return false;
    await client.query(`create database ${client.escapeIdentifier(name)}`);
    return true;
  } catch (error) {
    // Another launcher may have created it between our check and our create.
    if ((error as { code?: string }).code === '42P04') return false;
    throw error;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** host:port/database of a connection URL, without credentials, for the console. */
export function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.host}${u.pathname === '/' ? '' : u.pathname}`;
  } catch {
    return '(unparsable URL)';
  }
}

/** The same URL pointing at another database. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

// ---------------------------------------------------------------------------------------------
// Redis

/** True when a Redis server at `url` answers PING within `timeoutMs`. */
export async function redisAnswers(url: string, timeoutMs: number): Promise<boolean> {
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    commandTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null, // one attempt: this is a probe, not a client
  });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    return (await redis.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}

// ---------------------------------------------------------------------------------------------
// Ports and executables

/** True when nothing listens on 127.0.0.1:port (we could bind it ourselves). */
export function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** `preferred` when it is free, otherwise a port the operating system picks. */
export async function freePort(preferred: number): Promise<number> {
  if (await portIsFree(preferred)) return preferred;
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen({ port: 0, host: '127.0.0.1', exclusive: true }, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('no free port'))));
    });
  });
}

/** Full path of `command` when it is an executable on PATH. */
export function findOnPath(command: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, command);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here; keep looking
    }
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Child processes

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export function describeExit({ code, signal }: Exit): string {
  return signal ? `signal ${signal}` : `code ${code ?? 'unknown'}`;
}

export function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/** Resolves when the child has exited (at once if it already has); never rejects. */
export function waitForExit(child: ChildProcess): Promise<Exit> {
  if (hasExited(child)) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
    // A spawn failure (ENOENT, EACCES) emits 'error' and may never emit 'exit'.
    child.once('error', () => resolve({ code: child.exitCode ?? 1, signal: null }));
  });
}

/** SIGTERM, then SIGKILL when the child is still there after `graceMs`. */
export async function stopChild(child: ChildProcess, name: string, graceMs: number): Promise<void> {
  if (hasExited(child) || child.pid === undefined) return;
  child.kill('SIGTERM');
  const timer = sleep(graceMs).then(() => 'timeout' as const);
  if ((await Promise.race([waitForExit(child), timer])) === 'timeout') {
    warn(`${name} did not stop within ${graceMs / 1000} s; killing it`);
    child.kill('SIGKILL');
    await waitForExit(child);
  }
}

// ---------------------------------------------------------------------------------------------
// HTTP

/**
 * Polls `url` until it answers 200. Gives up after `timeoutMs`, or as soon as `giveUp()` says so
 * (the process we wait for died, or we are shutting down).
 */
export async function waitForHttp200(
  url: string,
  timeoutMs: number,
  giveUp: () => boolean,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !giveUp()) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      await response.body?.cancel();
      if (response.status === 200) return true;
    } catch {
      // not listening yet
    }
    await sleep(500);
  }
  return false;
}
