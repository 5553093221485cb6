import { availableParallelism } from 'node:os';
import { DEFAULT_DEADLINE_BATCH_SIZE } from '../app-config';
import { derived, fixed, variable } from './variable';
import { integer } from './values';

/** The worker's loops and deadline jobs. */
export const workerVariables = {
  OUTBOX_RELAY_MS: variable({
    description: 'How often the worker relays the outbox (deadline jobs, case events).',
    expected: 'milliseconds, 50-60000',
    parse: integer(50, 60_000),
    default: fixed(500),
  }),
  DEADLINE_SWEEP_MS: variable({
    description: 'How often the deadline sweeper looks for due deadlines PostgreSQL holds.',
    expected: 'milliseconds, 100-600000',
    parse: integer(100, 600_000),
    default: fixed(30_000),
  }),
  NOTIFICATION_POLL_MS: variable({
    description: 'How often notifications are delivered.',
    expected: 'milliseconds, 100-600000',
    parse: integer(100, 600_000),
    default: fixed(2000),
  }),
  RETENTION_PURGE_MS: variable({
    description: "How often the retention purge of children's identifiers runs (docs/procedure.md §7).",
    expected: 'milliseconds, 1000-604800000',
    parse: integer(1000, 604_800_000),
    default: fixed(86_400_000),
  }),
  DEADLINE_CONCURRENCY: variable({
    description: 'Deadline jobs one worker runs at once.',
    expected: 'an integer 1-200',
    parse: integer(1, 200),
    default: fixed(16),
  }),
  DEADLINE_BATCH_SIZE: variable({
    description: 'Most due deadlines one firing transaction claims.',
    expected: 'an integer 1-1000',
    parse: integer(1, 1000),
    default: fixed(DEFAULT_DEADLINE_BATCH_SIZE),
  }),
};

/** Heavy analytics answers (docs/security/heavy-work.md). */
export const analyticsVariables = {
  ANALYTICS_TIME_BUDGET_MS: variable({
    description: 'Longest one trends answer (query and disclosure control) may take before it is stopped.',
    expected: 'milliseconds, 1-600000',
    parse: integer(1, 600_000),
    default: fixed(10_000),
  }),
  ANALYTICS_THREADS: variable({
    description: 'Threads that run disclosure control off the request thread.',
    expected: 'an integer 1-64',
    parse: integer(1, 64),
    // One core stays with the event loop.
    default: derived('the CPU cores less one, at least 1', () => Math.max(1, availableParallelism() - 1)),
  }),
};
