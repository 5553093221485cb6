/**
 * npm run seed:synthetic -- --escalations N [--seed S] [--years Y]
 * Writes N synthetic cases (scripts/synthetic-data.ts) as the owner, prints the rate, then rebuilds the
 * analytics read model. Needs the demo data (agencies): it loads it first when the directory is empty.
 */
import { loadConfigOrExit } from '@hips/config';
import { createOwnerDataSource, migrate } from '@hips/database';
import { rebuildReadModel } from './analytics-rebuild';
import { hashPassword } from '@hips/directory';
import { seedDemo } from './demo-data';
import { generateSyntheticCases, progressBar } from './synthetic-data';

export function argValue(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const raw = i >= 0 ? process.argv[i + 1] : undefined;
  const n = raw === undefined ? fallback : Number(raw.replace(/_/g, ''));
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`--${name} takes a non-negative integer`);
  return n;
}

async function main(): Promise<void> {
  const count = argValue('escalations', 10_000);
  const seed = argValue('seed', 1);
  const years = argValue('years', 4);
  const config = loadConfigOrExit();
  await migrate(config);
  const owner = createOwnerDataSource(config.databaseUrl);
  await owner.initialize();
  try {
    const [{ people }]: { people: number }[] = await owner.query(
      'select count(*)::int as people from people',
    );
    if (people === 0) {
      const hash = await hashPassword(config.demoPassword);
      await owner.transaction((em) => seedDemo(em, hash));
      process.stdout.write('Loaded the demo data (agencies and people) first.\n');
    }
    const end = new Date();
    const started = Date.now();
    await generateSyntheticCases(owner, {
      count,
      seed,
      end,
      start: new Date(end.getTime() - years * 365 * 86_400_000),
      onProgress: progressBar('cases  '),
    });
    const seconds = (Date.now() - started) / 1000;
    process.stdout.write(
      `Wrote ${count.toLocaleString('en-GB')} cases in ${seconds.toFixed(1)} s: ${Math.round(count / seconds).toLocaleString('en-GB')} cases/s\n`,
    );
  } finally {
    await owner.destroy();
  }
  await rebuildReadModel(config);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`seed:synthetic failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  });
}
