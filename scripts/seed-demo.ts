/**
 * npm run seed:demo: loads the demo agencies and people (password DEMO_PASSWORD, default resolve-demo).
 * With --if-empty (used by npm start) it does nothing when the database already has people.
 *
 * The demo people have a published password, so NODE_ENV=production refuses to load them unless forced
 * (--force or SEED_DEMO_FORCE=true), and even then only with a DEMO_PASSWORD of the operator's own
 * (docs/security/operators-and-production.md).
 */
import { AppConfig, loadConfigOrExit } from '@hips/config';
import { createOwnerDataSource, migrate } from '@hips/database';
import { hashPassword } from '@hips/directory';
import { seedDemo } from './demo-data';

/** Why demo data must not be loaded here, or null when it may be. */
function demoSeedRefusal(config: AppConfig, argv: string[], env: NodeJS.ProcessEnv): string | null {
  if (config.nodeEnv !== 'production') return null;
  if (!argv.includes('--force') && env.SEED_DEMO_FORCE !== 'true') {
    return (
      'NODE_ENV=production: refusing to load the demo people (their password is published). ' +
      'To load them anyway, run seed:demo with --force or set SEED_DEMO_FORCE=true.'
    );
  }
  if (!env.DEMO_PASSWORD) {
    return 'NODE_ENV=production: forced demo data needs a DEMO_PASSWORD of your own, not the published default.';
  }
  return null;
}

function passwordSource(env: NodeJS.ProcessEnv): string {
  return env.DEMO_PASSWORD
    ? 'password from DEMO_PASSWORD'
    : 'password "resolve-demo", the published default (set DEMO_PASSWORD to choose another)';
}

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const refusal = demoSeedRefusal(config, process.argv, process.env);
  if (refusal) {
    process.stderr.write(`Demo data: ${refusal}\n`);
    process.exit(1);
  }
  await migrate(config);
  const owner = createOwnerDataSource(config.databaseUrl);
  await owner.initialize();
  try {
    const [{ count }]: { count: number }[] = await owner.query('select count(*)::int as count from people');
    if (count > 0) {
      process.stdout.write(
        process.argv.includes('--if-empty')
          ? 'Demo data: the database already has people; leaving it as it is.\n'
          : 'The database already has people; seed:demo runs only on an empty directory.\n',
      );
      return;
    }
    const hash = await hashPassword(config.demoPassword);
    const logins = await owner.transaction((em) => seedDemo(em, hash));
    const forced = config.nodeEnv === 'production' ? ' (forced, NODE_ENV=production)' : '';
    process.stdout.write(
      `Demo data loaded${forced}: ${logins.length} people, ${passwordSource(process.env)}.\n`,
    );
  } finally {
    await owner.destroy();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`Seeding failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
