import 'reflect-metadata';
import { loadConfigOrExit } from '@hips/config';
import { migrate, nameStartupLog, untilReachable } from '@hips/database';
import { createLogger } from '@hips/common';
import { createApiApp } from './create-app';

async function main(): Promise<void> {
  const config = loadConfigOrExit(process.env, { role: 'api' });
  nameStartupLog(config.processRole);
  const logger = createLogger(config.logLevel, 'api');
  // The API is the only process that runs migrations. Retrying them is safe: each migration is one transaction,
  // so an attempt cut short applied whole migrations or none, and the next attempt applies the rest.
  const applied = await untilReachable(
    config.databaseUrl,
    { timeoutSeconds: config.databaseStartupTimeoutSeconds },
    () => migrate(config),
  );
  if (applied.length > 0) logger.info({ applied }, 'migrations applied');
  const app = await createApiApp(config);
  await app.listen(config.port);
  logger.info({ url: `${config.publicUrl}/graphql` }, 'HIPS Resolve API listening');
}

main().catch((error: unknown) => {
  process.stderr.write(`API failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
