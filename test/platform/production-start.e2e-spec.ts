import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { startTestApp, TestApp } from '../support/app';
import { freePort, productionEnv, RunningProcess, startProcess, stopProcess } from '../support/processes';
import { waitFor } from '../deadlines/support';

/**
 * The built launcher (npm start) and seed:demo, spawned with NODE_ENV=production and databases of their own
 * (dropped afterwards): configuration first, and never the demo people with their published password.
 */
describe('production start-up', () => {
  let t: TestApp;
  const suiteDb = new URL(process.env.DATABASE_URL!).pathname.slice(1);
  const databases = ['bad_config', 'prod_start', 'seed_refused', 'seed_forced'].map((n) => `${suiteDb}_${n}`);
  const [badConfigDb, startDb, refusedDb, forcedDb] = databases;
  const procs: RunningProcess[] = [];

  const urlOf = (database: string) => {
    const u = new URL(process.env.DATABASE_URL!);
    u.pathname = `/${database}`;
    return u.toString();
  };
  /** A valid production configuration, with a data folder of its own. */
  const production = () => ({ ...productionEnv(), DATA_DIR: mkdtempSync(join(tmpdir(), 'hips-prod-')) });
  const run = (entry: string, env: Record<string, string>, args: string[] = []) => {
    const proc = startProcess(entry, env, args);
    procs.push(proc);
    return proc;
  };
  const exited = (proc: RunningProcess, timeoutMs = 30_000) =>
    waitFor('the process to exit', () => Promise.resolve(proc.child.exitCode !== null), timeoutMs).then(
      () => proc.child.exitCode,
    );
  const exists = async (database: string) => {
    const [row]: { n: number }[] = await t.owner.query(
      'select count(*)::int as n from pg_database where datname = $1',
      [database],
    );
    return row.n > 0;
  };
  const people = async (database: string) => {
    const client = new Client({ connectionString: urlOf(database) });
    await client.connect();
    try {
      const { rows } = await client.query<{ n: number }>(
        `select count(*)::int as n from people where email like '%@demo.hips.test'`,
      );
      return rows[0].n;
    } finally {
      await client.end();
    }
  };

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    for (const proc of procs) await stopProcess(proc);
    for (const database of databases)
      await t.owner.query(`drop database if exists "${database}" with (force)`);
    await t.close();
  });

  it('names every configuration problem at once and creates no database', async () => {
    const launcher = run('dist/scripts/start.js', {
      NODE_ENV: 'production',
      DATABASE_URL: '', // as on a fresh host: the launcher would use (and create a database on) the local server
      HIPS_START_DATABASE: badConfigDb,
      PORT: String(await freePort()),
      JWT_SECRET: 'short',
      IDENTIFIER_ENCRYPTION_KEY: '',
      DATABASE_APP_PASSWORD: '',
      WEBHOOK_ALLOW_LOOPBACK: 'false',
    });
    expect(await exited(launcher)).toBe(1);
    const output = launcher.output();
    expect(output).toMatch(/configuration error: 3 problems/);
    expect(output).toContain('DATABASE_APP_PASSWORD is required');
    expect(output).toContain('JWT_SECRET is malformed');
    expect(output).toContain('IDENTIFIER_ENCRYPTION_KEY is required');
    expect(output).not.toContain('PostgreSQL:');
    expect(await exists(badConfigDb)).toBe(false);
  });

  it('starts in production without loading demo people', async () => {
    const launcher = run('dist/scripts/start.js', {
      ...production(),
      DATABASE_URL: urlOf(startDb),
      REDIS_PREFIX: `hips-prod-${randomBytes(4).toString('hex')}`,
      PORT: String(await freePort()),
    });
    await waitFor(
      'the launcher to report it is running',
      () => {
        if (launcher.child.exitCode !== null) throw new Error(`launcher exited:\n${launcher.output()}`);
        return Promise.resolve(launcher.output().includes('HIPS Resolve is running.'));
      },
      90_000,
    );
    expect(launcher.output()).toContain('NODE_ENV=production: no demo data loaded');
    expect(launcher.output()).not.toContain('Demo logins');
    expect(await people(startDb)).toBe(0);
    await stopProcess(launcher);
  }, 120_000);

  it('refuses seed:demo in production unless forced, and then only with a password of its own', async () => {
    const refused = run('dist/scripts/seed-demo.js', { ...production(), DATABASE_URL: urlOf(refusedDb) });
    expect(await exited(refused)).toBe(1);
    expect(refused.output()).toContain('refusing to load the demo people');
    expect(refused.output()).toContain('--force');
    expect(await exists(refusedDb)).toBe(false);

    const defaultPassword = run('dist/scripts/seed-demo.js', {
      ...production(),
      DATABASE_URL: urlOf(refusedDb),
      SEED_DEMO_FORCE: 'true',
      DEMO_PASSWORD: '',
    });
    expect(await exited(defaultPassword)).toBe(1);
    expect(defaultPassword.output()).toContain('needs a DEMO_PASSWORD of your own');
    expect(await exists(refusedDb)).toBe(false);

    const forced = run(
      'dist/scripts/seed-demo.js',
      { ...production(), DATABASE_URL: urlOf(forcedDb), DEMO_PASSWORD: 'a-password-of-our-own' },
      ['--force'],
    );
    expect(await exited(forced, 75_000)).toBe(0);
    expect(forced.output()).toMatch(
      /Demo data loaded \(forced, NODE_ENV=production\): \d+ people, password from DEMO_PASSWORD/,
    );
    expect(await people(forcedDb)).toBeGreaterThan(0);
  }, 150_000);
});
