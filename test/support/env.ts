import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/** Written by the global setup (a fresh database per run), read by every spec; one per checkout. */
export const TEST_ENV_FILE = resolve('.data/test-env.json');
mkdirSync(dirname(TEST_ENV_FILE), { recursive: true });

export function readTestEnv(): Record<string, string> {
  return JSON.parse(readFileSync(TEST_ENV_FILE, 'utf8')) as Record<string, string>;
}
