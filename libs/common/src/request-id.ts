import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

type WithId = Request & { id?: string };

/** Every request gets an id (a sane caller-supplied X-Request-Id, or a new one), echoed in the response. */
export function requestIdMiddleware(req: Request, res: Response, next: NextFunction): void {
  const given = req.headers['x-request-id'];
  const id = typeof given === 'string' && /^[A-Za-z0-9._-]{8,64}$/.test(given) ? given : randomUUID();
  (req as WithId).id = id;
  res.setHeader('x-request-id', id);
  next();
}

export function requestIdOf(req: Request): string {
  return (req as WithId).id ?? 'none';
}
