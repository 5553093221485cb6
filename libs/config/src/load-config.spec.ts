import { loadConfig } from './load-config';

describe('loadConfig', () => {
  const key = Buffer.alloc(32, 7).toString('base64');
  /** A development environment: the identifier key is the one secret without a default anywhere. */
  const dev = { IDENTIFIER_ENCRYPTION_KEY: key };

  it('has a default for every variable in development', () => {
    const config = loadConfig(dev);
    expect(config.port).toBe(3000);
    expect(config.databaseAppUrl).toBe('postgres://hips_app:hips-app-local@127.0.0.1:5432/hips_resolve');
    expect(config.identifierEncryptionKey).toHaveLength(32);
  });

  it('names a malformed variable and what is expected', () => {
    expect(() => loadConfig({ ...dev, PORT: 'eighty' })).toThrow(
      'PORT is malformed: expected a port number 1-65535',
    );
    expect(() => loadConfig({ ...dev, REDIS_URL: 'http://x' })).toThrow(/REDIS_URL is malformed/);
  });

  it('requires the secrets in production', () => {
    const base = { NODE_ENV: 'production', DATABASE_APP_PASSWORD: 'p' };
    expect(() => loadConfig({ ...base, IDENTIFIER_ENCRYPTION_KEY: key })).toThrow(
      'JWT_SECRET is required when NODE_ENV=production',
    );
    expect(() => loadConfig({ ...base, JWT_SECRET: 'x'.repeat(40) })).toThrow(
      'IDENTIFIER_ENCRYPTION_KEY is required when NODE_ENV=production',
    );
    expect(loadConfig({ ...base, JWT_SECRET: 'x'.repeat(40), IDENTIFIER_ENCRYPTION_KEY: key }).nodeEnv).toBe(
      'production',
    );
  });

  it('names every missing or malformed production secret in one error', () => {
    let message = '';
    try {
      loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'too-short', PORT: 'eighty' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/^4 problems:/);
    expect(message).toContain('DATABASE_APP_PASSWORD is required when NODE_ENV=production');
    expect(message).toContain('JWT_SECRET is malformed: expected a secret of at least 32 characters');
    expect(message).toContain('IDENTIFIER_ENCRYPTION_KEY is required when NODE_ENV=production');
    expect(message).toContain('PORT is malformed');
  });

  it('rejects a key of the wrong length', () => {
    expect(() => loadConfig({ IDENTIFIER_ENCRYPTION_KEY: 'c2hvcnQ=' })).toThrow(
      /IDENTIFIER_ENCRYPTION_KEY is malformed/,
    );
  });

  it('has webhook defaults, overridable, with plain http refused in production unless allowed', () => {
    expect(loadConfig(dev).webhooks).toEqual({
      maxAttempts: 8,
      backoffBaseMs: 10_000,
      backoffMaxMs: 6 * 3600 * 1000,
      timeoutMs: 5000,
      concurrency: 10,
      pollMs: 5000,
      allowHttp: true,
      allowLoopback: false,
    });
    const prod = { NODE_ENV: 'production', DATABASE_APP_PASSWORD: 'p', JWT_SECRET: 'x'.repeat(40) };
    expect(loadConfig({ ...prod, IDENTIFIER_ENCRYPTION_KEY: key }).webhooks.allowHttp).toBe(false);
    expect(
      loadConfig({ ...prod, IDENTIFIER_ENCRYPTION_KEY: key, WEBHOOK_ALLOW_HTTP: 'true' }).webhooks.allowHttp,
    ).toBe(true);
    expect(loadConfig({ ...dev, WEBHOOK_MAX_ATTEMPTS: '3' }).webhooks.maxAttempts).toBe(3);
    expect(() => loadConfig({ ...dev, WEBHOOK_TIMEOUT_MS: '5s' })).toThrow(/WEBHOOK_TIMEOUT_MS is malformed/);
  });

  it('allows loopback receivers only when asked, and never in production', () => {
    expect(loadConfig({ ...dev, WEBHOOK_ALLOW_LOOPBACK: 'true' }).webhooks.allowLoopback).toBe(true);
    expect(loadConfig({ ...dev, WEBHOOK_ALLOW_LOOPBACK: 'false' }).webhooks.allowLoopback).toBe(false);
    expect(() => loadConfig({ ...dev, WEBHOOK_ALLOW_LOOPBACK: 'yes' })).toThrow(
      /WEBHOOK_ALLOW_LOOPBACK is malformed/,
    );
    const prod = {
      NODE_ENV: 'production',
      DATABASE_APP_PASSWORD: 'p',
      JWT_SECRET: 'x'.repeat(40),
      IDENTIFIER_ENCRYPTION_KEY: key,
    };
    expect(loadConfig(prod).webhooks.allowLoopback).toBe(false);
    expect(loadConfig({ ...prod, WEBHOOK_ALLOW_LOOPBACK: 'false' }).webhooks.allowLoopback).toBe(false);
    expect(() => loadConfig({ ...prod, WEBHOOK_ALLOW_LOOPBACK: 'true' })).toThrow(
      'WEBHOOK_ALLOW_LOOPBACK must not be true when NODE_ENV=production',
    );
  });
});
