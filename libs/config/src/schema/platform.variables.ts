import { resolve } from 'node:path';
import { byEnvironment, derived, fixed, variable } from './variable';
import { flag, integer, oneOf, operatorList, text, url } from './values';

/** DATA_DIR when unset, relative to the working directory. */
export const DEFAULT_DATA_DIR = '.data';

/** The process, its HTTP address, its logs, its data folder, and who operates the platform. */
export const platformVariables = {
  NODE_ENV: variable({
    description: 'development, test or production; production requires the secrets and tightens defaults.',
    expected: 'development, test or production',
    parse: oneOf(['development', 'test', 'production']),
    default: fixed('development' as const),
  }),
  PORT: variable({
    description: 'The HTTP port of the API.',
    expected: 'a port number 1-65535',
    parse: integer(1, 65535),
    default: fixed(3000),
  }),
  PUBLIC_URL: variable({
    description: 'The address people reach the API at (links in e-mails, the start-up banner).',
    expected: 'an http(s) URL',
    parse: url('http', 'https'),
    default: derived('http://localhost:<PORT>', (values) => `http://localhost:${values.PORT}`),
  }),
  LOG_LEVEL: variable({
    description: 'The least severe log level written.',
    expected: 'one of fatal, error, warn, info, debug, trace, silent',
    parse: oneOf(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
    default: byEnvironment({ development: 'info', test: 'silent', production: 'info' }),
  }),
  DATA_DIR: variable({
    description:
      'Local files: mail written to files when SMTP_URL is unset, and (outside production) the generated ' +
      'development secrets. Relative to the working directory.',
    expected: 'a folder path',
    parse: text.transform((raw) => resolve(raw)),
    default: derived(`${DEFAULT_DATA_DIR} under the working directory`, () => resolve(DEFAULT_DATA_DIR)),
  }),
  PLATFORM_OPERATORS: variable({
    description:
      'The platform operators who may open the queue dashboard: name:sha256-of-token pairs (HTTP Basic name:token).',
    expected: 'comma-separated name:sha256-of-token pairs (64 lower-case hex digits), names unique',
    parse: operatorList,
    default: fixed([]),
  }),
  QUEUE_DASHBOARD_WRITABLE: variable({
    description:
      'Whether the queue dashboard may pause, empty, clean, retry or obliterate; read-only otherwise.',
    expected: 'true or false',
    parse: flag,
    default: fixed(false),
  }),
};

/** Outgoing mail and the demo data's password. */
export const mailVariables = {
  SMTP_URL: variable({
    description:
      'The SMTP server notifications are sent through; unset writes each mail to a file under DATA_DIR/mail.',
    expected: 'an smtp:// or smtps:// URL',
    parse: url('smtp', 'smtps'),
    default: fixed<string | null>(null),
  }),
  MAIL_FROM: variable({
    description: 'The sender of notification e-mails.',
    expected: 'an e-mail address',
    parse: text.refine((raw) => /^[^\s@]+@[^\s@]+$/.test(raw) || /<[^\s@]+@[^\s@]+>$/.test(raw)),
    default: fixed('HIPS Resolve <no-reply@hips-resolve.local>'),
  }),
  DEMO_PASSWORD: variable({
    description: 'The password of the demo people the demo seed loads (development only unless forced).',
    expected: 'at least 8 characters',
    parse: text.min(8),
    default: fixed('resolve-demo'),
  }),
};
