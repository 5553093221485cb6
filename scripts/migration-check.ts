/** CI: fails when the entities and the migrations have drifted apart. */
import { loadConfigOrExit } from '@hips/config';
import { schemaDrift, withScratchDatabase } from './scratch-database';

async function main(): Promise<void> {
  const drift = await withScratchDatabase(loadConfigOrExit(), schemaDrift);
  if (drift.up.length > 0) {
    process.stderr.write(
      `The entities and the migrations have drifted apart; run npm run migration:generate -- Name.\n` +
        `${drift.up.join(';\n')};\n`,
    );
    process.exit(1);
  }
  process.stdout.write('Migrations match the entities.\n');
}

void main();
