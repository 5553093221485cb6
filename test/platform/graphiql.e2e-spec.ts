import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { getIntrospectionQuery } from 'graphql';
import request from 'supertest';
import { startTestApp, TestApp } from '../support/app';
import { RunningProcess, startProductionApi, stopProcess } from '../support/processes';

// Exactly the headers the page's fetcher (@graphiql/toolkit, incremental delivery off) sends with every POST.
const PAGE_FETCH_HEADERS = {
  'content-type': 'application/json',
  accept: 'application/graphql-response+json, application/json;q=0.9',
};
const WORKERS = ['editor.worker.js', 'json.worker.js', 'graphql.worker.js'];

/** The URLs of the page's <script src> and <link href>, but the empty inline icon (`data:,`). */
function assetUrls(html: string): string[] {
  return [...html.matchAll(/<(?:script|link)\b[^>]*\b(?:src|href)="([^"]+)"/g)]
    .map((m) => m[1])
    .filter((url) => url !== 'data:,');
}

describe('GraphiQL page (development)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('is served as HTML that loads only same-origin assets, under a restrictive CSP', async () => {
    const res = await t.http.get('/graphiql').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    const html = res.text;
    // No absolute URL at all (so none to another host), and every asset a path on this server.
    expect(html).not.toMatch(/https?:\/\//i);
    expect(html).not.toMatch(/(src|href)="\/\//i);
    const urls = assetUrls(html);
    expect(urls.length).toBeGreaterThanOrEqual(2);
    for (const url of urls) expect(url).toMatch(/^\/graphiql\/assets\//);
    expect(html).toMatch(/login/);
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toMatch(/connect-src 'self'/);
  });

  it('serves each referenced asset and the Monaco workers itself, with the right content types', async () => {
    const html = (await t.http.get('/graphiql').expect(200)).text;
    const urls = [...assetUrls(html), ...WORKERS.map((w) => `/graphiql/assets/${w}`)];
    expect(urls.some((u) => u.endsWith('.js'))).toBe(true);
    expect(urls.some((u) => u.endsWith('.css'))).toBe(true);
    for (const url of urls) {
      const res = await t.http
        .get(url)
        .buffer(true)
        .parse((r, cb) => {
          const chunks: Buffer[] = [];
          r.on('data', (c: Buffer) => chunks.push(c));
          r.on('end', () => cb(null, Buffer.concat(chunks)));
        });
      expect({ url, status: res.status }).toEqual({ url, status: 200 });
      expect(res.headers['content-type']).toMatch(url.endsWith('.css') ? /^text\/css/ : /javascript/);
      expect((res.body as Buffer).length).toBeGreaterThan(10_000);
    }
    await t.http.get('/graphiql/assets/nothing-here.js').expect(404);
  });

  it('sends a browser that opens /graphql to the page', async () => {
    const res = await t.http.get('/graphql').set('accept', 'text/html,application/xhtml+xml').expect(302);
    expect(res.headers.location).toBe('/graphiql');
  });

  it("accepts the page's requests with CSRF prevention on: introspection, login, then a Bearer token", async () => {
    const post = (body: object, headers: Record<string, string> = {}) =>
      t.http.post('/graphql').set(PAGE_FETCH_HEADERS).set(headers).send(body);

    const schema = await post({ query: getIntrospectionQuery(), operationName: 'IntrospectionQuery' });
    expect(schema.status).toBe(200);
    expect(schema.body.errors).toBeUndefined();
    expect(schema.body.data.__schema.queryType.name).toBe('Query');

    const login = await post({
      query: `mutation Login { login(input: { email: "admin.portsmouth@demo.hips.test", password: "resolve-demo" }) {
        accessToken userErrors { code } } }`,
      operationName: 'Login',
    });
    expect(login.status).toBe(200);
    const token = login.body.data.login.accessToken as string;
    expect(token).toBeTruthy();

    const viewer = await post({ query: '{ viewer { roles } }' }, { authorization: `Bearer ${token}` });
    expect(viewer.status).toBe(200);
    expect(viewer.body.data.viewer.roles).toEqual(['PARTNERSHIP_ADMIN']);

    // The same request as a "simple" cross-site one (no preflight) is refused: CSRF prevention is on.
    const simple = await t.http
      .post('/graphql')
      .set('content-type', 'text/plain')
      .send(JSON.stringify({ query: '{ __typename }' }));
    expect(simple.status).toBe(400);
    expect(simple.text).toMatch(/CSRF|preflight/i);
  });

  // Optional: a real browser renders the page under its CSP (skipped where Chromium is not installed).
  const chromium = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
  (chromium ? it : it.skip)(
    'renders in headless Chromium',
    async () => {
      const { stdout } = await promisify(execFile)(
        chromium!,
        [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--disable-dev-shm-usage',
          '--virtual-time-budget=10000',
          '--dump-dom',
          `${process.env.API_URL}/graphiql`,
        ],
        { timeout: 60_000, maxBuffer: 64 * 1024 * 1024 },
      );
      expect(stdout).toContain('graphiql-container');
      expect(stdout).toContain('graphiql-execute-button');
    },
    90_000,
  );
});

describe('GraphiQL page (production)', () => {
  let api: RunningProcess | undefined;
  let url = '';

  beforeAll(async () => {
    ({ api, url } = await startProductionApi());
  }, 90_000);
  afterAll(async () => {
    await stopProcess(api);
  });

  it('serves neither the page nor its assets, and keeps introspection off', async () => {
    const http = request(url);
    await http.get('/graphiql').set('accept', 'text/html').expect(404);
    await http.get('/graphiql/assets/graphiql.js').expect(404);
    await http.get('/graphiql/assets/graphiql.css').expect(404);
    for (const worker of WORKERS) await http.get(`/graphiql/assets/${worker}`).expect(404);
    const browser = await http.get('/graphql').set('accept', 'text/html');
    expect(browser.status).not.toBe(302);
    expect(browser.text).not.toMatch(/graphiql/i);

    const introspection = await http
      .post('/graphql')
      .set(PAGE_FETCH_HEADERS)
      .send({ query: '{ __schema { queryType { name } } }' });
    expect(introspection.body.data).toBeUndefined();
    expect(JSON.stringify(introspection.body.errors)).toMatch(/introspection/i);
  });
});
