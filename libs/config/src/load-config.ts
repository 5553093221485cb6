import type { AppConfig, NodeEnv, ProcessRole } from './app-config';
import { withDevelopmentSecrets } from './development-secrets';
import { CONFIG_VARIABLES, type ConfigValues, environmentSchema } from './schema';

export class ConfigError extends Error {}

export type Env = Record<string, string | undefined>;

export interface LoadOptions {
  /** The process loading the configuration (default: a script). */
  role?: ProcessRole;
}

/**
 * The configuration in `env`, validated: a pure function (no files, no globals). Every problem is named in one
 * ConfigError, so an operator fixes them all in one round (docs/security/operators-and-production.md).
 */
export function loadConfig(env: Env = process.env, options: LoadOptions = {}): AppConfig {
  // The environment decides the other defaults; a malformed NODE_ENV is reported below and counts as development.
  const nodeEnv: NodeEnv = CONFIG_VARIABLES.NODE_ENV.parse.safeParse(env.NODE_ENV).data ?? 'development';
  const role = options.role ?? 'script';
  const result = environmentSchema({ nodeEnv, role }).safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => issue.message);
    if (problems.length === 1) throw new ConfigError(problems[0]);
    throw new ConfigError(`${problems.length} problems:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
  return appConfig(result.data, role);
}

/**
 * For process entry points (api, worker, scripts): outside production the local development secrets are filled in
 * first (withDevelopmentSecrets), and a bad configuration stops start-up with one message naming every problem.
 */
export function loadConfigOrExit(env: Env = process.env, options: LoadOptions = {}): AppConfig {
  try {
    return loadConfig(withDevelopmentSecrets(env), options);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`Configuration error: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}

function appConfig(v: ConfigValues, processRole: ProcessRole): AppConfig {
  return {
    nodeEnv: v.NODE_ENV,
    processRole,
    port: v.PORT,
    databaseUrl: v.DATABASE_URL,
    databaseAppUrl: v.DATABASE_APP_URL,
    databaseAppPassword: v.DATABASE_APP_PASSWORD,
    databaseAnalyticsUrl: v.DATABASE_ANALYTICS_URL,
    databaseAnalyticsPassword: v.DATABASE_ANALYTICS_PASSWORD,
    databasePoolSize: v.DATABASE_POOL_SIZE,
    databaseStartupTimeoutSeconds: v.DATABASE_STARTUP_TIMEOUT_SECONDS,
    redisUrl: v.REDIS_URL,
    redisPrefix: v.REDIS_PREFIX,
    jwtSecret: v.JWT_SECRET,
    accessTokenTtlSeconds: v.ACCESS_TOKEN_TTL_SECONDS,
    refreshTokenTtlSeconds: v.REFRESH_TOKEN_TTL_SECONDS,
    roleGrantTtlHours: v.ROLE_GRANT_TTL_HOURS,
    identifierEncryptionKey: v.IDENTIFIER_ENCRYPTION_KEY,
    logLevel: v.LOG_LEVEL,
    demoPassword: v.DEMO_PASSWORD,
    loginMaxFailures: v.LOGIN_MAX_FAILURES,
    loginMaxFailuresPerAccount: v.LOGIN_MAX_FAILURES_PER_ACCOUNT,
    loginMaxFailuresPerAddress: v.LOGIN_MAX_FAILURES_PER_ADDRESS,
    loginWindowSeconds: v.LOGIN_WINDOW_SECONDS,
    publicUrl: v.PUBLIC_URL,
    smtpUrl: v.SMTP_URL,
    worker: {
      relayMs: v.OUTBOX_RELAY_MS,
      sweepMs: v.DEADLINE_SWEEP_MS,
      notificationsMs: v.NOTIFICATION_POLL_MS,
      retentionPurgeMs: v.RETENTION_PURGE_MS,
      deadlineConcurrency: v.DEADLINE_CONCURRENCY,
      deadlineBatchSize: v.DEADLINE_BATCH_SIZE,
    },
    mailFrom: v.MAIL_FROM,
    dataDir: v.DATA_DIR,
    platformOperators: v.PLATFORM_OPERATORS,
    queueDashboardWritable: v.QUEUE_DASHBOARD_WRITABLE,
    webhooks: {
      maxAttempts: v.WEBHOOK_MAX_ATTEMPTS,
      backoffBaseMs: v.WEBHOOK_BACKOFF_BASE_MS,
      backoffMaxMs: v.WEBHOOK_BACKOFF_MAX_MS,
      timeoutMs: v.WEBHOOK_TIMEOUT_MS,
      concurrency: v.WEBHOOK_CONCURRENCY,
      pollMs: v.WEBHOOK_POLL_MS,
      allowHttp: v.WEBHOOK_ALLOW_HTTP,
      allowLoopback: v.WEBHOOK_ALLOW_LOOPBACK,
    },
    analytics: {
      timeBudgetMs: v.ANALYTICS_TIME_BUDGET_MS,
      threads: v.ANALYTICS_THREADS,
    },
  };
}
