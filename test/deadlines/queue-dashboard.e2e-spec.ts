import { createHash, randomBytes } from 'node:crypto';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import request from 'supertest';
import { DEMO_PASSWORD, startTestApp, TestApp } from '../support/app';
import { freePort, RunningProcess, startProcess, stopProcess, waitForHttp } from '../support/processes';

const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

/** Every write endpoint the audit named, against the maintenance queue (home of the retention purge). */
const WRITES = [
  '/admin/queues/api/queues/maintenance/pause',
  '/admin/queues/api/queues/maintenance/empty',
  '/admin/queues/api/queues/maintenance/clean/delayed',
  '/admin/queues/api/queues/maintenance/obliterate',
  '/admin/queues/api/queues/pause',
];

/**
 * Two API processes of our own, on a Redis prefix of our own (their queues are this spec's only): one with the
 * dashboard read-only (the default), one with QUEUE_DASHBOARD_WRITABLE=true. Both know one platform operator.
 */
describe('queue dashboard (platform operators only)', () => {
  let t: TestApp;
  let readOnly: RunningProcess | undefined;
  let writable: RunningProcess | undefined;
  let readOnlyUrl = '';
  let writableUrl = '';
  let connection: Redis;
  let maintenance: Queue;
  const prefix = `hips-dash-${randomBytes(4).toString('hex')}`;
  const operator = `ops-${randomBytes(3).toString('hex')}`;
  const token = randomBytes(32).toString('base64url');
  const asOperator = basic(operator, token);

  async function startApi(extra: Record<string, string>): Promise<[RunningProcess, string]> {
    const port = await freePort();
    const proc = startProcess('dist/apps/api/src/main.js', {
      PORT: String(port),
      REDIS_PREFIX: prefix,
      PLATFORM_OPERATORS: `${operator}:${createHash('sha256').update(token).digest('hex')}`,
      LOG_LEVEL: 'warn',
      SQL_LOG_FILE: '',
      SCHEMA_FILE: '',
      ...extra,
    });
    const url = `http://127.0.0.1:${port}`;
    await waitForHttp(`${url}/health/live`, proc);
    return [proc, url];
  }

  /** Whether the maintenance queue still has our marker job and is not paused. */
  async function untouched(jobId: string): Promise<void> {
    expect(await maintenance.isPaused()).toBe(false);
    expect(await maintenance.getJob(jobId)).toBeDefined();
  }

  async function auditRows(action: string): Promise<{ detail: { method: string; path: string } }[]> {
    return t.owner.query(
      `select detail from platform_audit_log where actor_name = $1 and action = $2 order by seq`,
      [operator, action],
    );
  }

  beforeAll(async () => {
    t = await startTestApp();
    connection = new Redis(process.env.REDIS_URL!, { maxRetriesPerRequest: null });
    maintenance = new Queue('maintenance', { connection, prefix });
    [[readOnly, readOnlyUrl], [writable, writableUrl]] = await Promise.all([
      startApi({}),
      startApi({ QUEUE_DASHBOARD_WRITABLE: 'true' }),
    ]);
  }, 90_000);
  afterAll(async () => {
    try {
      await Promise.all([stopProcess(readOnly), stopProcess(writable)]);
      // A failed clean-up fails the spec; what follows is closed regardless.
      await maintenance.obliterate({ force: true });
    } finally {
      await maintenance.close();
      await connection.quit();
      await t.close();
    }
  });

  it('refuses partnership admins (password or token), even with writes enabled, and leaves the queue alone', async () => {
    const job = await maintenance.add('marker', {}, { delay: 86_400_000 });
    const http = request(writableUrl);
    const adminToken = await t.login('admin.hampshire@demo.hips.test');
    for (const authorization of [
      basic('admin.hampshire@demo.hips.test', DEMO_PASSWORD),
      `Bearer ${adminToken}`,
      '',
    ]) {
      for (const path of ['/admin/queues', '/admin/queues/api/queues']) {
        const res = await http.get(path).set('authorization', authorization);
        expect(res.status).toBe(401);
        expect(res.headers['www-authenticate']).toMatch(/^Basic/);
      }
      for (const path of WRITES) {
        expect((await http.put(path).set('authorization', authorization)).status).toBe(401);
      }
    }
    await untouched(job.id!);
    expect((await http.get('/admin/queues').set('authorization', basic(operator, 'wrong'))).status).toBe(401);
  });

  it('lets an operator read, and audits the access in the platform trail', async () => {
    const http = request(readOnlyUrl);
    const page = await http.get('/admin/queues').set('authorization', asOperator);
    expect(page.status).toBe(200);
    expect(page.text).toContain('<html');
    const res = await http
      .get('/admin/queues/api/queues?activeQueue=deadlines&status=failed')
      .set('authorization', asOperator);
    expect(res.status).toBe(200);
    const names = (res.body.queues as { name: string }[]).map((q) => q.name).sort();
    expect(names).toEqual(['deadlines', 'maintenance', 'webhooks']);
    const accessed = await auditRows('QUEUE_DASHBOARD_ACCESSED');
    expect(accessed.length).toBeGreaterThanOrEqual(1);
    expect(accessed[0].detail).toMatchObject({ method: 'GET', path: '/' });
    const [{ broken }]: { broken: string | null }[] = await t.owner.query(
      'select platform_audit_verify_chain() as broken',
    );
    expect(broken).toBeNull();
  });

  it('refuses every write in read-only mode: the queue is unchanged', async () => {
    const job = await maintenance.add('marker', {}, { delay: 86_400_000 });
    const http = request(readOnlyUrl);
    for (const path of WRITES) {
      const res = await http.put(path).set('authorization', asOperator);
      expect(res.status).toBe(403);
      expect(res.body.error).toBe('QUEUE_DASHBOARD_READ_ONLY');
    }
    await untouched(job.id!);
    expect(await auditRows('QUEUE_DASHBOARD_WRITE')).toEqual([]);
  });

  it('lets an operator write when writes are configured, and audits the write', async () => {
    const job = await maintenance.add('marker', {}, { delay: 86_400_000 });
    const http = request(writableUrl);
    try {
      const res = await http
        .put('/admin/queues/api/queues/maintenance/pause')
        .set('authorization', asOperator);
      expect(res.status).toBe(200);
      expect(await maintenance.isPaused()).toBe(true);
      expect(await maintenance.getJob(job.id!)).toBeDefined();
      const writes = await auditRows('QUEUE_DASHBOARD_WRITE');
      expect(writes.map((w) => w.detail)).toEqual([
        expect.objectContaining({ method: 'PUT', path: '/api/queues/maintenance/pause' }),
      ]);
    } finally {
      await maintenance.resume();
    }
  });
});
