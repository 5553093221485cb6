import 'reflect-metadata';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { refreshAllPartnerships } from '@hips/analytics';
import { createLogger } from '@hips/common';
import { loadConfigOrExit } from '@hips/config';
import { createAppDataSource, TenantDb } from '@hips/database';
import { deliverDueWebhooks } from '@hips/webhooks';
import { verifyAuditChains } from './audit-verify.processor';

process.env.HIPS_PROCESS = 'worker';

export const MAINTENANCE_QUEUE = 'maintenance';
/** Webhook delivery passes: a job scheduler every WEBHOOK_POLL_MS; the outbox rows are the truth. */
export const WEBHOOKS_QUEUE = 'webhooks';
/** How often the analytics read model catches up with the case tables (incremental, idempotent). */
export const ANALYTICS_REFRESH_MS = 60 * 1000;

/**
 * The worker process: BullMQ processors on Redis, working on PostgreSQL as the application role (never the
 * owner). It does not migrate: the API does, and the worker waits for the schema.
 */
async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const logger = createLogger(config.logLevel, 'worker');
  const dataSource = await createAppDataSource(config, 'hips-resolve-worker').initialize();
  // BullMQ workers block on Redis and must never give up a command: maxRetriesPerRequest null.
  const connection = new Redis(config.redisUrl, { maxRetriesPerRequest: null });
  const queue = new Queue(MAINTENANCE_QUEUE, { connection, prefix: config.redisPrefix });
  await queue.upsertJobScheduler(
    'verify-audit-chains',
    { every: 60 * 60 * 1000 },
    { name: 'verify-audit-chains' },
  );
  // Analytics: every pass recomputes the fact rows of the cases touched since each partnership's watermark.
  await queue.upsertJobScheduler(
    'refresh-analytics',
    { every: ANALYTICS_REFRESH_MS },
    { name: 'refresh-analytics', opts: { removeOnComplete: true, removeOnFail: 100 } },
  );
  const analyticsDb = new TenantDb(dataSource);
  const worker = new Worker(
    MAINTENANCE_QUEUE,
    async (job) => {
      if (job.name === 'verify-audit-chains') return verifyAuditChains(dataSource, logger);
      if (job.name === 'refresh-analytics') {
        const results = await refreshAllPartnerships(analyticsDb);
        const cases = results.reduce((t, r) => t + r.casesRefreshed, 0);
        if (cases > 0) logger.info({ cases }, 'analytics read model refreshed');
        return cases;
      }
      throw new Error(`no handler for job ${job.name}`);
    },
    { connection, prefix: config.redisPrefix, concurrency: 1 },
  );
  worker.on('failed', (job, error) => logger.error({ job: job?.name, err: error.message }, 'job failed'));

  // Webhooks: every pass delivers what is due in PostgreSQL (webhook_deliveries), so a lost or late job
  // only delays delivery until the next pass. One pass at a time; within a pass requests run concurrently.
  const webhooksQueue = new Queue(WEBHOOKS_QUEUE, { connection, prefix: config.redisPrefix });
  await webhooksQueue.upsertJobScheduler(
    'deliver-webhooks',
    { every: config.webhooks.pollMs },
    { name: 'deliver-webhooks', opts: { removeOnComplete: true, removeOnFail: 100 } },
  );
  const tenantDb = new TenantDb(dataSource);
  const webhooksWorker = new Worker(
    WEBHOOKS_QUEUE,
    async (job) => {
      if (job.name === 'deliver-webhooks') return deliverDueWebhooks(tenantDb, config, { logger });
      throw new Error(`no handler for job ${job.name}`);
    },
    { connection, prefix: config.redisPrefix, concurrency: 1 },
  );
  webhooksWorker.on('failed', (job, error) =>
    logger.error({ job: job?.name, err: error.message }, 'job failed'),
  );
  logger.info('HIPS Resolve worker running');

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'worker stopping: finishing the jobs in hand');
    await Promise.all([worker.close(), webhooksWorker.close()]);
    await Promise.all([queue.close(), webhooksQueue.close()]);
    await connection.quit().catch(() => undefined);
    await dataSource.destroy();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}

main().catch((error: unknown) => {
  process.stderr.write(`Worker failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
