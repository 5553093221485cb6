import 'reflect-metadata';
import { loadConfigOrExit } from '@hips/config';
import { migrate } from '@hips/database';
import { createLogger } from '@hips/common';
import { createApiApp } from './create-app';

process.env.HIPS_PROCESS = 'api';

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const logger = createLogger(config.logLevel, 'api');
  // The API is the only process that runs migrations.
  const applied = await migrate(config);
  if (applied.length > 0) logger.info({ applied }, 'migrations applied');
  const app = await createApiApp(config);
  await app.listen(config.port);
  logger.info({ url: `${config.publicUrl}/graphql` }, 'HIPS Resolve API listening');
}

main().catch((error: unknown) => {
  process.stderr.write(`API failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
