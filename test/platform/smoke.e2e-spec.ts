import { startTestApp, TestApp } from '../support/app';

describe('platform smoke', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers health checks', async () => {
    await t.http.get('/health/live').expect(200, { status: 'ok' });
    const ready = await t.http.get('/health/ready').expect(200);
    expect(ready.body).toEqual({ status: 'ok', postgres: 'ok', redis: 'ok' });
  });

  it('serves viewer for a demo admin', async () => {
    const token = await t.login('admin.portsmouth@demo.hips.test');
    const res = await t.gql(
      `{ viewer { roles partnership { code name } person { displayName agency { name } } } }`,
      {},
      { token },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data.viewer.roles).toEqual(['PARTNERSHIP_ADMIN']);
    expect(res.data.viewer.partnership.code).toBe('PORTSMOUTH');
  });
});
