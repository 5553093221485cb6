/**
 * npm run seed:demo: loads the demo agencies and people (password DEMO_PASSWORD, default resolve-demo).
 * With --if-empty (used by npm start) it does nothing when the database already has people.
 */
import { loadConfigOrExit } from '@hips/config';
import { createOwnerDataSource, migrate } from '@hips/database';
import { hashPassword } from '@hips/directory';
import { seedDemo } from './demo-data';

async function main(): Promise<void> {
  const config = loadConfigOrExit();
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
    process.stdout.write(`Demo data loaded: ${logins.length} people, password "${config.demoPassword}".\n`);
  } finally {
    await owner.destroy();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`Seeding failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
