import { loadConfig } from './config';

describe('loadConfig', () => {
  const key = Buffer.alloc(32, 7).toString('base64');

  it('has a default for every variable in development', () => {
    const config = loadConfig({ DATA_DIR: '/tmp/hips-config-spec' });
    expect(config.port).toBe(3000);
    expect(config.databaseAppUrl).toBe('postgres://hips_app:hips-app-local@127.0.0.1:5432/hips_resolve');
    expect(config.identifierEncryptionKey).toHaveLength(32);
  });

  it('names a malformed variable and what is expected', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow('PORT is malformed: expected a port number 1-65535');
    expect(() => loadConfig({ REDIS_URL: 'http://x' })).toThrow(/REDIS_URL is malformed/);
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

  it('rejects a key of the wrong length', () => {
    expect(() => loadConfig({ IDENTIFIER_ENCRYPTION_KEY: 'c2hvcnQ=' })).toThrow(
      /IDENTIFIER_ENCRYPTION_KEY is malformed/,
    );
  });
});
