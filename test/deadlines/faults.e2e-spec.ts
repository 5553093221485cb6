import { Redis } from 'ioredis';
import { startTestApp, TestApp } from '../support/app';
import { cuttableProxy, throughProxy } from '../support/cuttable-proxy';
import { RunningProcess, stopProcess } from '../support/processes';
import { Queue } from 'bullmq';
import { deadlineJobId } from '@hips/deadlines';
import {
  bringForward,
  events,
  jobFinished,
  raiseCase,
  refiringRan,
  startWorker,
  waitFor,
  workerRunning,
} from './support';

/**
 * Deadline enforcement under faults, each against the real services. Every wait has its own bound and message; the
 * Jest limits are only a backstop for a loaded machine (a worker can take a while to start), never the assertion.
 */
describe('deadline enforcement under faults', () => {
  let t: TestApp;
  let worker: { proc: RunningProcess } | undefined;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterEach(async () => {
    await stopProcess(worker?.proc);
    worker = undefined;
  });
  afterAll(() => t.close());

  it('fires exactly once after the worker is SIGKILLed in the middle of firing', async () => {
    const c = await raiseCase(t);
    // Hold the case row so the worker's effect blocks inside its firing transaction.
    const lock = t.owner.createQueryRunner();
    await lock.connect();
    await lock.startTransaction();
    await lock.query('select id from escalations where id = $1 for update', [c.id]);
    try {
      worker = startWorker({ LOG_LEVEL: 'info' });
      await workerRunning(worker.proc);
      await bringForward(t, c, 'DUE', 200);
      await waitFor('the worker to block inside the firing transaction', async () => {
        const rows: unknown[] = await t.owner.query(
          `select 1 from pg_stat_activity where application_name = 'hips-resolve-worker' and wait_event_type = 'Lock'`,
        );
        return rows.length > 0;
      });
      await stopProcess(worker.proc, 'SIGKILL');
    } finally {
      await lock.rollbackTransaction();
      await lock.release();
    }
    // The killed transaction rolled back: the deadline is still unfired, and nothing happened.
    await waitFor('the dead session to go', async () => {
      const rows: { fired_at: Date | null }[] = await t.owner.query(
        `select fired_at from deadlines where stage_id = $1 and kind = 'DUE'`,
        [c.stageId],
      );
      return rows[0].fired_at === null;
    });
    expect(await events(t, c.id, 'STAGE_BREACHED')).toBe(0);
    worker = startWorker({ LOG_LEVEL: 'info' });
    await workerRunning(worker.proc);
    await waitFor('the breach after restart', async () => (await events(t, c.id, 'STAGE_BREACHED')) === 1);
    await refiringRan(t, c);
    expect(await events(t, c.id, 'STAGE_BREACHED')).toBe(1);
  }, 180_000);

  it('lets one failing effect hold back only its own deadline, not the rest of its batch', async () => {
    const cases = await Promise.all(Array.from({ length: 3 }, () => raiseCase(t)));
    const [poison, ...healthy] = cases;
    // A real failure inside the firing transaction: the breach event of one case cannot be written.
    await t.owner.query(`create function test_fail_breach() returns trigger language plpgsql as $$
      begin
        if new.kind = 'STAGE_BREACHED' and new.escalation_id = '${poison.id}' then
          raise exception 'injected effect failure';
        end if;
        return new;
      end $$`);
    await t.owner.query(
      'create trigger test_fail_breach before insert on escalation_events for each row execute function test_fail_breach()',
    );
    try {
      // Without outbox rows only the sweeper finds them: it claims all three due deadlines in one batch.
      for (const c of cases) await bringForward(t, c, 'DUE', 300, false);
      worker = startWorker({ LOG_LEVEL: 'info' });
      await workerRunning(worker.proc);
      for (const c of healthy) {
        await waitFor('the healthy breaches', async () => (await events(t, c.id, 'STAGE_BREACHED')) === 1);
      }
      await waitFor('the failure to be logged', () =>
        Promise.resolve(worker!.proc.output().includes('deadline effect failed')),
      );
      expect(await events(t, poison.id, 'STAGE_BREACHED')).toBe(0);
      const [poisonDeadline]: { fired_at: Date | null }[] = await t.owner.query(
        `select fired_at from deadlines where stage_id = $1 and kind = 'DUE'`,
        [poison.stageId],
      );
      expect(poisonDeadline.fired_at).toBeNull();
      // The batch's audit entries name each deadline, and the hash chain is intact.
      const audited: { n: number }[] = await t.owner.query(
        `select count(*)::int as n from audit_log
          where action = 'STAGE_BREACHED' and entity_id = any($1) and detail ? 'deadline'`,
        [healthy.map((c) => c.id)],
      );
      expect(audited[0].n).toBe(2);
      const [chain]: { broken: string | null }[] = await t.owner.query(
        'select audit_verify_chain($1) as broken',
        [poison.partnershipId],
      );
      expect(chain.broken).toBeNull();
    } finally {
      await t.owner.query('drop trigger if exists test_fail_breach on escalation_events');
      await t.owner.query('drop function if exists test_fail_breach()');
    }
    // Once the fault is gone, a later sweep fires it, once.
    await waitFor('the held-back breach', async () => (await events(t, poison.id, 'STAGE_BREACHED')) === 1);
    for (const c of cases) await refiringRan(t, c);
    for (const c of cases) expect(await events(t, c.id, 'STAGE_BREACHED')).toBe(1);
  }, 180_000);

  it('sweeps every partnership when a job finds a burst, without waiting for their jobs', async () => {
    // The periodic sweeper runs at start-up only here: after that, only jobs and the burst sweep fire.
    worker = startWorker({ DEADLINE_SWEEP_MS: '600000', LOG_LEVEL: 'info' });
    await workerRunning(worker.proc);
    const [withJob, sameWithoutJob] = await Promise.all([raiseCase(t), raiseCase(t)]);
    const elsewhere = await raiseCase(t, {}, 'portsmouth');
    await bringForward(t, sameWithoutJob, 'DUE', 1000, false);
    await bringForward(t, elsewhere, 'DUE', 1000, false);
    await bringForward(t, withJob, 'DUE', 1200);
    // The job claims both Southampton deadlines (a burst), and the sweep it starts fires Portsmouth's.
    for (const c of [withJob, sameWithoutJob, elsewhere]) {
      await waitFor('the breach', async () => (await events(t, c.id, 'STAGE_BREACHED')) === 1, 10_000);
    }
  }, 120_000);

  it('still fires every deadline through the sweeper when Redis loses everything', async () => {
    worker = startWorker({ LOG_LEVEL: 'info' });
    await workerRunning(worker.proc);
    const cases = await Promise.all(Array.from({ length: 5 }, () => raiseCase(t)));
    for (const c of cases) await bringForward(t, c, 'DUE', 2500);
    await waitFor('the relay to BullMQ', async () => {
      const [{ n }]: { n: number }[] = await t.owner.query(
        `select count(*)::int as n from outbox where relayed_at is null and topic = 'DEADLINE_SCHEDULED'`,
      );
      return n === 0;
    });
    // Empty Redis of everything this installation had (its key prefix), before the deadlines are due.
    const redis = new Redis(process.env.REDIS_URL!);
    let cursor = '0';
    let deleted = 0;
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${process.env.REDIS_PREFIX}:*`, 'COUNT', 1000);
      if (keys.length > 0) deleted += await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
    await redis.quit();
    expect(deleted).toBeGreaterThan(0);
    for (const c of cases) {
      await waitFor('the sweeper', async () => (await events(t, c.id, 'STAGE_BREACHED')) === 1, 10_000);
    }
    const late: { late_ms: number }[] = await t.owner.query(
      `select extract(epoch from (fired_at - due_at)) * 1000 as late_ms from deadlines
       where stage_id = any($1) and kind = 'DUE'`,
      [cases.map((c) => c.stageId)],
    );
    // DEADLINE_SWEEP_MS is 1 s in these tests: everything fired within a few intervals of its due time.
    for (const l of late) expect(Number(l.late_ms)).toBeLessThan(5000);
  }, 120_000);

  it('loses nothing and fires nothing twice while PostgreSQL is unreachable for a while', async () => {
    // The worker reaches PostgreSQL through a proxy the test can cut: every connection dropped, new ones refused.
    const proxy = await cuttableProxy(5432);
    try {
      const appUrl = throughProxy(process.env.DATABASE_URL!, proxy, ['hips_app', 'hips-app-local']);
      worker = startWorker({ DATABASE_APP_URL: appUrl, LOG_LEVEL: 'info' });
      const cases = await Promise.all(Array.from({ length: 3 }, () => raiseCase(t)));
      // Fully started (not merely connecting): a cut during start-up would test start-up, not an outage.
      await workerRunning(worker.proc);
      proxy.cut();
      const deadlines = [];
      for (const c of cases) deadlines.push(await bringForward(t, c, 'DUE', 300));
      // An outage of a while: sweeps that failed after the deadlines fell due, the worker still up.
      const dueBy = Date.now() + 300;
      await waitFor(
        'two failed sweeps after the deadlines fell due',
        () => Promise.resolve(failedSweepsSince(worker!.proc, dueBy) >= 2),
        20_000,
      );
      expect(worker.proc.child.exitCode).toBeNull();
      for (const c of cases) expect(await events(t, c.id, 'STAGE_BREACHED')).toBe(0);
      proxy.restore();
      try {
        for (const c of cases) {
          await waitFor(
            'the breach after PostgreSQL is back',
            async () => (await events(t, c.id, 'STAGE_BREACHED')) === 1,
            20_000,
          );
        }
      } catch (error) {
        process.stderr.write(`worker exit ${worker.proc.child.exitCode}:\n${worker.proc.output()}\n`);
        throw error;
      }
      // The jobs relayed after the outage have run too, and any sweep or further job after them.
      const connection = new Redis(process.env.REDIS_URL!, { maxRetriesPerRequest: null });
      const queue = new Queue('deadlines', { connection, prefix: process.env.REDIS_PREFIX });
      try {
        for (const d of deadlines) await jobFinished(queue, deadlineJobId(d.id, d.version));
      } finally {
        await queue.close();
        await connection.quit();
      }
      for (const c of cases) await refiringRan(t, c);
      for (const c of cases) expect(await events(t, c.id, 'STAGE_BREACHED')).toBe(1);
    } finally {
      await stopProcess(worker?.proc);
      proxy.close();
    }
  }, 180_000);
});

/** Failed runs of the deadline sweeper the worker logged after `since` (epoch ms; pino's `time`). */
function failedSweepsSince(proc: RunningProcess, since: number): number {
  return proc
    .output()
    .split('\n')
    .filter((line) => line.includes('"loop":"deadline-sweeper"') && line.includes('loop failed'))
    .filter((line) => (JSON.parse(line) as { time: number }).time > since).length;
}
