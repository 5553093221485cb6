import { DEMO_PASSWORD, startTestApp, TestApp } from '../support/app';

const basic = (email: string, password = DEMO_PASSWORD) =>
  `Basic ${Buffer.from(`${email}:${password}`).toString('base64')}`;

describe('queue dashboard (Bull Board)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('asks for credentials and admits partnership admins only', async () => {
    const anonymous = await t.http.get('/admin/queues');
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers['www-authenticate']).toMatch(/^Basic/);
    const practitioner = await t.http
      .get('/admin/queues')
      .set('authorization', basic('practitioner.csc.hampshire@demo.hips.test'));
    expect(practitioner.status).toBe(401);
    const wrong = await t.http
      .get('/admin/queues')
      .set('authorization', basic('admin.hampshire@demo.hips.test', 'nope-nope'));
    expect(wrong.status).toBe(401);
    const admin = await t.http
      .get('/admin/queues')
      .set('authorization', basic('admin.hampshire@demo.hips.test'));
    expect(admin.status).toBe(200);
    expect(admin.text).toContain('<html');
  });

  it('lists the queues, including the dead-letter view of failed jobs, for a bearer token too', async () => {
    const token = await t.login('admin.hampshire@demo.hips.test');
    const res = await t.http
      .get('/admin/queues/api/queues?activeQueue=deadlines&status=failed')
      .set('authorization', `Bearer ${token}`);
    expect(res.status).toBe(200);
    const names = (res.body.queues as { name: string }[]).map((q) => q.name).sort();
    expect(names).toEqual(['deadlines', 'maintenance', 'webhooks']);
  });
});
