// The development GraphiQL page's script, bundled by web/build.mjs into dist/graphiql/ and served by the API
// itself (apps/api/src/graphiql.ts): nothing is loaded from a CDN.
import 'graphiql/style.css';
import { createGraphiQLFetcher, type Fetcher, type FetcherOpts } from '@graphiql/toolkit';
import { GraphiQL } from 'graphiql';
import { Kind, OperationTypeNode, type DocumentNode, type ExecutionResult } from 'graphql';
import { createClient } from 'graphql-ws';
import { createElement } from 'react';
import { createRoot } from 'react-dom/client';

// Monaco runs its language services in workers; web/build.mjs bundles each next to this script.
const worker = (name: string): Worker => new Worker(new URL(`./${name}.worker.js`, import.meta.url));
(globalThis as { MonacoEnvironment?: unknown }).MonacoEnvironment = {
  getWorker: (_id: string, label: string): Worker =>
    worker(label === 'json' ? 'json' : label === 'graphql' ? 'graphql' : 'editor'),
};

const endpoint = new URL('/graphql', window.location.href);

// HTTP: POST with content-type application/json, which also satisfies Apollo's CSRF prevention.
const http = createGraphiQLFetcher({ url: endpoint.href, enableIncrementalDelivery: false });

function isSubscription(
  document: DocumentNode | undefined,
  operationName: string | null | undefined,
): boolean {
  const operations = (document?.definitions ?? []).filter((d) => d.kind === Kind.OPERATION_DEFINITION);
  const chosen = operationName ? operations.find((o) => o.name?.value === operationName) : operations[0];
  return chosen?.operation === OperationTypeNode.SUBSCRIPTION;
}

// Subscriptions: graphql-ws on the same path. The API authenticates a connection by its connection_init
// payload (`authorization`, `x-api-key`), so the headers editor's headers go there, one connection each.
async function* subscribe(params: Parameters<Fetcher>[0], opts: FetcherOpts | undefined) {
  const wsUrl = new URL(endpoint.href);
  wsUrl.protocol = wsUrl.protocol === 'https:' ? 'wss:' : 'ws:';
  const connectionParams = Object.fromEntries(
    Object.entries(opts?.headers ?? {}).map(([name, value]) => [name.toLowerCase(), String(value)]),
  );
  const client = createClient({ url: wsUrl.href, connectionParams, lazy: true, retryAttempts: 0 });
  try {
    const variables = params.variables as Record<string, unknown> | undefined;
    const payload = { query: params.query, operationName: params.operationName, variables };
    // GraphiQL only displays results: the wire format (formatted errors) is what it shows anyway.
    for await (const result of client.iterate(payload)) yield result as ExecutionResult;
  } catch (error) {
    throw error instanceof CloseEvent
      ? new Error(`Socket closed: ${error.code} ${error.reason}`.trim())
      : error;
  } finally {
    await client.dispose();
  }
}

const fetcher: Fetcher = (params, opts) =>
  isSubscription(opts?.documentAST, params.operationName) ? subscribe(params, opts) : http(params, opts);

const defaultQuery = `# HIPS Resolve (development only).
#
# 1. Run the login mutation below (demo password: resolve-demo, see README "Demo logins").
# 2. Copy accessToken into the Headers tab as  { "Authorization": "Bearer <accessToken>" }
#    (access tokens last 15 minutes; refreshToken gives a new pair).
# 3. Then ask, e.g.:  { viewer { roles partnership { code name } } }

mutation Login {
  login(input: { email: "admin.portsmouth@demo.hips.test", password: "resolve-demo" }) {
    accessToken
    expiresAt
    userErrors { code message }
  }
}
`;

const defaultHeaders = `{
  // Paste the accessToken that the login mutation returns:
  // "Authorization": "Bearer <accessToken>"
}
`;

const container = document.getElementById('graphiql');
if (!container) throw new Error('missing #graphiql');
createRoot(container).render(
  createElement(GraphiQL, {
    fetcher,
    defaultQuery,
    defaultHeaders,
    defaultEditorToolsVisibility: 'headers',
    isHeadersEditorEnabled: true,
    // A token is a credential: keep it out of localStorage unless the developer turns this on.
    shouldPersistHeaders: false,
  }),
);
