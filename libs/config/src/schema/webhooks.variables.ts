import { byEnvironment, fixed, variable } from './variable';
import { flag, integer } from './values';

/** Outgoing webhooks: delivery attempts, backoff, timeout, concurrency, and which receivers are allowed. */
export const webhookVariables = {
  WEBHOOK_MAX_ATTEMPTS: variable({
    description: 'Attempts before a delivery is DEAD.',
    expected: 'an integer 1-50',
    parse: integer(1, 50),
    default: fixed(8),
  }),
  WEBHOOK_BACKOFF_BASE_MS: variable({
    description:
      'Backoff before retry n is about base × 2^(n-1), capped by WEBHOOK_BACKOFF_MAX_MS, with jitter.',
    expected: 'milliseconds, 10-3600000',
    parse: integer(10, 3_600_000),
    default: fixed(10_000),
  }),
  WEBHOOK_BACKOFF_MAX_MS: variable({
    description: 'The longest backoff between two attempts.',
    expected: 'milliseconds, 10-86400000',
    parse: integer(10, 86_400_000),
    default: fixed(6 * 3600 * 1000),
  }),
  WEBHOOK_TIMEOUT_MS: variable({
    description: 'Per request: a receiver that has not answered by then counts as failed.',
    expected: 'milliseconds, 100-60000',
    parse: integer(100, 60_000),
    default: fixed(5000),
  }),
  WEBHOOK_CONCURRENCY: variable({
    description: 'Requests in flight at once per worker pass.',
    expected: 'an integer 1-100',
    parse: integer(1, 100),
    default: fixed(10),
  }),
  WEBHOOK_POLL_MS: variable({
    description: 'How often the worker looks for due deliveries.',
    expected: 'milliseconds, 100-600000',
    parse: integer(100, 600_000),
    default: fixed(5000),
  }),
  WEBHOOK_ALLOW_HTTP: variable({
    description: 'Whether plain http:// endpoints are accepted; https only in production unless set.',
    expected: 'true or false',
    parse: flag,
    default: byEnvironment({ development: true, test: true, production: false }),
  }),
  WEBHOOK_ALLOW_LOOPBACK: variable({
    description:
      'Receivers on loopback addresses, for local testing only; refused in production. Every other internal ' +
      'address is refused always (docs/security/webhooks-ssrf.md).',
    expected: 'true or false',
    parse: flag,
    default: fixed(false),
    // A production installation never posts to itself, whatever the variable says.
    refuse: (allowed, facts) =>
      allowed && facts.nodeEnv === 'production'
        ? 'WEBHOOK_ALLOW_LOOPBACK must not be true when NODE_ENV=production'
        : undefined,
  }),
};
