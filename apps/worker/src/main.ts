import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Job, Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { createLogger, PinoNestLogger } from '@hips/common';
import { loadConfigOrExit, withConfig } from '@hips/config';
import { APP_DATA_SOURCE, nameStartupLog, REDIS, TenantDb } from '@hips/database';
import { relayEscalationEvents, RetentionService } from '@hips/escalations';
import { DeadlineEffects, DeadlineRunner, FireDeadlineJob, JOB_OPTIONS, JOBS, QUEUES } from '@hips/deadlines';
import { createMailer, deliverNotifications } from '@hips/notifications';
import { refreshAllPartnerships } from '@hips/analytics';
import { deliverDueWebhooks } from '@hips/webhooks';
import type { DataSource } from 'typeorm';
import { verifyAuditChains } from './audit-verify.processor';
import { Periodic } from './periodic';

import { WorkerModule } from './worker.module';

/**
 * The worker process: deadlines (relay, firing, sweeper), notifications, webhooks and maintenance, on BullMQ and
 * PostgreSQL (as the application role, never the owner). It does not migrate: the API does.
 */
async function main(): Promise<void> {
  // One clear line on a bad configuration, before anything starts.
  const config = loadConfigOrExit(process.env, { role: 'worker' });
  nameStartupLog(config.processRole);
  const logger = createLogger(config.logLevel, 'worker');
  const app = await NestFactory.createApplicationContext(withConfig(WorkerModule, config), {
    logger: new PinoNestLogger(logger),
  });
  const db = app.get(TenantDb);
  const dataSource = app.get<DataSource>(APP_DATA_SOURCE);
  // BullMQ blocks on Redis and must never give up a command: maxRetriesPerRequest null.
  const connection = new Redis(config.redisUrl, { maxRetriesPerRequest: null });
  const queue = (name: keyof typeof QUEUES) =>
    new Queue(QUEUES[name], { connection, prefix: config.redisPrefix, defaultJobOptions: JOB_OPTIONS[name] });
  const queues = {
    deadlines: queue('deadlines'),
    maintenance: queue('maintenance'),
    webhooks: queue('webhooks'),
  };

  const publisher = app.get<Redis>(REDIS);
  const runner = new DeadlineRunner(
    db,
    app.get(DeadlineEffects),
    queues.deadlines as Queue<FireDeadlineJob>,
    logger,
    config.worker.deadlineConcurrency,
    config.worker.deadlineBatchSize,
  );
  const mailer = createMailer(config);
  const handlers: Record<keyof typeof JOBS, (job: Job) => Promise<unknown>> = {
    'fire-deadline': (job) => runner.fire(job.data as FireDeadlineJob),
    'verify-audit-chains': () => verifyAuditChains(dataSource, logger),
    'refresh-analytics': async () => {
      const results = await refreshAllPartnerships(db);
      const cases = results.reduce((total, r) => total + r.casesRefreshed, 0);
      if (cases > 0) logger.info({ cases }, 'analytics read model refreshed');
      return cases;
    },
    'deliver-webhooks': () => deliverDueWebhooks(db, config, { logger }),
    'purge-child-identifiers': async () => {
      const results = await app.get(RetentionService).purgeExpired(logger);
      return results.reduce((total, r) => total + r.purged, 0);
    },
  };
  const workerFor = (name: keyof typeof QUEUES, concurrency: number) => {
    const worker = new Worker(
      QUEUES[name],
      async (job) => {
        const handler = handlers[job.name as keyof typeof JOBS];
        if (!handler || JOBS[job.name as keyof typeof JOBS] !== name)
          throw new Error(`no handler for job ${job.name}`);
        return handler(job);
      },
      { connection, prefix: config.redisPrefix, concurrency },
    );
    worker.on('failed', (job, error) =>
      logger.error({ job: job?.name, id: job?.id, err: error.message }, 'job failed'),
    );
    return worker;
  };
  const workers = [
    workerFor('deadlines', config.worker.deadlineConcurrency),
    workerFor('maintenance', 1),
    workerFor('webhooks', 1),
  ];
  await queues.maintenance.upsertJobScheduler(
    'verify-audit-chains',
    { every: 3_600_000 },
    { name: 'verify-audit-chains' },
  );
  // Analytics: each pass recomputes the fact rows of the cases touched since each partnership's watermark.
  await queues.maintenance.upsertJobScheduler(
    'refresh-analytics',
    { every: 60_000 },
    { name: 'refresh-analytics' },
  );
  // Retention (docs/procedure.md §7): purges the child identifiers of closed cases past their retention date, daily by
  // default (RETENTION_PURGE_MS). Idempotent: a missed or repeated run only moves the purge to the next one.
  await queues.maintenance.upsertJobScheduler(
    'purge-child-identifiers',
    { every: config.worker.retentionPurgeMs },
    { name: 'purge-child-identifiers' },
  );
  // Webhooks: each pass delivers what is due in PostgreSQL, so a lost job only delays delivery to the next pass.
  await queues.webhooks.upsertJobScheduler(
    'deliver-webhooks',
    { every: config.webhooks.pollMs },
    { name: 'deliver-webhooks' },
  );

  // PostgreSQL decides what is due: the sweeper runs at start-up and every DEADLINE_SWEEP_MS.
  const loops = [
    new Periodic('outbox-relay', config.worker.relayMs, () => runner.relayOutbox(), logger).start(),
    // Case events to the API processes' subscribers (escalationEvents), through Redis pub/sub.
    new Periodic(
      'event-relay',
      config.worker.relayMs,
      () => relayEscalationEvents(db, publisher, config.redisPrefix),
      logger,
    ).start(),
    new Periodic('deadline-sweeper', config.worker.sweepMs, () => runner.sweep(), logger).start(),
    new Periodic(
      'notifications',
      config.worker.notificationsMs,
      () => deliverNotifications(db, mailer, logger),
      logger,
    ).start(),
  ];
  logger.info('HIPS Resolve worker running');

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'worker stopping: finishing the jobs in hand');
    await Promise.all(loops.map((l) => l.stop()));
    // close() waits for active jobs; a job cut short by a crash is retried (its lock expires) and is idempotent.
    await Promise.all(workers.map((w) => w.close()));
    await runner.idle();
    await Promise.all(Object.values(queues).map((q) => q.close()));
    await connection.quit().catch(() => undefined);
    mailer.close();
    await app.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}

main().catch((error: unknown) => {
  process.stderr.write(`Worker failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
