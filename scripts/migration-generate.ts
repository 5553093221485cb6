/**
 * Writes a migration with the SQL that brings a database migrated to the latest version in line with the
 * entities. Usage: npm run migration:generate -- Name
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadConfigOrExit } from '@hips/config';
import { schemaDrift, withScratchDatabase } from './scratch-database';

async function main(): Promise<void> {
  const name = process.argv[2];
  if (!name || !/^[A-Z][A-Za-z0-9]+$/.test(name)) {
    process.stderr.write('Usage: npm run migration:generate -- PascalCaseName\n');
    process.exit(1);
  }
  const config = loadConfigOrExit();
  const drift = await withScratchDatabase(config, schemaDrift);
  if (drift.up.length === 0) {
    process.stdout.write('The entities and the migrations agree: nothing to generate.\n');
    return;
  }
  const timestamp = Date.now();
  const lines = (qs: string[]) =>
    qs.map((q) => `    await queryRunner.query(${JSON.stringify(q)});`).join('\n');
  const file = resolve('migrations', `${timestamp}-${name}.ts`);
  writeFileSync(
    file,
    `import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ${name}${timestamp} implements MigrationInterface {
  name = '${name}${timestamp}';

  async up(queryRunner: QueryRunner): Promise<void> {
${lines(drift.up)}
  }

  async down(queryRunner: QueryRunner): Promise<void> {
${lines(drift.down)}
  }
}
`,
  );
  process.stdout.write(`Wrote ${file}; add it to migrations/index.ts.\n`);
}

void main();
