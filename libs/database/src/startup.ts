import { Client } from 'pg';
import pino, { type Logger } from 'pino';
import type { DataSource } from 'typeorm';

let logger: Logger | undefined;
let processName = 'app';

/** The entry point names its process (its configuration's processRole) for the lines below; scripts keep 'app'. */
export function nameStartupLog(processRole: string): void {
  processName = processRole;
  logger = undefined;
}

/** Created on first use: the process is named and LOG_LEVEL set by then (the same default level as the config). */
function log(): Logger {
  logger ??= pino({
    name: processName,
    level: process.env.LOG_LEVEL || (process.env.NODE_ENV === 'test' ? 'silent' : 'info'),
  });
  return logger;
}

/**
 * pg emits 'error' on a client whose connection drops, and pg-pool listens only while the client is idle: a drop
 * while a client is checked out with no listener of its own (TypeORM's DataSource.initialize does this) is an
 * unhandled 'error' event, which kills the process. This listener is always there; the error still reaches the
 * query in flight, and pg-pool discards the broken client when it is released.
 */
class ResilientClient extends Client {
  constructor(config?: ConstructorParameters<typeof Client>[0]) {
    super(config);
    this.on('error', () => undefined);
  }
}

/** Pool options for every data source: clients that cannot crash the process, and pool errors logged in one line. */
export function resilientPool(extra: Record<string, unknown>) {
  return {
    extra: { ...extra, Client: ResilientClient },
    poolErrorHandler: (error: unknown) =>
      log().warn({ reason: reasonOf(error) }, 'PostgreSQL connection lost (idle pool client)'),
  };
}

/** user@host:port/database: where a URL points, without its password. */
export function describeTarget(databaseUrl: string): string {
  const url = new URL(databaseUrl);
  return `${decodeURIComponent(url.username)}@${url.host}${url.pathname}`;
}

/** One line: connection refused to ::1 and 127.0.0.1 is an AggregateError with an empty message. */
function reasonOf(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return reasonOf(error.errors[0]);
  if (error instanceof Error) return error.message || (error as NodeJS.ErrnoException).code || error.name;
  return String(error);
}

export interface StartupRetry {
  /** DATABASE_STARTUP_TIMEOUT_SECONDS: when to give up. */
  timeoutSeconds: number;
  /** First delay; it doubles up to maxDelayMs. */
  initialDelayMs?: number;
  maxDelayMs?: number;
}

/**
 * Start-up work against PostgreSQL (connecting, migrating), retried while PostgreSQL is unreachable: a restart,
 * a failover or containers starting in any order must not stop a process for good. Every failure is retried
 * (a refused connection, a dropped one, a role or database the API has not created yet), with one warning line
 * per attempt. After timeoutSeconds the process exits non-zero with one line: a supervisor restarts it.
 */
export async function untilReachable<T>(
  databaseUrl: string,
  retry: StartupRetry,
  work: () => Promise<T>,
): Promise<T> {
  const target = describeTarget(databaseUrl);
  const giveUpAt = Date.now() + retry.timeoutSeconds * 1000;
  let delayMs = retry.initialDelayMs ?? 250;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await work();
    } catch (error) {
      const reason = reasonOf(error);
      if (Date.now() + delayMs > giveUpAt) {
        process.stderr.write(
          `PostgreSQL ${target} still unreachable after ${attempt} attempts in ${retry.timeoutSeconds} s ` +
            `(DATABASE_STARTUP_TIMEOUT_SECONDS): ${reason}; giving up\n`,
        );
        process.exit(1);
      }
      log().warn(
        { target, attempt, reason, retryInMs: delayMs },
        'PostgreSQL unreachable at start-up; retrying',
      );
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      delayMs = Math.min(delayMs * 2, retry.maxDelayMs ?? 5000);
    }
  }
}

/** Initializes a fresh data source per attempt; a failed attempt's pool is closed so it leaks no connection. */
export function initializeUntilReachable(
  databaseUrl: string,
  retry: StartupRetry,
  make: () => DataSource,
): Promise<DataSource> {
  return untilReachable(databaseUrl, retry, async () => {
    const dataSource = make();
    try {
      return await dataSource.initialize();
    } catch (error) {
      // A failure inside initialize() may leave the pool open without the data source being initialized. Not
      // awaited: end() waits for checked-out clients, and a failed attempt may never release one.
      const pool = (dataSource.driver as { master?: { ending?: boolean; end(): Promise<void> } }).master;
      if (pool && !pool.ending) void pool.end().catch(() => undefined);
      throw error;
    }
  });
}
