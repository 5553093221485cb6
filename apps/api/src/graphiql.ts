import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import type { AppConfig } from '@hips/config';

export const GRAPHIQL_PATH = '/graphiql';
export const GRAPHIQL_ASSETS_PATH = `${GRAPHIQL_PATH}/assets`;
/** What web/build.mjs writes at `npm run build` (dist/graphiql), from dist/apps/api/src. */
export const GRAPHIQL_ASSETS_DIR = resolve(__dirname, '../../../graphiql');

// Everything the page loads comes from this origin: the bundle and Monaco's workers. Monaco and GraphiQL inject
// <style> elements (hence 'unsafe-inline' for styles only) and inline their fonts as data: URLs.
function contentSecurityPolicy(req: Request): string {
  const ws = `${req.protocol === 'https' ? 'wss' : 'ws'}://${req.get('host') ?? 'localhost'}`;
  return [
    "default-src 'none'",
    "script-src 'self'",
    "worker-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "font-src 'self' data:",
    "img-src 'self' data:",
    `connect-src 'self' ${ws}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

const PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>HIPS Resolve GraphiQL (development)</title>
    <link rel="icon" href="data:," />
    <link rel="stylesheet" href="${GRAPHIQL_ASSETS_PATH}/graphiql.css" />
    <style>html, body, #graphiql { height: 100%; margin: 0; }</style>
  </head>
  <body>
    <div id="graphiql">Loading GraphiQL… Log in with the <code>login</code> mutation, then send
      <code>Authorization: Bearer &lt;accessToken&gt;</code> from the Headers tab.</div>
    <script type="module" src="${GRAPHIQL_ASSETS_PATH}/graphiql.js"></script>
  </body>
</html>
`;

/**
 * The development IDE: GET /graphiql (and a browser's GET /graphql) serve a GraphiQL page whose script, styles
 * and workers the API serves itself from dist/graphiql. Never mounted in production, where these paths are 404
 * like any unknown path and introspection is off.
 */
export function mountGraphiql(app: NestExpressApplication, config: AppConfig): void {
  if (config.nodeEnv === 'production') return;
  const built = existsSync(resolve(GRAPHIQL_ASSETS_DIR, 'graphiql.js'));
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    // A browser opening the endpoint itself (no query in the URL) is sent to the IDE.
    if (
      req.path === '/graphql' &&
      req.query.query === undefined &&
      req.accepts(['json', 'html']) === 'html'
    ) {
      return res.redirect(302, GRAPHIQL_PATH);
    }
    if (req.path !== GRAPHIQL_PATH && req.path !== `${GRAPHIQL_PATH}/`) return next();
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    if (!built) {
      res.status(503).type('text/plain').send('The GraphiQL bundle is missing: run `npm run build`.\n');
      return;
    }
    res.setHeader('Content-Security-Policy', contentSecurityPolicy(req));
    res.type('html').send(PAGE);
  });
  app.useStaticAssets(GRAPHIQL_ASSETS_DIR, {
    prefix: GRAPHIQL_ASSETS_PATH,
    index: false,
    // Rebuilt on every `npm run build` under the same names: revalidate rather than cache blindly.
    setHeaders: (res: Response) => {
      res.setHeader('Cache-Control', 'no-cache');
      res.setHeader('X-Content-Type-Options', 'nosniff');
    },
  });
}
