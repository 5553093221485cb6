import { createHash } from 'node:crypto';
import { byEnvironment, byRole, derived, fixed, REQUIRED, variable } from './variable';
import { integer, text, url } from './values';

/** The application-role URL from the owner URL: same host and database, other credentials. */
function withRole(ownerUrl: string, user: string, password: string): string {
  const u = new URL(ownerUrl);
  u.username = user;
  u.password = password;
  return u.toString();
}

/** PostgreSQL (three roles: owner, application, analytics) and Redis. */
export const databaseVariables = {
  DATABASE_URL: variable({
    description: 'The owner connection: runs the migrations and owns every table; never serves requests.',
    expected: 'a postgres:// URL',
    parse: url('postgres', 'postgresql'),
    default: fixed('postgres://postgres@127.0.0.1:5432/hips_resolve'),
  }),
  DATABASE_APP_PASSWORD: variable({
    description: 'The password of the application role hips_app; the API sets it on the role at start-up.',
    expected: 'the password of the application database role hips_app',
    parse: text,
    default: byEnvironment({ development: 'hips-app-local', test: 'hips-app-local', production: REQUIRED }),
  }),
  DATABASE_APP_URL: variable({
    description:
      'The application connection: the hips_app role, which owns nothing and cannot bypass row-level security.',
    expected: 'a postgres:// URL for the hips_app role',
    parse: url('postgres', 'postgresql'),
    default: derived('DATABASE_URL as hips_app with DATABASE_APP_PASSWORD', (values) =>
      withRole(values.DATABASE_URL, 'hips_app', values.DATABASE_APP_PASSWORD),
    ),
  }),
  DATABASE_ANALYTICS_PASSWORD: variable({
    description:
      'The password of the analytics role hips_analytics, which reads only the aggregate read model.',
    expected: 'the password of the analytics database role hips_analytics',
    parse: text,
    default: derived(
      'in production derived from DATABASE_APP_PASSWORD; hips-analytics-local otherwise',
      (values, facts) =>
        facts.nodeEnv === 'production'
          ? createHash('sha256').update(`hips_analytics:${values.DATABASE_APP_PASSWORD}`).digest('base64url')
          : 'hips-analytics-local',
    ),
  }),
  DATABASE_ANALYTICS_URL: variable({
    description: 'The analytics read path: the hips_analytics role, which can never reach case rows.',
    expected: 'a postgres:// URL for the hips_analytics role',
    parse: url('postgres', 'postgresql'),
    default: derived('DATABASE_URL as hips_analytics with DATABASE_ANALYTICS_PASSWORD', (values) =>
      withRole(values.DATABASE_URL, 'hips_analytics', values.DATABASE_ANALYTICS_PASSWORD),
    ),
  }),
  DATABASE_POOL_SIZE: variable({
    description:
      "Connections of a process's application pool; the worker runs DEADLINE_CONCURRENCY jobs, a sweeper and " +
      'its loops at once, so it gets room for all of them.',
    expected: 'an integer 1-200',
    parse: integer(1, 200),
    default: byRole({ api: 10, worker: 24, script: 10 }),
  }),
  DATABASE_STARTUP_TIMEOUT_SECONDS: variable({
    description:
      'How long a starting process retries an unreachable PostgreSQL before it gives up (0: one attempt).',
    expected: 'seconds, 0-86400',
    parse: integer(0, 86400),
    default: fixed(300),
  }),
  REDIS_URL: variable({
    description: 'Redis: queues (BullMQ), login throttling and subscription events.',
    expected: 'a redis:// URL',
    parse: url('redis', 'rediss'),
    default: fixed('redis://127.0.0.1:6379'),
  }),
  REDIS_PREFIX: variable({
    description: 'Prefix of every Redis key and queue, so installations or test runs can share a server.',
    expected: 'letters, digits, - and _ (1-40)',
    parse: text.regex(/^[A-Za-z0-9_-]{1,40}$/),
    default: fixed('hips'),
  }),
};
