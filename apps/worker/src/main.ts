import 'reflect-metadata';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { createLogger } from '@hips/common';
import { loadConfigOrExit } from '@hips/config';
import { createAppDataSource } from '@hips/database';
import { verifyAuditChains } from './audit-verify.processor';

process.env.HIPS_PROCESS = 'worker';

export const MAINTENANCE_QUEUE = 'maintenance';

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
  const worker = new Worker(
    MAINTENANCE_QUEUE,
    async (job) => {
      if (job.name === 'verify-audit-chains') return verifyAuditChains(dataSource, logger);
      throw new Error(`no handler for job ${job.name}`);
    },
    { connection, prefix: config.redisPrefix, concurrency: 1 },
  );
  worker.on('failed', (job, error) => logger.error({ job: job?.name, err: error.message }, 'job failed'));
  logger.info('HIPS Resolve worker running');

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'worker stopping: finishing the jobs in hand');
    await worker.close();
    await queue.close();
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
