import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureDevelopmentSecrets, withDevelopmentSecrets } from './development-secrets';
import { loadConfig } from './load-config';
import { describeConfigVariables } from './schema';

describe('development secrets', () => {
  const folder = () => join(mkdtempSync(join(tmpdir(), 'hips-config-spec-')), 'data');

  it('loading the configuration writes nothing: without the key it is named as missing', () => {
    const dataDir = folder();
    expect(() => loadConfig({ DATA_DIR: dataDir })).toThrow(
      'IDENTIFIER_ENCRYPTION_KEY is missing (expected 32 random bytes, base64-encoded (openssl rand -base64 32))',
    );
    expect(existsSync(dataDir)).toBe(false);
  });

  it('generates the identifier key once under the data folder and reuses it', () => {
    const dataDir = folder();
    const first = ensureDevelopmentSecrets(dataDir);
    expect(Buffer.from(first.IDENTIFIER_ENCRYPTION_KEY, 'base64')).toHaveLength(32);
    expect(readFileSync(join(dataDir, 'identifier-encryption.key'), 'utf8')).toBe(
      first.IDENTIFIER_ENCRYPTION_KEY,
    );
    expect(ensureDevelopmentSecrets(dataDir)).toEqual(first);
    const config = loadConfig(withDevelopmentSecrets({ DATA_DIR: dataDir }));
    expect(config.identifierEncryptionKey.toString('base64')).toBe(first.IDENTIFIER_ENCRYPTION_KEY);
  });

  it('fills in nothing in production or when the key is set', () => {
    const dataDir = folder();
    const production = { NODE_ENV: 'production', DATA_DIR: dataDir };
    expect(withDevelopmentSecrets(production)).toBe(production);
    const set = { DATA_DIR: dataDir, IDENTIFIER_ENCRYPTION_KEY: 'x' };
    expect(withDevelopmentSecrets(set)).toBe(set);
    expect(existsSync(dataDir)).toBe(false);
  });
});

describe('process role and schema', () => {
  const dev = { IDENTIFIER_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64') };

  it('sizes the pool by the role the entry point names, unless DATABASE_POOL_SIZE is set', () => {
    expect(loadConfig(dev, { role: 'worker' })).toMatchObject({
      processRole: 'worker',
      databasePoolSize: 24,
    });
    expect(loadConfig(dev, { role: 'api' })).toMatchObject({ processRole: 'api', databasePoolSize: 10 });
    expect(loadConfig(dev)).toMatchObject({ processRole: 'script', databasePoolSize: 10 });
    expect(loadConfig({ ...dev, DATABASE_POOL_SIZE: '3' }, { role: 'worker' }).databasePoolSize).toBe(3);
  });

  it('derives defaults from the variables they depend on', () => {
    const config = loadConfig({ ...dev, PORT: '4000', DATABASE_URL: 'postgres://o:p@db:5433/x' });
    expect(config.publicUrl).toBe('http://localhost:4000');
    expect(config.databaseAnalyticsUrl).toBe('postgres://hips_analytics:hips-analytics-local@db:5433/x');
    expect(config.logLevel).toBe('info');
    expect(loadConfig({ ...dev, NODE_ENV: 'test' }).logLevel).toBe('silent');
  });

  it('names a malformed NODE_ENV with the other problems', () => {
    expect(() => loadConfig({ ...dev, NODE_ENV: 'prod', PORT: '0' })).toThrow(
      /^2 problems:\n {2}- NODE_ENV is malformed: expected development, test or production\n {2}- PORT is malformed/,
    );
  });

  it('describes every variable with what it accepts and its default', () => {
    const rows = describeConfigVariables();
    expect(rows.length).toBeGreaterThan(40);
    for (const row of rows) expect(row.description.length).toBeGreaterThan(10);
    expect(rows.find((r) => r.name === 'JWT_SECRET')?.default).toContain('production: required');
    expect(rows.find((r) => r.name === 'DATABASE_POOL_SIZE')?.default).toBe(
      'api: 10; worker: 24; script: 10',
    );
  });
});
