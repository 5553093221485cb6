/** The environments a process runs in: their defaults differ (docs/configuration.md). */
export type NodeEnv = 'development' | 'test' | 'production';

/**
 * Which process loads the configuration: the entry point says so explicitly (loadConfig's options). It names the
 * process's database connections and logs, and sizes its connection pool.
 */
export type ProcessRole = 'api' | 'worker' | 'script';

/**
 * Most due deadlines one firing transaction claims: deadlines falling due together (working-day deadlines cluster)
 * share one claim, one audit append and one commit, and a burst is claimed within moments of falling due.
 */
export const DEFAULT_DEADLINE_BATCH_SIZE = 200;

/** The one validated configuration of every process (api, worker, scripts). */
export interface AppConfig {
  nodeEnv: NodeEnv;
  /** The process this configuration was loaded for. */
  processRole: ProcessRole;
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
  worker: WorkerConfig;
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

export interface WorkerConfig {
  relayMs: number;
  sweepMs: number;
  notificationsMs: number;
  /** How often the retention purge of child identifiers runs (docs/procedure.md §7). */
  retentionPurgeMs: number;
  deadlineConcurrency: number;
  deadlineBatchSize: number;
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
