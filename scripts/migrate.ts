/** Applies pending migrations (the API also does this at start-up). */
import { loadConfigOrExit } from '@hips/config';
import { migrate } from '@hips/database';

async function main(): Promise<void> {
  const applied = await migrate(loadConfigOrExit());
  process.stdout.write(applied.length ? `Applied ${applied.join(', ')}\n` : 'Database is up to date.\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`Migration failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
