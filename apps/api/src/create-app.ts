import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import { createLogger, PinoNestLogger, requestIdMiddleware, requestIdOf } from '@hips/common';
import { type AppConfig, withConfig } from '@hips/config';
import { AppModule } from './app.module';
import { documentGate } from './document-gate';
import { mountGraphiql } from './graphiql';
import { mountQueueDashboard } from './queue-dashboard';

/** Builds the API application (not listening yet). */
export async function createApiApp(config: AppConfig): Promise<NestExpressApplication> {
  const logger = createLogger(config.logLevel, 'api');
  const app = await NestFactory.create<NestExpressApplication>(withConfig(AppModule, config), {
    logger: new PinoNestLogger(logger),
    bodyParser: true,
  });
  app.set('trust proxy', 'loopback');
  // Names no framework to a scanner, in any environment (docs/security/operators-and-production.md).
  app.disable('x-powered-by');
  app.useBodyParser('json', { limit: '256kb' });
  app.use(documentGate);
  app.use(requestIdMiddleware);
  // One line per request: method, path, status, duration and request id; never bodies or headers.
  app.use((req: Request, res: Response, next: NextFunction) => {
    const started = process.hrtime.bigint();
    res.on('finish', () =>
      logger.info(
        {
          requestId: requestIdOf(req),
          method: req.method,
          path: req.path,
          status: res.statusCode,
          ms: Number(process.hrtime.bigint() - started) / 1e6,
        },
        'request',
      ),
    );
    next();
  });
  mountGraphiql(app, config);
  const closeDashboard = mountQueueDashboard(app, config, logger);
  app.enableShutdownHooks();
  process.once('beforeExit', () => void closeDashboard());
  return app;
}
