import type { DefaultJobOptions } from 'bullmq';

/**
 * Every queue and its job options in one place. Job ids are deterministic (no colons), so enqueueing twice is
 * harmless; completed jobs are kept an hour so a re-relay in that time is deduplicated by BullMQ itself, and
 * PostgreSQL's guarded updates make any later duplicate a no-op.
 */
export const QUEUES = {
  deadlines: 'deadlines',
  maintenance: 'maintenance',
  webhooks: 'webhooks',
} as const;

export const JOB_OPTIONS: Record<keyof typeof QUEUES, DefaultJobOptions> = {
  deadlines: {
    attempts: 8,
    backoff: { type: 'exponential', delay: 1000 },
    removeOnComplete: { age: 3600 },
    removeOnFail: { age: 7 * 24 * 3600 },
  },
  maintenance: { removeOnComplete: 100, removeOnFail: 100 },
  webhooks: { removeOnComplete: true, removeOnFail: 100 },
};

/** Job names and the queue that handles each: the worker's handler map is typed by it, so a job without a handler does not compile. */
export const JOBS = {
  'fire-deadline': 'deadlines',
  'verify-audit-chains': 'maintenance',
  'refresh-analytics': 'maintenance',
  'purge-child-identifiers': 'maintenance',
  'deliver-webhooks': 'webhooks',
} as const satisfies Record<string, keyof typeof QUEUES>;
