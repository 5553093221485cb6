/**
 * npm run analytics:rebuild: recomputes every fact row of the analytics read model from the case tables (per
 * partnership, as the application role through TenantDb), deletes rows of cases that no longer exist and resets
 * each partnership's watermark. Safe while the worker runs: refreshes of one partnership wait for each other.
 */
import { refreshPartnership } from '@hips/analytics';
import { AppConfig, loadConfigOrExit } from '@hips/config';
import { createAppDataSource, createOwnerDataSource, migrate, TenantDb } from '@hips/database';
import { progressBar } from './synthetic-data';

export async function rebuildReadModel(config: AppConfig): Promise<number> {
  const owner = createOwnerDataSource(config.databaseUrl);
  await owner.initialize();
  let counts: { id: string; cases: number }[];
  try {
    counts = await owner.query(
      `select p.id, (select count(*)::int from escalations e where e.partnership_id = p.id) as cases
         from partnerships p order by p.code`,
    );
  } finally {
    await owner.destroy();
  }
  const total = counts.reduce((t, c) => t + c.cases, 0);
  const app = await createAppDataSource(config, 'hips-resolve-analytics-rebuild').initialize();
  const bar = progressBar('read model', 30);
  const started = Date.now();
  // Two partnerships at a time, largest first: while one computes facts in JavaScript, the other's queries run
  // in the database (each partnership is still one transaction of its own).
  const queue = [...counts].sort((a, b) => b.cases - a.cases);
  const progress = new Map<string, number>();
  const report = () =>
    bar(
      [...progress.values()].reduce((t, n) => t + n, 0),
      total,
    );
  try {
    const db = new TenantDb(app);
    const worker = async (): Promise<void> => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        const id = next.id;
        await refreshPartnership(db, id, {
          full: true,
          onProgress: (done) => {
            progress.set(id, done);
            report();
          },
        });
      }
    };
    await Promise.all([worker(), worker()]);
    if (total === 0) bar(0, 0);
  } finally {
    await app.destroy();
  }
  // Fresh statistics and visibility for the rewritten read model (outside the rebuild's transactions).
  const vacuum = createOwnerDataSource(config.databaseUrl);
  await vacuum.initialize();
  try {
    await vacuum.query('vacuum analyze analytics_case_facts, analytics_trend_cells');
  } finally {
    await vacuum.destroy();
  }
  const seconds = (Date.now() - started) / 1000;
  process.stdout.write(
    `Rebuilt the analytics read model: ${total.toLocaleString('en-GB')} cases in ${seconds.toFixed(1)} s\n`,
  );
  return total;
}

if (require.main === module) {
  const config = loadConfigOrExit();
  migrate(config)
    .then(() => rebuildReadModel(config))
    .catch((error: unknown) => {
      process.stderr.write(
        `analytics:rebuild failed: ${error instanceof Error ? error.stack : String(error)}\n`,
      );
      process.exit(1);
    });
}
