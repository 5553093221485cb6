/**
 * Deadline firing benchmark (`npm run bench:deadlines`): the real firing path of the worker, in-process, against
 * the local PostgreSQL and Redis, in a throw-away database and under a Redis key prefix of its own.
 *
 * 1. Setup: 99,000 DUE deadlines far in the future (escalation, stage, deadline and DEADLINE_SCHEDULED outbox rows,
 *    spread over the four partnerships, inserted in bulk as the owner); the worker stack starts and relays them
 *    to BullMQ; then 1,000 more, all due in the same second ~20 s later (database clock).
 * 2. Firing lateness (fired_at - due_at, both database clock) of those 1,000, and the missed count (not fired
 *    within 60 s).
 * 3. Baseline: 1,000 delayed BullMQ jobs with the same delay on the same Redis, a worker that only records
 *    Date.now() - intended time.
 * 4. Recovery: 10,000 deadlines due in the same second, relayed, then every key of our prefix deleted before they
 *    are due: the sweeper alone must fire them.
 *
 * The stack is the worker's: the Nest application context of WorkerModule (real ApplyDeadlinesHandler, TenantDb
 * as the application role), a Queue and Worker configured as apps/worker/src/main.ts configures them, and the
 * relay and sweeper loops (Periodic) at the configured intervals. Results go to bench/results/deadlines.md.
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { Job, Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { createLogger } from '@hips/common';
import { AppConfig, loadConfig, withConfig, withDevelopmentSecrets } from '@hips/config';
import { createOwnerDataSource, migrate, TenantDb } from '@hips/database';
import { Periodic } from '../apps/worker/src/periodic';
import { DeadlineEffects, DeadlineRunner, FireDeadlineJob, JOB_OPTIONS, QUEUES } from '@hips/deadlines';
import { WorkerModule } from '../apps/worker/src/worker.module';
import { writeResults } from './deadlines-report';
import {
  FUTURE,
  BURST,
  RECOVERY,
  LEAD_S,
  MISSED_AFTER_MS,
  RESULTS,
  stats,
  sleep,
  log,
  ms,
  wipePrefix,
  insertDeadlines,
  dbNow,
  unrelayed,
  lateness,
  effectLateness,
  waitFired,
  type SweepRun,
} from './deadlines-support';

async function main(): Promise<void> {
  const started = new Date();
  const suffix = `${Date.now()}_${randomBytes(3).toString('hex')}`;
  const base = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  base.pathname = `/hips_bench_${suffix}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'hips-bench-'));
  // The application connection logs in as a throw-away member of hips_app (same privileges, owns nothing, no
  // BYPASSRLS, row-level security applies): hips_app's login flag is cluster-wide and other runs on a shared server
  // may change it mid-run.
  const appRole = `hips_bench_app_${randomBytes(4).toString('hex')}`;
  const appPassword = randomBytes(18).toString('base64url');
  const appUrl = new URL(base.toString());
  appUrl.username = appRole;
  appUrl.password = appPassword;
  Object.assign(process.env, {
    DATABASE_URL: base.toString(),
    DATABASE_APP_URL: appUrl.toString(),
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    REDIS_PREFIX: `hips-bench-${randomBytes(4).toString('hex')}`,
    DATA_DIR: dataDir,
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
  });
  const config: AppConfig = loadConfig(withDevelopmentSecrets(process.env), { role: 'worker' });
  const prefix = config.redisPrefix;
  const admin = new Redis(config.redisUrl, { maxRetriesPerRequest: null });
  log(`database ${base.pathname.slice(1)}, Redis prefix ${prefix}`);

  const cleanups: (() => Promise<unknown>)[] = [];
  const results: Record<string, unknown> = {};
  const owner = createOwnerDataSource(config.databaseUrl);
  results.loadBefore = loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
  try {
    await migrate(config);
    await owner.initialize();
    await owner.query(
      `create role ${appRole} login password '${appPassword}' nosuperuser nobypassrls nocreatedb nocreaterole in role hips_app`,
    );
    await owner.query(
      `insert into agencies (name, type, registered_by_partnership_id)
       select 'Bench ' || t.label || ' ' || p.code, t.type, p.id
         from partnerships p cross join (values ('police', 'POLICE'), ('CSC', 'CHILDRENS_SOCIAL_CARE')) t(label, type)`,
    );

    // ---------------------------------------------------------------- setup: the far-future backlog
    let t0 = Date.now();
    await insertDeadlines(owner, 'future', FUTURE, null);
    await owner.query('analyze escalations, escalation_stages, deadlines, outbox');
    results.insertFutureMs = Date.now() - t0;
    log(`inserted ${FUTURE} far-future deadlines in ${ms(Date.now() - t0)}`);

    // ---------------------------------------------------------------- the worker stack, as apps/worker/src/main.ts
    const app = await NestFactory.createApplicationContext(withConfig(WorkerModule, config), {
      logger: ['error', 'warn'],
    });
    cleanups.push(() => app.close());
    const logger = createLogger(config.logLevel, 'bench-worker');
    const connection = new Redis(config.redisUrl, { maxRetriesPerRequest: null });
    cleanups.push(() => connection.quit().catch(() => undefined));
    const deadlinesQueue = new Queue<FireDeadlineJob>(QUEUES.deadlines, {
      connection,
      prefix,
      defaultJobOptions: JOB_OPTIONS.deadlines,
    });
    cleanups.push(() => deadlinesQueue.close());
    const runner = new DeadlineRunner(
      app.get(TenantDb),
      app.get(DeadlineEffects),
      deadlinesQueue,
      logger,
      config.worker.deadlineConcurrency,
      config.worker.deadlineBatchSize,
    );
    let firedByJobs = 0;
    const worker = new Worker(
      QUEUES.deadlines,
      async (job: Job) => {
        if (job.name !== 'fire-deadline') throw new Error(`no handler for job ${job.name}`);
        const fired = await runner.fire(job.data as FireDeadlineJob);
        firedByJobs += fired;
        return fired;
      },
      { connection, prefix, concurrency: config.worker.deadlineConcurrency },
    );
    worker.on('failed', (job, error) => log(`job ${job?.id} failed: ${error.message}`));
    worker.on('error', (error) => log(`worker error: ${error.message}`));
    cleanups.push(() => worker.close());
    const sweeps: SweepRun[] = [];
    const loops = [
      new Periodic('outbox-relay', config.worker.relayMs, () => runner.relayOutbox(), logger).start(),
      new Periodic(
        'deadline-sweeper',
        config.worker.sweepMs,
        async () => {
          const start = Date.now();
          const fired = await runner.sweep();
          sweeps.push({ start, end: Date.now(), fired });
        },
        logger,
      ).start(),
    ];
    cleanups.push(() => Promise.all(loops.map((l) => l.stop())));
    log(
      `worker stack up: concurrency ${config.worker.deadlineConcurrency}, pool ${config.databasePoolSize}, relay every ${config.worker.relayMs} ms, sweep every ${config.worker.sweepMs} ms`,
    );

    t0 = Date.now();
    while ((await unrelayed(owner)) > 0) await sleep(500);
    results.relayFutureMs = Date.now() - t0;
    results.delayedAfterSetup = (await deadlinesQueue.getJobCounts('delayed')).delayed;
    log(`relayed the backlog in ${ms(Date.now() - t0)} (${String(results.delayedAfterSetup)} delayed jobs)`);

    // ---------------------------------------------------------------- 1. the burst: 1,000 due in the same second
    const burstDue = await dbNow(owner, LEAD_S + 1);
    await insertDeadlines(owner, 'burst', BURST, burstDue);
    const setupEnd = await owner.query(`select now() as t`);
    log(
      `inserted ${BURST} deadlines due ${burstDue.toISOString()} (setup ended ${setupEnd[0].t.toISOString()})`,
    );
    const sweepsBefore = sweeps.length;
    const jobsBefore = firedByJobs;
    await waitFired(owner, burstDue, BURST, burstDue.getTime() + MISSED_AFTER_MS + 2000);
    const burst = await lateness(owner, burstDue);
    const burstFired = burst.filter((v): v is number => v !== null);
    results.burst = {
      due: burstDue.toISOString(),
      relayLeadS: LEAD_S,
      stats: stats(burstFired),
      effect: stats(await effectLateness(owner, burstDue)),
      missed: burst.filter((v) => v === null || v > MISSED_AFTER_MS).length,
      firedByJobs: firedByJobs - jobsBefore,
      sweepsDuring: sweeps.slice(sweepsBefore),
    };
    log(`burst: ${JSON.stringify(results.burst)}`);

    // ---------------------------------------------------------------- 2. the bare BullMQ baseline
    const baselineQueue = new Queue('bench-baseline', {
      connection,
      prefix,
      defaultJobOptions: JOB_OPTIONS.deadlines,
    });
    cleanups.push(() => baselineQueue.close());
    const baseline: number[] = [];
    const baselineWorker = new Worker(
      'bench-baseline',
      (job: Job<{ intended: number }>) => {
        baseline.push(Date.now() - job.data.intended);
        return Promise.resolve();
      },
      { connection, prefix, concurrency: config.worker.deadlineConcurrency },
    );
    cleanups.push(() => baselineWorker.close());
    const intended = Math.ceil(Date.now() / 1000) * 1000 + (LEAD_S + 1) * 1000;
    for (let i = 0; i < BURST; i++) {
      await baselineQueue.add(
        'noop',
        { intended },
        { jobId: `baseline-${i}`, delay: Math.max(0, intended - Date.now()) },
      );
    }
    while (baseline.length < BURST && Date.now() < intended + MISSED_AFTER_MS) await sleep(100);
    results.baseline = { stats: stats(baseline), missed: BURST - baseline.length };
    log(`baseline: ${JSON.stringify(results.baseline)}`);
    await baselineWorker.close();

    // ---------------------------------------------------------------- 3. recovery: Redis loses everything
    const recoveryDue = await dbNow(owner, 60);
    await insertDeadlines(owner, 'recovery', RECOVERY, recoveryDue);
    t0 = Date.now();
    while ((await unrelayed(owner)) > 0 && Date.now() < recoveryDue.getTime() - 5000) await sleep(250);
    const relayRecoveryMs = Date.now() - t0;
    const notRelayed = await unrelayed(owner);
    const delayedBeforeWipe = (await deadlinesQueue.getJobCounts('delayed')).delayed;
    const wipedAt = Date.now();
    const deletedKeys = await wipePrefix(admin, prefix);
    const delayedAfterWipe = (await deadlinesQueue.getJobCounts('delayed')).delayed;
    log(
      `recovery: ${RECOVERY} relayed in ${ms(relayRecoveryMs)} (${notRelayed} not relayed), ${delayedBeforeWipe} delayed jobs; wiped ${deletedKeys} keys ${ms(recoveryDue.getTime() - wipedAt)} before due; ${delayedAfterWipe} delayed after`,
    );
    const recoverySweepsBefore = sweeps.length;
    const recoveryJobsBefore = firedByJobs;
    await waitFired(owner, recoveryDue, RECOVERY, recoveryDue.getTime() + 330_000);
    const recovery = await lateness(owner, recoveryDue);
    const recoveryFired = recovery.filter((v): v is number => v !== null);
    results.recovery = {
      due: recoveryDue.toISOString(),
      relayMs: relayRecoveryMs,
      notRelayedAtWipe: notRelayed,
      delayedBeforeWipe,
      delayedAfterWipe,
      deletedKeys,
      wipedBeforeDueMs: recoveryDue.getTime() - wipedAt,
      stats: recoveryFired.length ? stats(recoveryFired) : null,
      fired: recoveryFired.length,
      within60s: recoveryFired.filter((v) => v <= MISSED_AFTER_MS).length,
      firedByJobs: firedByJobs - recoveryJobsBefore,
      sweeps: sweeps
        .slice(recoverySweepsBefore)
        .filter((s) => s.fired > 0)
        .map((s) => ({
          startAfterDueMs: s.start - recoveryDue.getTime(),
          durationMs: s.end - s.start,
          fired: s.fired,
        })),
    };
    log(`recovery: ${JSON.stringify(results.recovery)}`);
  } finally {
    for (const cleanup of cleanups.reverse()) {
      await cleanup().catch((error: unknown) => log(`cleanup: ${String(error)}`));
    }
    results.loadAfter = loadavg()
      .map((l) => l.toFixed(2))
      .join(' ');
    const versions: { v: string }[] = owner.isInitialized
      ? await owner.query(`select current_setting('server_version') as v`)
      : [{ v: 'unknown' }];
    results.postgres = versions[0].v;
    if (owner.isInitialized) await owner.destroy();
    const maintenance = new URL(config.databaseUrl);
    const name = maintenance.pathname.slice(1);
    maintenance.pathname = '/postgres';
    const dropper = createOwnerDataSource(maintenance.toString());
    await dropper.initialize();
    await dropper.query(`drop database if exists "${name}" with (force)`);
    await dropper.query(`drop role if exists ${appRole}`);
    await dropper.destroy();
    const left = await wipePrefix(admin, prefix);
    results.redis = /redis_version:(\S+)/.exec(await admin.info('server'))?.[1] ?? 'unknown';
    await admin.quit();
    rmSync(dataDir, { recursive: true, force: true });
    log(`dropped ${name}; removed ${left} remaining keys of ${prefix}`);
  }

  writeResults(started, config, results);
  log(`results written to ${RESULTS}`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
