import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { Piscina } from 'piscina';
import { analyticsError, timeBudgetExceeded } from './analytics-errors';
import type { DisclosedTrends, DisclosureTask } from './trends';

/**
 * Disclosure control off the request thread (docs/security/heavy-work.md): a pool of worker threads (Piscina)
 * runs trends.worker.ts, so the API's event loop keeps answering (health checks, other requests) while a large
 * table is suppressed. Each task has a deadline; when it passes, the task is aborted, which terminates the thread
 * running it (Piscina starts a fresh one when needed): the work stops, it is not merely abandoned.
 */
export class DisclosurePool {
  private readonly pool: Piscina<DisclosureTask, DisclosedTrends>;
  private readonly maxInFlight: number;
  private inFlight = 0;

  constructor(threads: number, filename = trendsWorkerFile()) {
    // One thread stays loaded, so an answer's budget is not spent starting one; more start under load.
    this.pool = new Piscina({ filename, minThreads: 1, maxThreads: threads, idleTimeout: 60_000 });
    // Answers waiting for a thread each hold their rows in memory: a few per thread, then ANALYTICS_BUSY.
    this.maxInFlight = threads * 4;
  }

  /** Discloses on a thread within `timeoutMs` (the rest of the answer's time budget of `budgetMs`). */
  async disclose(task: DisclosureTask, timeoutMs: number, budgetMs: number): Promise<DisclosedTrends> {
    if (timeoutMs <= 0) throw timeBudgetExceeded(budgetMs);
    if (this.inFlight >= this.maxInFlight) {
      throw analyticsError('ANALYTICS_BUSY', 'too many analytics answers in progress: try again shortly');
    }
    this.inFlight++;
    const signal = AbortSignal.timeout(timeoutMs);
    try {
      return await this.pool.run(task, { signal });
    } catch (error) {
      if (signal.aborted) throw timeBudgetExceeded(budgetMs);
      throw error;
    } finally {
      this.inFlight--;
    }
  }

  /** The running threads (read only: the tests watch a thread stop when its task runs out of time). */
  get threads(): readonly Worker[] {
    return this.pool.threads;
  }

  /** Stops every thread (at shutdown). */
  close(): Promise<void> {
    return this.pool.destroy();
  }
}

/**
 * The compiled thread entry. In dist/ it lies beside this module. When this module runs from its TypeScript
 * source (Jest's SWC transform), a worker thread could not load the .ts file: the build's copy in dist/ is used.
 */
export function trendsWorkerFile(): string {
  const beside = join(__dirname, 'trends.worker.js');
  if (existsSync(beside)) return beside;
  const built = resolve(__dirname, '../../../dist/libs/analytics/src/trends.worker.js');
  if (__filename.endsWith('.ts') && existsSync(built)) return built;
  throw new Error(`disclosure thread entry not found at ${beside}: build first (npm run build)`);
}
