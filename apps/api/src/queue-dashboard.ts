import { createHash, timingSafeEqual } from 'node:crypto';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { INestApplication } from '@nestjs/common';
import { Queue } from 'bullmq';
import type { NextFunction, Request, Response } from 'express';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { AuditService } from '@hips/audit';
import { requestIdOf } from '@hips/common';
import type { AppConfig, PlatformOperator } from '@hips/config';
import { TenantDb } from '@hips/database';
import { QUEUES } from '@hips/deadlines';

export const QUEUE_DASHBOARD_PATH = '/admin/queues';

/** One QUEUE_DASHBOARD_ACCESSED per operator per window: the board polls every few seconds. */
const ACCESS_AUDIT_WINDOW_SECONDS = 15 * 60;

/** Compared against when the name is unknown, so a wrong name costs as long as a wrong token. */
const NO_OPERATOR = Buffer.alloc(32);

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest();

/** The configured operator whose name and token the Basic header carries, or null. */
export function operatorOf(
  header: string | undefined,
  operators: PlatformOperator[],
): PlatformOperator | null {
  if (!header?.startsWith('Basic ')) return null;
  const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return null;
  const name = decoded.slice(0, colon);
  const operator = operators.find((o) => o.name === name);
  const matches = timingSafeEqual(sha256(decoded.slice(colon + 1)), operator?.tokenSha256 ?? NO_OPERATOR);
  return operator && matches ? operator : null;
}

/**
 * Bull Board for platform operators only (docs/security/operators-and-production.md). The queues are shared by
 * every partnership, so no partnership role opens it: operators are named in PLATFORM_OPERATORS and present their
 * token as HTTP Basic name:token, checked on every request (a hash comparison; nothing is cached). Read-only
 * unless QUEUE_DASHBOARD_WRITABLE=true. Access and every write request go to the platform audit trail first.
 */
export function mountQueueDashboard(
  app: INestApplication,
  config: AppConfig,
  logger: Logger,
): () => Promise<void> {
  const readOnlyMode = !config.queueDashboardWritable;
  const connection = new Redis(config.redisUrl, { maxRetriesPerRequest: null });
  const queues = Object.values(QUEUES).map(
    (name) => new Queue(name, { connection, prefix: config.redisPrefix }),
  );
  const serverAdapter = new ExpressAdapter().setBasePath(QUEUE_DASHBOARD_PATH);
  createBullBoard({
    queues: queues.map((q) => new BullMQAdapter(q, { readOnlyMode })),
    serverAdapter,
    options: { uiConfig: { boardTitle: readOnlyMode ? 'HIPS queues (read-only)' : 'HIPS queues' } },
  });
  const db = app.get(TenantDb);
  const audit = app.get(AuditService);

  const record = (req: Request, operator: PlatformOperator, action: string) =>
    db.runWithoutTenant((em) =>
      audit.recordPlatform(em, {
        actorType: 'PLATFORM_OPERATOR',
        actorName: operator.name,
        action,
        detail: { method: req.method, path: req.path, clientAddress: req.ip ?? null },
        requestId: requestIdOf(req),
      }),
    );

  const guard = async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const operator = operatorOf(req.headers.authorization, config.platformOperators);
    if (!operator) {
      res.setHeader('WWW-Authenticate', 'Basic realm="HIPS Resolve platform operators"');
      res
        .status(401)
        .json({ error: 'UNAUTHENTICATED', message: 'A platform operator’s name and token are needed.' });
      return;
    }
    const write = req.method !== 'GET' && req.method !== 'HEAD';
    if (write && readOnlyMode) {
      res
        .status(403)
        .json({ error: 'QUEUE_DASHBOARD_READ_ONLY', message: 'The queue dashboard is read-only.' });
      return;
    }
    if (write) {
      await record(req, operator, 'QUEUE_DASHBOARD_WRITE');
    } else {
      const key = `${config.redisPrefix}:queue-dashboard:accessed:${operator.name}`;
      const first = await connection.set(key, '1', 'EX', ACCESS_AUDIT_WINDOW_SECONDS, 'NX');
      // Audited before the page is served; if the audit fails, the marker goes so the next request retries it.
      if (first === 'OK')
        await record(req, operator, 'QUEUE_DASHBOARD_ACCESSED').catch(async (error) => {
          await connection.del(key);
          throw error;
        });
    }
    next();
  };

  app.use(QUEUE_DASHBOARD_PATH, (req: Request, res: Response, next: NextFunction) => {
    guard(req, res, next).catch((error: unknown) => {
      logger.error({ err: error, requestId: requestIdOf(req) }, 'queue dashboard: audit or check failed');
      res.status(500).json({ error: 'INTERNAL', message: 'Internal error' });
    });
  });
  app.use(
    QUEUE_DASHBOARD_PATH,
    serverAdapter.getRouter() as (req: Request, res: Response, next: NextFunction) => void,
  );
  return async () => {
    await Promise.all(queues.map((q) => q.close()));
    await connection.quit().catch(() => undefined);
  };
}
