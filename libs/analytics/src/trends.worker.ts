import { discloseTrends, type DisclosedTrends, type DisclosureTask } from './trends';

/**
 * The entry of a disclosure thread (disclosure-pool.ts): Piscina loads this file, compiled to
 * dist/libs/analytics/src/trends.worker.js, in a worker thread and calls its default export with each task.
 * It imports only pure code (trends.ts, libs/core): no I/O, no Nest.
 */
export default function disclose(task: DisclosureTask): DisclosedTrends {
  return discloseTrends(task);
}
