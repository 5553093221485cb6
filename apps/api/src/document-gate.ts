import type { NextFunction, Request, Response } from 'express';
import { REQUEST_LIMITS, sourceProblem } from './graphql-limits';

/** Anonymous: neither credential header. Whether a credential is valid is the guard's business, later. */
export function isAnonymous(req: Request): boolean {
  return !req.headers.authorization && !req.headers['x-api-key'];
}

/** The documents of a GraphQL HTTP request: POST bodies (one or a batch) and GET's `query` parameter. */
function documentsOf(req: Request): unknown[] {
  if (req.method === 'GET') return [req.query?.query];
  const body: unknown = req.body;
  return (Array.isArray(body) ? body : [body]).map((op) =>
    op && typeof op === 'object' ? (op as { query?: unknown }).query : undefined,
  );
}

/**
 * Express middleware in front of /graphql: a document over the caller's size or token limit is answered at once
 * with DOCUMENT_TOO_LARGE or TOO_MANY_TOKENS, before Apollo parses or validates anything.
 */
export function documentGate(req: Request, res: Response, next: NextFunction): void {
  if (req.path !== '/graphql' || (req.method !== 'POST' && req.method !== 'GET')) return next();
  const limits = isAnonymous(req) ? REQUEST_LIMITS.anonymous : REQUEST_LIMITS.authenticated;
  for (const source of documentsOf(req)) {
    if (typeof source !== 'string') continue;
    const problem = sourceProblem(source, limits);
    if (problem) {
      const { message, extensions } = problem;
      res.status((extensions.http as { status: number }).status).json({
        errors: [{ message, extensions: { code: extensions.code } }],
      });
      return;
    }
  }
  next();
}
