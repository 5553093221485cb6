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
  let before = 0;
  try {
    const db = new TenantDb(app);
    for (const { id, cases } of counts) {
      await refreshPartnership(db, id, { full: true, onProgress: (done) => bar(before + done, total) });
      before += cases;
    }
    if (total === 0) bar(0, 0);
  } finally {
    await app.destroy();
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
