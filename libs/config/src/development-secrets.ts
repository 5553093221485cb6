import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Env } from './load-config';
import { DEFAULT_DATA_DIR } from './schema/platform.variables';

/** The variables a development or test installation gets generated rather than set. */
export interface DevelopmentSecrets {
  IDENTIFIER_ENCRYPTION_KEY: string;
}

/**
 * The local development secrets, generated once and kept under the data folder, so encrypted identifiers survive
 * restarts. Creates the files it needs: an explicit step of the launcher, the entry points and the test setup,
 * never of loading the configuration. Production must set IDENTIFIER_ENCRYPTION_KEY.
 */
export function ensureDevelopmentSecrets(dataDir: string): DevelopmentSecrets {
  const file = resolve(dataDir, 'identifier-encryption.key');
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, randomBytes(32).toString('base64'), { mode: 0o600 });
  }
  return { IDENTIFIER_ENCRYPTION_KEY: readFileSync(file, 'utf8').trim() };
}

/**
 * `env` with the development secrets it does not set itself; unchanged in production (and when NODE_ENV is
 * malformed), where a missing secret is a configuration problem.
 */
export function withDevelopmentSecrets(env: Env): Env {
  const nodeEnv = env.NODE_ENV || 'development';
  if ((nodeEnv !== 'development' && nodeEnv !== 'test') || env.IDENTIFIER_ENCRYPTION_KEY) return env;
  const secrets = ensureDevelopmentSecrets(resolve(env.DATA_DIR || DEFAULT_DATA_DIR));
  return { ...env, ...secrets };
}
