import { startTestApp, TestApp } from '../support/app';

describe('HTTP response headers', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('never names the framework (no X-Powered-By), on any route', async () => {
    const responses = await Promise.all([
      t.http.get('/health/live'),
      t.http.post('/graphql').set('content-type', 'application/json').send({ query: '{ __typename }' }),
      t.http.get('/no-such-route'),
      t.http.get('/admin/queues'),
    ]);
    expect(responses.map((r) => r.status)).toEqual([200, 200, 404, 401]);
    for (const res of responses) expect(res.headers['x-powered-by']).toBeUndefined();
  });
});
