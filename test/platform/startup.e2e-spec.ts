import { createOwnerDataSource } from '@hips/database';
import { startTestApp, TestApp } from '../support/app';
import { CuttableProxy, cuttableProxy, throughProxy } from '../support/cuttable-proxy';
import { freePort, RunningProcess, startProcess, stopProcess, waitForHttp } from '../support/processes';
import { waitFor } from '../deadlines/support';

/**
 * A second, built API process whose every PostgreSQL connection (owner, application, analytics) goes through a
 * proxy the test cuts: unreachable at start-up, then cut in the middle of its migrations, then cut once running.
 */
describe('API start-up without PostgreSQL', () => {
  let t: TestApp;
  let proxy: CuttableProxy;
  let api: RunningProcess | undefined;
  // A database of its own, which the API creates and migrates at start-up.
  const database = `${new URL(process.env.DATABASE_URL!).pathname.slice(1)}_startup`;

  beforeAll(async () => {
    t = await startTestApp();
    proxy = await cuttableProxy(Number(new URL(process.env.DATABASE_URL!).port || 5432));
  });
  afterAll(async () => {
    await stopProcess(api);
    proxy.close();
    await t.owner.query(`drop database if exists "${database}" with (force)`);
    await t.close();
  });

  it('waits, migrates once PostgreSQL is back (even after a cut mid-migration), and reports readiness', async () => {
    const direct = new URL(process.env.DATABASE_URL!);
    direct.pathname = `/${database}`;
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    proxy.cut();
    api = startProcess('dist/apps/api/src/main.js', {
      DATABASE_URL: throughProxy(direct.toString(), proxy),
      PORT: String(port),
      LOG_LEVEL: 'warn',
      // Not the suite's instrumentation files: this process is not the one under test there.
      SQL_LOG_FILE: '',
      SCHEMA_FILE: '',
    });
    const retries = () =>
      api!
        .output()
        .split('\n')
        .filter((l) => l.includes('unreachable at start-up')).length;
    // Bounds generous for a loaded machine (a process start, the whole migration run); they never slow a pass.
    await waitFor('a few attempts', () => Promise.resolve(retries() >= 2), 60_000);
    // Back, but dropped again about a third of the way through the migrations (each is one transaction).
    proxy.restore();
    proxy.cutAfter(100);
    const before = retries();
    await waitFor('the cut mid-migration', () => Promise.resolve(proxy.isCut));
    await waitFor('the retry after it', () => Promise.resolve(retries() > before));
    expect(api.child.exitCode).toBeNull();
    proxy.restore();
    await waitForHttp(`${url}/health/ready`, api, 120_000);

    // Every migration applied exactly once, as in the suite's database.
    const expected: { name: string }[] = await t.owner.query(
      'select name from typeorm_migrations order by id',
    );
    const fresh = createOwnerDataSource(direct.toString());
    await fresh.initialize();
    try {
      const applied: { name: string }[] = await fresh.query(
        'select name from typeorm_migrations order by id',
      );
      expect(applied).toEqual(expected);
    } finally {
      await fresh.destroy();
    }

    // Running: a cut is survived, and readiness follows PostgreSQL.
    proxy.cut();
    const down = await fetch(`${url}/health/ready`);
    expect(down.status).toBe(503);
    expect(await down.json()).toMatchObject({ status: 'unavailable', postgres: 'unreachable', redis: 'ok' });
    expect((await fetch(`${url}/health/live`)).status).toBe(200);
    proxy.restore();
    await waitFor('ready again', async () => (await fetch(`${url}/health/ready`)).status === 200, 30_000);
    expect(api.output()).not.toMatch(/^\s+at /m);
  }, 300_000);
});
