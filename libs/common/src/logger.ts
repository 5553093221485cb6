import type { LoggerService } from '@nestjs/common';
import pino, { Logger } from 'pino';

/**
 * Structured JSON logs. Secrets and child identifiers are redacted by key wherever they appear, as a second
 * line of defence: code must not log them in the first place.
 */
export const REDACTED_KEYS = [
  'password',
  'accessToken',
  'refreshToken',
  'token',
  'authorization',
  'x-api-key',
  'apiKey',
  'child',
  'nhsNumber',
  'initials',
  'dateOfBirth',
  'localAuthorityCaseId',
];

/** Redaction paths for a key at the top level and up to two levels down (keys with dashes need brackets). */
export function loggerOptions(level: string, name: string): pino.LoggerOptions {
  const key = (k: string) => (/^[A-Za-z_$][\w$]*$/.test(k) ? k : `["${k}"]`);
  const under = (prefix: string) =>
    REDACTED_KEYS.map((k) => (key(k).startsWith('[') ? `${prefix}${key(k)}` : `${prefix}.${k}`));
  return {
    name,
    level,
    redact: { paths: [...REDACTED_KEYS.map(key), ...under('*'), ...under('*.*')], censor: '[redacted]' },
  };
}

export function createLogger(level: string, name: string): Logger {
  return pino(loggerOptions(level, name));
}

/** Nest's logger interface over pino, so framework messages are JSON too. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}
  log(message: unknown, context?: string): void {
    this.logger.info({ context }, String(message));
  }
  error(message: unknown, trace?: string, context?: string): void {
    this.logger.error({ context, trace }, String(message));
  }
  warn(message: unknown, context?: string): void {
    this.logger.warn({ context }, String(message));
  }
  debug(message: unknown, context?: string): void {
    this.logger.debug({ context }, String(message));
  }
  verbose(message: unknown, context?: string): void {
    this.logger.trace({ context }, String(message));
  }
}
