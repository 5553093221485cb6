import { createHash } from 'node:crypto';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { INestApplication } from '@nestjs/common';
import { Queue } from 'bullmq';
import type { NextFunction, Request, Response } from 'express';
import { Redis } from 'ioredis';
import { AuthService } from '@hips/auth';
import type { AppConfig } from '@hips/config';
import { QUEUES } from '@hips/deadlines';

export const QUEUE_DASHBOARD_PATH = '/admin/queues';

/**
 * Bull Board for partnership admins: the queues, their failed jobs (the dead-letter view) and retries. Browsers
 * send HTTP Basic credentials (the person's e-mail and password), or an agency tool a Bearer token; either must
 * belong to a PARTNERSHIP_ADMIN. Jobs carry only partnership and record ids, never identifiers.
 */
export function mountQueueDashboard(app: INestApplication, config: AppConfig): () => Promise<void> {
  const connection = new Redis(config.redisUrl, { maxRetriesPerRequest: null });
  const queues = Object.values(QUEUES).map(
    (name) => new Queue(name, { connection, prefix: config.redisPrefix }),
  );
  const serverAdapter = new ExpressAdapter().setBasePath(QUEUE_DASHBOARD_PATH);
  createBullBoard({ queues: queues.map((q) => new BullMQAdapter(q)), serverAdapter });
  const auth = app.get(AuthService);
  // A verified Basic header is remembered briefly: the board polls, and argon2 is deliberately slow.
  const verified = new Map<string, number>();

  const allowed = async (req: Request): Promise<boolean> => {
    const header = req.headers.authorization ?? '';
    const key = createHash('sha256').update(header).digest('hex');
    if ((verified.get(key) ?? 0) > Date.now()) return true;
    let roles: string[] = [];
    if (header.startsWith('Bearer ')) {
      const payload = await auth.verify(header.slice(7), 'access');
      const ctx = payload ? await auth.contextForPerson(payload.sub, payload.pid, 'queue-dashboard') : null;
      roles = ctx?.roles ?? [];
    } else if (header.startsWith('Basic ')) {
      const [email, ...rest] = Buffer.from(header.slice(6), 'base64').toString('utf8').split(':');
      roles = await auth
        .login({ email, password: rest.join(':') }, req.ip ?? 'unknown', 'queue-dashboard')
        .then(
          (issued) => issued.context.roles,
          () => [],
        );
    }
    if (!roles.includes('PARTNERSHIP_ADMIN')) return false;
    verified.set(key, Date.now() + 5 * 60_000);
    return true;
  };

  app.use(QUEUE_DASHBOARD_PATH, (req: Request, res: Response, next: NextFunction) => {
    allowed(req).then(
      (ok) => {
        if (ok) return next();
        res.setHeader('WWW-Authenticate', 'Basic realm="HIPS Resolve queues"');
        res.status(401).send('A partnership admin’s e-mail and password are needed.');
      },
      () => res.status(500).send('Internal error'),
    );
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
