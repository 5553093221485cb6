/** Writes the deadline benchmark's results (docs/benchmarks.md explains them). */
import { execSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname } from 'node:path';
import type { AppConfig } from '@hips/config';
import { FUTURE, BURST, RECOVERY, LEAD_S, RESULTS, type Stats, ms, type SweepRun } from './deadlines-support';

export function writeResults(started: Date, config: AppConfig, r: Record<string, any>): void {
  const burst = r.burst as {
    stats: Stats;
    effect: Stats;
    missed: number;
    firedByJobs: number;
    sweepsDuring: SweepRun[];
  };
  const baseline = r.baseline as { stats: Stats; missed: number };
  const rec = r.recovery;
  const p99Aim = Math.min(baseline.stats.p99 + 50, 250);
  const recoveredIn = rec.stats ? rec.stats.max : null;
  const met = (ok: boolean) => (ok ? 'met' : '**not met**');
  const nproc = execSync('nproc').toString().trim();
  const lines = [
    '# Deadline firing benchmark',
    '',
    `Run ${started.toISOString()} with \`npm run bench:deadlines\` (bench/deadlines.ts).`,
    '',
    '## Machine',
    '',
    `- CPUs: ${nproc} (\`nproc\`), ${cpus()[0]?.model ?? 'unknown'}`,
    `- Memory: ${(totalmem() / 2 ** 30).toFixed(1)} GiB`,
    `- Node ${process.version}, PostgreSQL ${r.postgres}, Redis ${r.redis} (all local, 127.0.0.1)`,
    `- Load average (1, 5, 15 min) before ${r.loadBefore}, after ${r.loadAfter}: the server is shared with other runs`,
    '- Sweeper: DeadlineRunner.sweep() as in the worker',
    `- Worker settings (defaults): deadline concurrency ${config.worker.deadlineConcurrency}, batch ${config.worker.deadlineBatchSize}, database pool ${config.databasePoolSize}, relay every ${config.worker.relayMs} ms, sweep every ${config.worker.sweepMs} ms`,
    '',
    '## Aims (docs/benchmarks.md) and results',
    '',
    '| aim | result | |',
    '| --- | --- | --- |',
    `| 0 missed (not fired within 60 s) of ${burst.stats.n + burst.missed} due in the same second | ${burst.missed} missed | ${met(burst.missed === 0)} |`,
    `| p99 lateness ≤ bare BullMQ p99 + 50 ms and < 250 ms (here ≤ ${Math.round(p99Aim)} ms) | p99 ${ms(burst.stats.p99)} (bare BullMQ p99 ${ms(baseline.stats.p99)}) | ${met(burst.stats.p99 <= p99Aim && burst.stats.p99 < 250)} |`,
    `| ${RECOVERY} due in the same second, Redis wiped: all fired by the sweeper within 60 s of due | ${rec.fired} fired, ${rec.within60s} within 60 s, last ${recoveredIn === null ? 'never' : ms(recoveredIn)} after due | ${met(rec.within60s === RECOVERY)} |`,
    '',
    `## 1. Firing lateness: ${BURST} deadlines due in the same second`,
    '',
    `${FUTURE} DUE deadlines due 30 days ahead are inserted first (with their outbox rows) and relayed to BullMQ by the`,
    `worker's relay (${ms(r.relayFutureMs)} for the backlog; ${r.delayedAfterSetup} delayed jobs in Redis). Then ${BURST} more are`,
    `written in one transaction, due ${LEAD_S}-${LEAD_S + 1} s later at one instant (database clock); the relay moves them to`,
    'BullMQ within a relay interval. Lateness = `fired_at - due_at`, both from the database clock (`fired_at` is the',
    "firing transaction's `now()`: the instant the guarded update claimed the deadline). A firing transaction claims",
    'up to a batch of due deadlines of one partnership and applies their effects before it commits, so the table also',
    "shows when each effect was written (the breach event's `clock_timestamp()`); it commits with the rest of its batch.",
    '',
    '| | p50 | p99 | max | missed |',
    '| --- | --- | --- | --- | --- |',
    `| real path (relay → BullMQ → DeadlineRunner.fire → real effect) | ${ms(burst.stats.p50)} | ${ms(burst.stats.p99)} | ${ms(burst.stats.max)} | ${burst.missed} |`,
    `| effect written (the STAGE_BREACHED event's \`clock_timestamp()\` − due) | ${ms(burst.effect.p50)} | ${ms(burst.effect.p99)} | ${ms(burst.effect.max)} | |`,
    `| bare BullMQ (no-op worker, same delay, same concurrency) | ${ms(baseline.stats.p50)} | ${ms(baseline.stats.p99)} | ${ms(baseline.stats.max)} | ${baseline.missed} |`,
    `| ratio real / bare | ${(burst.stats.p50 / Math.max(1, baseline.stats.p50)).toFixed(1)}× | ${(burst.stats.p99 / Math.max(1, baseline.stats.p99)).toFixed(1)}× | ${(burst.stats.max / Math.max(1, baseline.stats.max)).toFixed(1)}× | |`,
    '',
    `Claimed by BullMQ jobs themselves: ${burst.firedByJobs}; by sweeps (the burst sweep a job starts when it finds more`,
    `than its own deadline due, or the periodic sweeper): ${burst.stats.n - burst.firedByJobs}. The real path can be`,
    'less late than the bare worker: the bare worker has to start every one of the 1,000 jobs, while the first job of a',
    "partnership claims that partnership's whole burst and starts a sweep that claims the other partnerships'.",
    '',
    `## 2. Recovery: ${RECOVERY} due in the same second, Redis wiped`,
    '',
    `Relayed in ${ms(rec.relayMs)} (${rec.delayedBeforeWipe} delayed jobs before the wipe, ${rec.notRelayedAtWipe} outbox rows not relayed); every`,
    `key of the run's prefix deleted (${rec.deletedKeys} keys, ${ms(rec.wipedBeforeDueMs)} before due; ${rec.delayedAfterWipe} delayed jobs after).`,
    '',
    rec.stats
      ? `Lateness: p50 ${ms(rec.stats.p50)}, p99 ${ms(rec.stats.p99)}, max ${ms(rec.stats.max)}; ${rec.fired} of ${RECOVERY} fired (${rec.within60s} within 60 s), ${rec.firedByJobs} by jobs.`
      : 'None fired.',
    '',
    'Sweeps that fired them (start relative to due, duration, fired):',
    '',
    ...(rec.sweeps as { startAfterDueMs: number; durationMs: number; fired: number }[]).map(
      (s) => `- +${ms(s.startAfterDueMs)}, ${ms(s.durationMs)}, ${s.fired}`,
    ),
    '',
    '## What runs',
    '',
    '- Throw-away database `hips_bench_<random>` migrated with `migrate()`, dropped at the end; Redis prefix',
    '  `hips-bench-<random>`, its keys deleted at the end (never FLUSHALL).',
    '- Cases are minimal but valid: per deadline one OPEN escalation (two-stage ladder, breach action NOTIFY),',
    '  one open stage 1 and its DUE deadline, inserted in bulk as the owner with `generate_series`, round-robin over',
    '  the four partnerships, with the DEADLINE_SCHEDULED outbox row `scheduleDeadlines` writes.',
    '- The Nest application context of `WorkerModule`, so the effect is the real `ApplyDeadlinesHandler`',
    '  (stage marked breached, STAGE_BREACHED event, notifier with next-owner routing, webhook and event outbox,',
    '  hash-chained audit row) in the firing transaction, as the application role under row-level security (a',
    "  throw-away member of `hips_app`, dropped at the end: `hips_app`'s login flag is shared with other runs).",
    '- `DeadlineRunner` with a Queue and Worker configured as in `apps/worker/src/main.ts` (one shared connection',
    '  with `maxRetriesPerRequest: null`, `prefix: config.redisPrefix`, `JOB_OPTIONS.deadlines`, concurrency from',
    '  config); the relay and sweeper run in the worker’s `Periodic` loops (sweeper at start-up and every interval).',
    '',
  ];
  // The History section is kept from the previous results (written by hand: what changed between runs).
  const previous = existsSync(RESULTS) ? readFileSync(RESULTS, 'utf8') : '';
  const history = previous.indexOf('## History');
  if (history >= 0) lines.push(previous.slice(history).trimEnd(), '');
  mkdirSync(dirname(RESULTS), { recursive: true });
  writeFileSync(RESULTS, lines.join('\n'));
}
