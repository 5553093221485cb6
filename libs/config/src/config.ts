import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/** The one validated configuration of every process (api, worker, scripts). */
/**
 * Most due deadlines one firing transaction claims: deadlines falling due together (working-day deadlines cluster)
 * share one claim, one audit append and one commit, and a burst is claimed within moments of falling due.
 */
export const DEFAULT_DEADLINE_BATCH_SIZE = 200;

export interface AppConfig {
  nodeEnv: 'development' | 'test' | 'production';
  port: number;
  /** Owner connection: runs migrations and owns every table. */
  databaseUrl: string;
  /** Application connection: a role that owns nothing and cannot bypass row-level security. */
  databaseAppUrl: string;
  databaseAppPassword: string;
  /**
   * Analytics read path (libs/analytics): the hips_analytics role, which may read only the aggregate read model
   * (no case tables), so analysts' queries can never reach case rows.
   */
  databaseAnalyticsUrl: string;
  databaseAnalyticsPassword: string;
  databasePoolSize: number;
  /** How long a starting process keeps retrying an unreachable PostgreSQL before it gives up (0: one attempt). */
  databaseStartupTimeoutSeconds: number;
  redisUrl: string;
  /** Prefix of every Redis key (and BullMQ queue), so several installations or test runs can share a server. */
  redisPrefix: string;
  jwtSecret: string;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  /** 32-byte key (base64) for child identifiers; AES-256-GCM. */
  identifierEncryptionKey: Buffer;
  logLevel: string;
  demoPassword: string;
  /** Failed logins for one e-mail from one client address (docs/security/authentication.md). */
  loginMaxFailures: number;
  /** Failed logins for one e-mail from all addresses together: higher, so one attacker cannot lock the owner out. */
  loginMaxFailuresPerAccount: number;
  /** Per client address: higher, since one address may front many people (an agency's proxy). */
  loginMaxFailuresPerAddress: number;
  loginWindowSeconds: number;
  publicUrl: string;
  /** SMTP connection URL (smtp:// or smtps://); unset writes mail to files under <dataDir>/mail. */
  smtpUrl: string | null;
  /** Worker loops: outbox relay, deadline sweeper, notification delivery (milliseconds). */
  worker: {
    relayMs: number;
    sweepMs: number;
    notificationsMs: number;
    /** How often the retention purge of child identifiers runs (procedure.md §7). */
    retentionPurgeMs: number;
    deadlineConcurrency: number;
    deadlineBatchSize: number;
  };
  mailFrom: string;
  dataDir: string;
  /** Outgoing webhooks (libs/webhooks): delivery attempts, backoff, timeout, concurrency and poll interval. */
  webhooks: WebhookConfig;
}

export interface WebhookConfig {
  /** Attempts before a delivery is DEAD. */
  maxAttempts: number;
  /** Backoff before retry n (1-based) is about base × 2^(n-1), capped, with jitter. */
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** Per request: a receiver that has not answered by then counts as failed. */
  timeoutMs: number;
  /** Requests in flight at once per worker pass. */
  concurrency: number;
  /** How often the worker looks for due deliveries. */
  pollMs: number;
  /** Plain http:// endpoints; false (https only) when NODE_ENV=production unless WEBHOOK_ALLOW_HTTP=true. */
  allowHttp: boolean;
}

export class ConfigError extends Error {}

type Env = Record<string, string | undefined>;

interface VarSpec<T> {
  name: string;
  expected: string;
  parse: (raw: string) => T | undefined;
  fallback?: (env: Env) => T;
  /** Must be set explicitly when NODE_ENV=production. */
  requiredInProduction?: boolean;
}

function read<T>(env: Env, spec: VarSpec<T>, production: boolean): T {
  const raw = env[spec.name];
  if (raw === undefined || raw === '') {
    if (production && spec.requiredInProduction) {
      throw new ConfigError(`${spec.name} is required when NODE_ENV=production (expected ${spec.expected})`);
    }
    if (spec.fallback) return spec.fallback(env);
    throw new ConfigError(`${spec.name} is missing (expected ${spec.expected})`);
  }
  const value = spec.parse(raw);
  if (value === undefined) {
    throw new ConfigError(`${spec.name} is malformed: expected ${spec.expected}`);
  }
  return value;
}

const int = (min: number, max: number) => (raw: string) => {
  if (!/^\d+$/.test(raw)) return undefined;
  const n = Number(raw);
  return n >= min && n <= max ? n : undefined;
};
const url = (schemes: string[]) => (raw: string) => {
  try {
    const u = new URL(raw);
    return schemes.includes(u.protocol.replace(':', '')) ? raw : undefined;
  } catch {
    return undefined;
  }
};
const text = (raw: string) => raw;

/** Derives the application-role URL from the owner URL: same host and database, other credentials. */
function appUrlFrom(ownerUrl: string, user: string, password: string): string {
  const u = new URL(ownerUrl);
  u.username = user;
  u.password = password;
  return u.toString();
}

/**
 * For local use the identifier key is generated once and kept under the data folder, so encrypted
 * identifiers survive restarts; production must set IDENTIFIER_ENCRYPTION_KEY.
 */
function localIdentifierKey(dataDir: string): Buffer {
  const file = resolve(dataDir, 'identifier-encryption.key');
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, randomBytes(32).toString('base64'), { mode: 0o600 });
  }
  return Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
}

export function loadConfig(env: Env = process.env): AppConfig {
  const nodeEnv = read(
    env,
    {
      name: 'NODE_ENV',
      expected: 'development, test or production',
      parse: (r) =>
        ['development', 'test', 'production'].includes(r) ? (r as AppConfig['nodeEnv']) : undefined,
      fallback: () => 'development' as const,
    },
    false,
  );
  const production = nodeEnv === 'production';
  const dataDir = resolve(env.DATA_DIR || '.data');
  const databaseUrl = read(
    env,
    {
      name: 'DATABASE_URL',
      expected: 'a postgres:// URL',
      parse: url(['postgres', 'postgresql']),
      fallback: () => 'postgres://postgres@127.0.0.1:5432/hips_resolve',
    },
    production,
  );
  const databaseAppPassword = read(
    env,
    {
      name: 'DATABASE_APP_PASSWORD',
      expected: 'the password of the application database role hips_app',
      parse: text,
      fallback: () => 'hips-app-local',
      requiredInProduction: true,
    },
    production,
  );
  const databaseAppUrl = read(
    env,
    {
      name: 'DATABASE_APP_URL',
      expected: 'a postgres:// URL for the hips_app role',
      parse: url(['postgres', 'postgresql']),
      fallback: () => appUrlFrom(databaseUrl, 'hips_app', databaseAppPassword),
    },
    production,
  );
  const databaseAnalyticsPassword = read(
    env,
    {
      name: 'DATABASE_ANALYTICS_PASSWORD',
      expected: 'the password of the analytics database role hips_analytics',
      parse: text,
      // In production, unless set, derived from the application role's (required) password.
      fallback: () =>
        production
          ? createHash('sha256').update(`hips_analytics:${databaseAppPassword}`).digest('base64url')
          : 'hips-analytics-local',
    },
    production,
  );
  const databaseAnalyticsUrl = read(
    env,
    {
      name: 'DATABASE_ANALYTICS_URL',
      expected: 'a postgres:// URL for the hips_analytics role',
      parse: url(['postgres', 'postgresql']),
      fallback: () => appUrlFrom(databaseUrl, 'hips_analytics', databaseAnalyticsPassword),
    },
    production,
  );
  const keyParse = (r: string) => {
    const b = Buffer.from(r, 'base64');
    return b.length === 32 ? b : undefined;
  };
  return {
    nodeEnv,
    port: read(
      env,
      { name: 'PORT', expected: 'a port number 1-65535', parse: int(1, 65535), fallback: () => 3000 },
      production,
    ),
    databaseUrl,
    databaseAppUrl,
    databaseAppPassword,
    databaseAnalyticsUrl,
    databaseAnalyticsPassword,
    databasePoolSize: read(
      env,
      {
        name: 'DATABASE_POOL_SIZE',
        expected: 'an integer 1-200',
        parse: int(1, 200),
        // The worker runs DEADLINE_CONCURRENCY jobs, a sweeper and its loops at once: room for all of them.
        fallback: () => (env.HIPS_PROCESS === 'worker' ? 24 : 10),
      },
      production,
    ),
    databaseStartupTimeoutSeconds: read(
      env,
      {
        name: 'DATABASE_STARTUP_TIMEOUT_SECONDS',
        expected: 'seconds, 0-86400',
        parse: int(0, 86400),
        fallback: () => 300,
      },
      production,
    ),
    redisUrl: read(
      env,
      {
        name: 'REDIS_URL',
        expected: 'a redis:// URL',
        parse: url(['redis', 'rediss']),
        fallback: () => 'redis://127.0.0.1:6379',
      },
      production,
    ),
    redisPrefix: read(
      env,
      {
        name: 'REDIS_PREFIX',
        expected: 'letters, digits, - and _ (1-40)',
        parse: (r) => (/^[A-Za-z0-9_-]{1,40}$/.test(r) ? r : undefined),
        fallback: () => 'hips',
      },
      production,
    ),
    jwtSecret: read(
      env,
      {
        name: 'JWT_SECRET',
        expected: 'a secret of at least 32 characters',
        parse: (r) => (r.length >= 32 ? r : undefined),
        fallback: () => 'local-development-secret-not-for-production-use',
        requiredInProduction: true,
      },
      production,
    ),
    accessTokenTtlSeconds: read(
      env,
      {
        name: 'ACCESS_TOKEN_TTL_SECONDS',
        expected: 'seconds, 60-86400',
        parse: int(60, 86400),
        fallback: () => 900,
      },
      production,
    ),
    refreshTokenTtlSeconds: read(
      env,
      {
        name: 'REFRESH_TOKEN_TTL_SECONDS',
        expected: 'seconds, 300-7776000',
        parse: int(300, 7_776_000),
        fallback: () => 14 * 24 * 3600,
      },
      production,
    ),
    identifierEncryptionKey: read(
      env,
      {
        name: 'IDENTIFIER_ENCRYPTION_KEY',
        expected: '32 random bytes, base64-encoded (openssl rand -base64 32)',
        parse: keyParse,
        fallback: () => localIdentifierKey(dataDir),
        requiredInProduction: true,
      },
      production,
    ),
    logLevel: read(
      env,
      {
        name: 'LOG_LEVEL',
        expected: 'one of fatal, error, warn, info, debug, trace, silent',
        parse: (r) =>
          ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(r) ? r : undefined,
        fallback: () => (nodeEnv === 'test' ? 'silent' : 'info'),
      },
      production,
    ),
    demoPassword: read(
      env,
      {
        name: 'DEMO_PASSWORD',
        expected: 'at least 8 characters',
        parse: (r) => (r.length >= 8 ? r : undefined),
        fallback: () => 'resolve-demo',
      },
      production,
    ),
    loginMaxFailures: read(
      env,
      { name: 'LOGIN_MAX_FAILURES', expected: 'an integer 1-1000', parse: int(1, 1000), fallback: () => 5 },
      production,
    ),
    loginMaxFailuresPerAccount: read(
      env,
      {
        name: 'LOGIN_MAX_FAILURES_PER_ACCOUNT',
        expected: 'an integer 1-100000',
        parse: int(1, 100_000),
        fallback: () => 50,
      },
      production,
    ),
    loginMaxFailuresPerAddress: read(
      env,
      {
        name: 'LOGIN_MAX_FAILURES_PER_ADDRESS',
        expected: 'an integer 1-100000',
        parse: int(1, 100_000),
        fallback: () => 50,
      },
      production,
    ),
    loginWindowSeconds: read(
      env,
      {
        name: 'LOGIN_WINDOW_SECONDS',
        expected: 'seconds, 1-86400',
        parse: int(1, 86400),
        fallback: () => 900,
      },
      production,
    ),
    publicUrl: read(
      env,
      {
        name: 'PUBLIC_URL',
        expected: 'an http(s) URL',
        parse: url(['http', 'https']),
        fallback: (e) => `http://localhost:${e.PORT || 3000}`,
      },
      production,
    ),
    worker: {
      relayMs: read(
        env,
        {
          name: 'OUTBOX_RELAY_MS',
          expected: 'milliseconds, 50-60000',
          parse: int(50, 60_000),
          fallback: () => 500,
        },
        production,
      ),
      sweepMs: read(
        env,
        {
          name: 'DEADLINE_SWEEP_MS',
          expected: 'milliseconds, 100-600000',
          parse: int(100, 600_000),
          fallback: () => 30_000,
        },
        production,
      ),
      notificationsMs: read(
        env,
        {
          name: 'NOTIFICATION_POLL_MS',
          expected: 'milliseconds, 100-600000',
          parse: int(100, 600_000),
          fallback: () => 2000,
        },
        production,
      ),
      retentionPurgeMs: read(
        env,
        {
          name: 'RETENTION_PURGE_MS',
          expected: 'milliseconds, 1000-604800000',
          parse: int(1000, 604_800_000),
          fallback: () => 86_400_000,
        },
        production,
      ),
      deadlineConcurrency: read(
        env,
        {
          name: 'DEADLINE_CONCURRENCY',
          expected: 'an integer 1-200',
          parse: int(1, 200),
          fallback: () => 16,
        },
        production,
      ),
      deadlineBatchSize: read(
        env,
        {
          name: 'DEADLINE_BATCH_SIZE',
          expected: 'an integer 1-1000',
          parse: int(1, 1000),
          fallback: () => DEFAULT_DEADLINE_BATCH_SIZE,
        },
        production,
      ),
    },
    smtpUrl: read(
      env,
      {
        name: 'SMTP_URL',
        expected: 'an smtp:// or smtps:// URL',
        parse: url(['smtp', 'smtps']),
        fallback: () => null,
      },
      production,
    ),
    mailFrom: read(
      env,
      {
        name: 'MAIL_FROM',
        expected: 'an e-mail address',
        parse: (r) => (/^[^\s@]+@[^\s@]+$/.test(r) || /<[^\s@]+@[^\s@]+>$/.test(r) ? r : undefined),
        fallback: () => 'HIPS Resolve <no-reply@hips-resolve.local>',
      },
      production,
    ),
    dataDir,
    webhooks: {
      maxAttempts: read(
        env,
        { name: 'WEBHOOK_MAX_ATTEMPTS', expected: 'an integer 1-50', parse: int(1, 50), fallback: () => 8 },
        production,
      ),
      backoffBaseMs: read(
        env,
        {
          name: 'WEBHOOK_BACKOFF_BASE_MS',
          expected: 'milliseconds, 10-3600000',
          parse: int(10, 3_600_000),
          fallback: () => 10_000,
        },
        production,
      ),
      backoffMaxMs: read(
        env,
        {
          name: 'WEBHOOK_BACKOFF_MAX_MS',
          expected: 'milliseconds, 10-86400000',
          parse: int(10, 86_400_000),
          fallback: () => 6 * 3600 * 1000,
        },
        production,
      ),
      timeoutMs: read(
        env,
        {
          name: 'WEBHOOK_TIMEOUT_MS',
          expected: 'milliseconds, 100-60000',
          parse: int(100, 60_000),
          fallback: () => 5000,
        },
        production,
      ),
      concurrency: read(
        env,
        { name: 'WEBHOOK_CONCURRENCY', expected: 'an integer 1-100', parse: int(1, 100), fallback: () => 10 },
        production,
      ),
      pollMs: read(
        env,
        {
          name: 'WEBHOOK_POLL_MS',
          expected: 'milliseconds, 100-600000',
          parse: int(100, 600_000),
          fallback: () => 5000,
        },
        production,
      ),
      allowHttp: read(
        env,
        {
          name: 'WEBHOOK_ALLOW_HTTP',
          expected: 'true or false',
          parse: (r) => (r === 'true' ? true : r === 'false' ? false : undefined),
          fallback: () => !production,
        },
        production,
      ),
    },
  };
}

/** For process entry points: a bad configuration stops start-up with one line naming the variable. */
export function loadConfigOrExit(env: Env = process.env): AppConfig {
  try {
    return loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`Configuration error: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}
