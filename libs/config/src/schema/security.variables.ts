import { byEnvironment, REQUIRED, required, fixed, variable } from './variable';
import { integer, key32, text } from './values';

const DEVELOPMENT_JWT_SECRET = 'local-development-secret-not-for-production-use';

/** Secrets, sign-in and its throttling (docs/security/authentication.md). */
export const securityVariables = {
  JWT_SECRET: variable({
    description: 'Signs access and refresh tokens. Outside production a fixed development secret.',
    expected: 'a secret of at least 32 characters',
    parse: text.min(32),
    default: byEnvironment({
      development: DEVELOPMENT_JWT_SECRET,
      test: DEVELOPMENT_JWT_SECRET,
      production: REQUIRED,
    }),
  }),
  IDENTIFIER_ENCRYPTION_KEY: variable({
    description:
      "Encrypts children's identifiers (AES-256-GCM). Outside production the launcher, the API, the worker and " +
      'the scripts generate one under DATA_DIR and keep it there (development-secrets.ts).',
    expected: '32 random bytes, base64-encoded (openssl rand -base64 32)',
    parse: key32,
    default: required,
  }),
  ACCESS_TOKEN_TTL_SECONDS: variable({
    description: 'Lifetime of an access token.',
    expected: 'seconds, 60-86400',
    parse: integer(60, 86400),
    default: fixed(900),
  }),
  REFRESH_TOKEN_TTL_SECONDS: variable({
    description: 'Lifetime of a refresh token.',
    expected: 'seconds, 300-7776000',
    parse: integer(300, 7_776_000),
    default: fixed(14 * 24 * 3600),
  }),
  ROLE_GRANT_TTL_HOURS: variable({
    description:
      'How long a four-eyes role grant waits for a second admin before it expires ' +
      '(docs/security/separation-of-duties.md).',
    expected: 'hours, 1-720',
    parse: integer(1, 720),
    default: fixed(72),
  }),
  LOGIN_MAX_FAILURES: variable({
    description:
      'Failed logins for one e-mail from one client address before sign-in is refused for a while.',
    expected: 'an integer 1-1000',
    parse: integer(1, 1000),
    default: fixed(5),
  }),
  LOGIN_MAX_FAILURES_PER_ACCOUNT: variable({
    description:
      'Failed logins for one e-mail from all addresses together: higher, so one attacker cannot lock the owner out.',
    expected: 'an integer 1-100000',
    parse: integer(1, 100_000),
    default: fixed(50),
  }),
  LOGIN_MAX_FAILURES_PER_ADDRESS: variable({
    description:
      'Failed logins from one client address: higher, since one address may front many people (a proxy).',
    expected: 'an integer 1-100000',
    parse: integer(1, 100_000),
    default: fixed(50),
  }),
  LOGIN_WINDOW_SECONDS: variable({
    description: 'The window the failed-login counts above are kept for.',
    expected: 'seconds, 1-86400',
    parse: integer(1, 86400),
    default: fixed(900),
  }),
};
