import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
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
  /** How long a four-eyes role grant waits for a second admin before it expires (docs/security/separation-of-duties.md). */
  roleGrantTtlHours: number;
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
  /**
   * Platform operators, the only people who may open the queue dashboard: a name each and the SHA-256 of a
   * random token they present as HTTP Basic name:token. Provisioned here, so no partnership admin can grant it.
   */
  platformOperators: PlatformOperator[];
  /** The dashboard may pause, empty, clean, retry or obliterate; false (read-only) unless set. */
  queueDashboardWritable: boolean;
  /** Outgoing webhooks (libs/webhooks): delivery attempts, backoff, timeout, concurrency and poll interval. */
  webhooks: WebhookConfig;
  /** Heavy analytics answers (libs/analytics; docs/security/heavy-work.md). */
  analytics: AnalyticsConfig;
}

export interface AnalyticsConfig {
  /** Longest one trends answer (its query and its disclosure control) may take before it is stopped. */
  timeBudgetMs: number;
  /** Worker threads that run disclosure control off the request thread. */
  threads: number;
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
  /**
   * Receivers on loopback addresses (127.0.0.0/8, ::1, localhost), for local testing only: WEBHOOK_ALLOW_LOOPBACK,
   * default false, refused when NODE_ENV=production. Every other internal address is refused always
   * (docs/security/webhooks-ssrf.md).
   */
  allowLoopback: boolean;
}

export interface PlatformOperator {
  name: string;
  /** SHA-256 of the operator's token (32 bytes). */
  tokenSha256: Buffer;
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

/** Collects every problem of one load, so an operator fixes them all in one round (docs/security/operators-and-production.md). */
interface Checks {
  production: boolean;
  problems: string[];
}

/** The variable's value; when it is missing or malformed the problem is recorded and a placeholder returned. */
function read<T>(env: Env, spec: VarSpec<T>, checks: Checks): T {
  const raw = env[spec.name];
  const placeholder = undefined as unknown as T; // never returned to a caller: loadConfig throws first
  if (raw === undefined || raw === '') {
    if (checks.production && spec.requiredInProduction) {
      checks.problems.push(`${spec.name} is required when NODE_ENV=production (expected ${spec.expected})`);
      return placeholder;
    }
    if (!spec.fallback) {
      checks.problems.push(`${spec.name} is missing (expected ${spec.expected})`);
      return placeholder;
    }
    try {
      return spec.fallback(env);
    } catch {
      // A fallback derived from another variable that is itself wrong: that variable's problem is recorded.
      return placeholder;
    }
  }
  const value = spec.parse(raw);
  if (value === undefined) {
    checks.problems.push(`${spec.name} is malformed: expected ${spec.expected}`);
  }
  return value ?? placeholder;
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

/** name:sha256hex[,name:sha256hex...]; undefined when any entry is malformed or a name repeats. */
function operators(raw: string): PlatformOperator[] | undefined {
  const list = raw.split(',').map((entry) => {
    const match = /^([A-Za-z0-9._@-]{1,64}):([0-9a-f]{64})$/.exec(entry.trim());
    return match ? { name: match[1], tokenSha256: Buffer.from(match[2], 'hex') } : undefined;
  });
  if (list.some((o) => !o)) return undefined;
  const valid = list as PlatformOperator[];
  return new Set(valid.map((o) => o.name)).size === valid.length ? valid : undefined;
}

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
  const problems: string[] = [];
  const config = readConfig(env, problems);
  if (problems.length === 1) throw new ConfigError(problems[0]);
  if (problems.length > 1) {
    throw new ConfigError(`${problems.length} problems:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
  return config;
}

function readConfig(env: Env, problems: string[]): AppConfig {
  const nodeEnv = read(
    env,
    {
      name: 'NODE_ENV',
      expected: 'development, test or production',
      parse: (r) =>
        ['development', 'test', 'production'].includes(r) ? (r as AppConfig['nodeEnv']) : undefined,
      fallback: () => 'development' as const,
    },
    { production: false, problems },
  );
  const production = nodeEnv === 'production';
  const checks: Checks = { production, problems };
  const dataDir = resolve(env.DATA_DIR || '.data');
  const databaseUrl = read(
    env,
    {
      name: 'DATABASE_URL',
      expected: 'a postgres:// URL',
      parse: url(['postgres', 'postgresql']),
      fallback: () => 'postgres://postgres@127.0.0.1:5432/hips_resolve',
    },
    checks,
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
    checks,
  );
  const databaseAppUrl = read(
    env,
    {
      name: 'DATABASE_APP_URL',
      expected: 'a postgres:// URL for the hips_app role',
      parse: url(['postgres', 'postgresql']),
      fallback: () => appUrlFrom(databaseUrl, 'hips_app', databaseAppPassword),
    },
    checks,
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
    checks,
  );
  const databaseAnalyticsUrl = read(
    env,
    {
      name: 'DATABASE_ANALYTICS_URL',
      expected: 'a postgres:// URL for the hips_analytics role',
      parse: url(['postgres', 'postgresql']),
      fallback: () => appUrlFrom(databaseUrl, 'hips_analytics', databaseAnalyticsPassword),
    },
    checks,
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
      checks,
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
      checks,
    ),
    databaseStartupTimeoutSeconds: read(
      env,
      {
        name: 'DATABASE_STARTUP_TIMEOUT_SECONDS',
        expected: 'seconds, 0-86400',
        parse: int(0, 86400),
        fallback: () => 300,
      },
      checks,
    ),
    redisUrl: read(
      env,
      {
        name: 'REDIS_URL',
        expected: 'a redis:// URL',
        parse: url(['redis', 'rediss']),
        fallback: () => 'redis://127.0.0.1:6379',
      },
      checks,
    ),
    redisPrefix: read(
      env,
      {
        name: 'REDIS_PREFIX',
        expected: 'letters, digits, - and _ (1-40)',
        parse: (r) => (/^[A-Za-z0-9_-]{1,40}$/.test(r) ? r : undefined),
        fallback: () => 'hips',
      },
      checks,
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
      checks,
    ),
    accessTokenTtlSeconds: read(
      env,
      {
        name: 'ACCESS_TOKEN_TTL_SECONDS',
        expected: 'seconds, 60-86400',
        parse: int(60, 86400),
        fallback: () => 900,
      },
      checks,
    ),
    refreshTokenTtlSeconds: read(
      env,
      {
        name: 'REFRESH_TOKEN_TTL_SECONDS',
        expected: 'seconds, 300-7776000',
        parse: int(300, 7_776_000),
        fallback: () => 14 * 24 * 3600,
      },
      checks,
    ),
    roleGrantTtlHours: read(
      env,
      {
        name: 'ROLE_GRANT_TTL_HOURS',
        expected: 'hours, 1-720',
        parse: int(1, 720),
        fallback: () => 72,
      },
      checks,
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
      checks,
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
      checks,
    ),
    demoPassword: read(
      env,
      {
        name: 'DEMO_PASSWORD',
        expected: 'at least 8 characters',
        parse: (r) => (r.length >= 8 ? r : undefined),
        fallback: () => 'resolve-demo',
      },
      checks,
    ),
    loginMaxFailures: read(
      env,
      { name: 'LOGIN_MAX_FAILURES', expected: 'an integer 1-1000', parse: int(1, 1000), fallback: () => 5 },
      checks,
    ),
    loginMaxFailuresPerAccount: read(
      env,
      {
        name: 'LOGIN_MAX_FAILURES_PER_ACCOUNT',
        expected: 'an integer 1-100000',
        parse: int(1, 100_000),
        fallback: () => 50,
      },
      checks,
    ),
    loginMaxFailuresPerAddress: read(
      env,
      {
        name: 'LOGIN_MAX_FAILURES_PER_ADDRESS',
        expected: 'an integer 1-100000',
        parse: int(1, 100_000),
        fallback: () => 50,
      },
      checks,
    ),
    loginWindowSeconds: read(
      env,
      {
        name: 'LOGIN_WINDOW_SECONDS',
        expected: 'seconds, 1-86400',
        parse: int(1, 86400),
        fallback: () => 900,
      },
      checks,
    ),
    publicUrl: read(
      env,
      {
        name: 'PUBLIC_URL',
        expected: 'an http(s) URL',
        parse: url(['http', 'https']),
        fallback: (e) => `http://localhost:${e.PORT || 3000}`,
      },
      checks,
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
        checks,
      ),
      sweepMs: read(
        env,
        {
          name: 'DEADLINE_SWEEP_MS',
          expected: 'milliseconds, 100-600000',
          parse: int(100, 600_000),
          fallback: () => 30_000,
        },
        checks,
      ),
      notificationsMs: read(
        env,
        {
          name: 'NOTIFICATION_POLL_MS',
          expected: 'milliseconds, 100-600000',
          parse: int(100, 600_000),
          fallback: () => 2000,
        },
        checks,
      ),
      retentionPurgeMs: read(
        env,
        {
          name: 'RETENTION_PURGE_MS',
          expected: 'milliseconds, 1000-604800000',
          parse: int(1000, 604_800_000),
          fallback: () => 86_400_000,
        },
        checks,
      ),
      deadlineConcurrency: read(
        env,
        {
          name: 'DEADLINE_CONCURRENCY',
          expected: 'an integer 1-200',
          parse: int(1, 200),
          fallback: () => 16,
        },
        checks,
      ),
      deadlineBatchSize: read(
        env,
        {
          name: 'DEADLINE_BATCH_SIZE',
          expected: 'an integer 1-1000',
          parse: int(1, 1000),
          fallback: () => DEFAULT_DEADLINE_BATCH_SIZE,
        },
        checks,
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
      checks,
    ),
    mailFrom: read(
      env,
      {
        name: 'MAIL_FROM',
        expected: 'an e-mail address',
        parse: (r) => (/^[^\s@]+@[^\s@]+$/.test(r) || /<[^\s@]+@[^\s@]+>$/.test(r) ? r : undefined),
        fallback: () => 'HIPS Resolve <no-reply@hips-resolve.local>',
      },
      checks,
    ),
    dataDir,
    analytics: {
      timeBudgetMs: read(
        env,
        {
          name: 'ANALYTICS_TIME_BUDGET_MS',
          expected: 'milliseconds, 1-600000',
          parse: int(1, 600_000),
          fallback: () => 10_000,
        },
        checks,
      ),
      threads: read(
        env,
        {
          name: 'ANALYTICS_THREADS',
          expected: 'an integer 1-64',
          parse: int(1, 64),
          // One core stays with the event loop.
          fallback: () => Math.max(1, availableParallelism() - 1),
        },
        checks,
      ),
    },
    platformOperators: read(
      env,
      {
        name: 'PLATFORM_OPERATORS',
        expected: 'comma-separated name:sha256-of-token pairs (64 lower-case hex digits), names unique',
        parse: operators,
        fallback: () => [],
      },
      checks,
    ),
    queueDashboardWritable: read(
      env,
      {
        name: 'QUEUE_DASHBOARD_WRITABLE',
        expected: 'true or false',
        parse: (r) => (r === 'true' ? true : r === 'false' ? false : undefined),
        fallback: () => false,
      },
      checks,
    ),
    webhooks: {
      maxAttempts: read(
        env,
        { name: 'WEBHOOK_MAX_ATTEMPTS', expected: 'an integer 1-50', parse: int(1, 50), fallback: () => 8 },
        checks,
      ),
      backoffBaseMs: read(
        env,
        {
          name: 'WEBHOOK_BACKOFF_BASE_MS',
          expected: 'milliseconds, 10-3600000',
          parse: int(10, 3_600_000),
          fallback: () => 10_000,
        },
        checks,
      ),
      backoffMaxMs: read(
        env,
        {
          name: 'WEBHOOK_BACKOFF_MAX_MS',
          expected: 'milliseconds, 10-86400000',
          parse: int(10, 86_400_000),
          fallback: () => 6 * 3600 * 1000,
        },
        checks,
      ),
      timeoutMs: read(
        env,
        {
          name: 'WEBHOOK_TIMEOUT_MS',
          expected: 'milliseconds, 100-60000',
          parse: int(100, 60_000),
          fallback: () => 5000,
        },
        checks,
      ),
      concurrency: read(
        env,
        { name: 'WEBHOOK_CONCURRENCY', expected: 'an integer 1-100', parse: int(1, 100), fallback: () => 10 },
        checks,
      ),
      pollMs: read(
        env,
        {
          name: 'WEBHOOK_POLL_MS',
          expected: 'milliseconds, 100-600000',
          parse: int(100, 600_000),
          fallback: () => 5000,
        },
        checks,
      ),
      allowHttp: read(
        env,
        {
          name: 'WEBHOOK_ALLOW_HTTP',
          expected: 'true or false',
          parse: (r) => (r === 'true' ? true : r === 'false' ? false : undefined),
          fallback: () => !production,
        },
        checks,
      ),
      allowLoopback: webhookLoopback(env, checks),
    },
  };
}

/** WEBHOOK_ALLOW_LOOPBACK: a production installation never posts to itself, whatever the variable says. */
function webhookLoopback(env: Env, checks: Checks): boolean {
  const allowed = read(
    env,
    {
      name: 'WEBHOOK_ALLOW_LOOPBACK',
      expected: 'true or false',
      parse: (r) => (r === 'true' ? true : r === 'false' ? false : undefined),
      fallback: () => false,
    },
    checks,
  );
  if (allowed && checks.production) {
    checks.problems.push('WEBHOOK_ALLOW_LOOPBACK must not be true when NODE_ENV=production');
  }
  return allowed;
}

/** For process entry points: a bad configuration stops start-up with one message naming every problem. */
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
