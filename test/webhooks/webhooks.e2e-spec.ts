import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { AuditService } from '@hips/audit';
import { idOf, toGlobalId } from '@hips/common';
import { AppConfig, loadConfig } from '@hips/config';
import { createAppDataSource, TenantDb } from '@hips/database';
import { deliverDueWebhooks, verifyWebhookSignature, WebhookEvent, WebhooksService } from '@hips/webhooks';
import { startTestApp, TestApp } from '../support/app';
import { createOwnAgency, OwnAgency } from '../support/fixtures';
import { Receiver } from './receiver';
import { retryDue } from './retry-due';

const CREATE = `mutation($input: CreateWebhookEndpointInput!) {
  createWebhookEndpoint(input: $input) {
    endpoint { id url events enabled agency { name } } signingSecret userErrors { code field message }
  }
}`;
const DISABLE = `mutation($id: ID!) {
  disableWebhookEndpoint(input: { endpointId: $id }) { endpoint { id enabled disabledAt } userErrors { code field } }
}`;
const REPLAY = `mutation($id: ID!) {
  replayWebhookDelivery(input: { deliveryId: $id }) { delivery { id status attempts } userErrors { code field } }
}`;
const ENDPOINTS = `query($agencyId: ID) { webhookEndpoints(agencyId: $agencyId) { id url events enabled } }`;
const LOG = `query($id: ID!, $first: Int, $after: String) {
  webhookDeliveries(endpointId: $id, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { id eventId eventKind status attempts nextAttemptAt lastAttemptAt lastStatusCode lastError
      lastDurationMs deliveredAt createdAt payload } }
  }
}`;

/**
 * Endpoints are registered on two Portsmouth agencies of this spec's own, so no demo agency keeps an endpoint that
 * other specs' cases would deliver to, and delivery passes here deliver only these agencies' events
 * (docs/testing/test-practice.md).
 */
describe('webhooks', () => {
  let t: TestApp;
  let appDs: DataSource;
  let db: TenantDb;
  let config: AppConfig;
  let service: WebhooksService;
  const receiver = new Receiver();
  let portsmouth: string;
  let southampton: string;
  let hospitalAgency: OwnAgency;
  let cscAgency: OwnAgency;
  let hospital: string; // uuid of this spec's own hospital trust (Portsmouth only), with a practitioner
  let csc: string; // uuid of this spec's own children's social care (Portsmouth only), with an agency admin
  let admin: string;

  /** Short backoff and timeout, so that every test is bounded in time. */
  const fast = (overrides: Partial<AppConfig['webhooks']> = {}): AppConfig => ({
    ...config,
    webhooks: {
      ...config.webhooks,
      backoffBaseMs: 200,
      backoffMaxMs: 2000,
      timeoutMs: 1000,
      maxAttempts: 8,
      ...overrides,
    },
  });
  const deliver = (cfg = fast()) =>
    deliverDueWebhooks(new TenantDb(appDs), cfg, {
      partnershipIds: [portsmouth],
      agencyIds: [hospital, csc],
    });

  const event = (agencyIds: string[], kind = 'RAISED'): WebhookEvent => ({
    id: randomUUID(),
    kind,
    escalationId: randomUUID(),
    reference: 'PSCP-2026-000123',
    stage: 1,
    at: new Date('2026-11-24T10:00:00Z'),
    agencyIds,
  });
  const enqueue = (e: WebhookEvent) =>
    db.run({ partnershipId: portsmouth }, (em) => service.enqueue(em, portsmouth, e));

  async function createEndpoint(agencyUuid: string, url: string, events: string[] = [], token = admin) {
    const res = await t.gql(
      CREATE,
      { input: { agencyId: toGlobalId('Agency', agencyUuid), url, events } },
      { token },
    );
    const payload = res.data.createWebhookEndpoint;
    expect(payload.userErrors).toEqual([]);
    return { id: payload.endpoint.id as string, secret: payload.signingSecret as string };
  }
  const log = async (endpointId: string) => {
    const res = await t.gql(LOG, { id: endpointId }, { token: admin });
    expect(res.errors).toBeUndefined();
    return res.data.webhookDeliveries.edges.map((e: { node: Record<string, any> }) => e.node);
  };
  const row = async (deliveryId: string) =>
    (
      await t.owner.query(
        `select status, attempts, (extract(epoch from next_attempt_at - last_attempt_at) * 1000)::float8 as wait_ms
         from webhook_deliveries where id = $1`,
        [deliveryId],
      )
    )[0] as { status: string; attempts: number; wait_ms: number };

  const newestDelivery = async (endpointGlobalId: string): Promise<string> =>
    (
      await t.owner.query(
        'select id from webhook_deliveries where endpoint_id = $1 order by created_at desc limit 1',
        [Buffer.from(endpointGlobalId, 'base64url').toString('utf8').split(':')[1]],
      )
    )[0].id;

  beforeAll(async () => {
    t = await startTestApp();
    config = loadConfig();
    appDs = await createAppDataSource(config, 'hips-resolve-webhooks-test').initialize();
    db = new TenantDb(appDs);
    service = new WebhooksService(db, new AuditService(), config);
    await receiver.start();
    [{ id: portsmouth }] = await t.owner.query(`select id from partnerships where code = 'PORTSMOUTH'`);
    [{ id: southampton }] = await t.owner.query(`select id from partnerships where code = 'SOUTHAMPTON'`);
    admin = await t.login('admin.portsmouth@demo.hips.test');
    hospitalAgency = await createOwnAgency(t, {
      adminEmail: 'admin.portsmouth@demo.hips.test',
      partnership: 'PORTSMOUTH',
      label: 'Webhooks hospital',
      type: 'HEALTH_PROVIDER',
      people: [{ key: 'practitioner', roleType: 'PRACTITIONER' }],
    });
    cscAgency = await createOwnAgency(t, {
      adminEmail: 'admin.portsmouth@demo.hips.test',
      partnership: 'PORTSMOUTH',
      label: 'Webhooks children services',
      type: 'CHILDRENS_SOCIAL_CARE',
      people: [{ key: 'admin', roleType: 'AGENCY_ADMIN' }],
    });
    hospital = idOf(hospitalAgency.agencyId, 'Agency')!;
    csc = idOf(cscAgency.agencyId, 'Agency')!;
  });
  afterAll(async () => {
    await receiver.stop();
    await appDs.destroy();
    await t.close();
  });

  it('registers an endpoint: the secret is shown once and kept only encrypted', async () => {
    const url = receiver.on('/registered', () => 200);
    const { id, secret } = await createEndpoint(hospital, url, ['RAISED', 'RESOLVED']);
    expect(secret).toMatch(/^whsec_/);
    const [stored]: { secret_encrypted: string; event_kinds: string[] }[] = await t.owner.query(
      'select secret_encrypted, event_kinds from webhook_endpoints where url = $1',
      [url],
    );
    expect(stored.secret_encrypted).not.toContain(secret);
    expect(stored.secret_encrypted).toMatch(/^v1\./);
    expect(stored.event_kinds).toEqual(['RAISED', 'RESOLVED']);
    const listed = await t.gql(ENDPOINTS, { agencyId: toGlobalId('Agency', hospital) }, { token: admin });
    expect(listed.data.webhookEndpoints).toContainEqual({
      id,
      url,
      events: ['RAISED', 'RESOLVED'],
      enabled: true,
    });
    expect(JSON.stringify(listed.data)).not.toContain(secret);
    const audit: unknown[] = await t.owner.query(
      `select 1 from audit_log where action = 'WEBHOOK_ENDPOINT_CREATED' and entity_id = $1`,
      [Buffer.from(id, 'base64url').toString('utf8').split(':')[1]],
    );
    expect(audit).toHaveLength(1);
  });

  it('delivers a signed event with no child identifier and no free text; enqueueing twice is harmless', async () => {
    const url = receiver.on('/ok', () => 200);
    const { id, secret } = await createEndpoint(csc, url);
    const e = event([csc, hospital]);
    const created = await enqueue(e);
    expect(created.length).toBeGreaterThanOrEqual(1);
    expect(await enqueue(e)).toEqual([]);

    const summary = await deliver();
    expect(summary.delivered).toBeGreaterThanOrEqual(1);
    const [got] = receiver.received.filter((r) => r.path === '/ok');
    expect(receiver.count('/ok')).toBe(1);
    expect(got.headers['content-type']).toBe('application/json');
    expect(got.headers['x-hips-event']).toBe('RAISED');
    expect(created).toContain(got.headers['x-hips-delivery']);
    const timestamp = got.headers['x-hips-timestamp'] as string;
    expect(Math.abs(Number(timestamp) - Date.now() / 1000)).toBeLessThan(60);
    expect(
      verifyWebhookSignature(
        secret,
        { timestamp, signature: got.headers['x-hips-signature'] as string },
        got.body,
      ),
    ).toBe(true);
    expect(
      verifyWebhookSignature(
        'whsec_wrong',
        { timestamp, signature: got.headers['x-hips-signature'] as string },
        got.body,
      ),
    ).toBe(false);

    const body = JSON.parse(got.body);
    const escalationId = toGlobalId('Escalation', e.escalationId);
    expect(body).toEqual({
      id: toGlobalId('EscalationEvent', e.id),
      kind: 'RAISED',
      at: '2026-11-24T10:00:00.000Z',
      partnership: 'PORTSMOUTH',
      escalationId,
      reference: 'PSCP-2026-000123',
      stage: 1,
      link: `${config.publicUrl}/escalations/${escalationId}`,
    });

    const [entry] = await log(id);
    expect(entry).toMatchObject({
      eventId: toGlobalId('EscalationEvent', e.id),
      eventKind: 'RAISED',
      status: 'DELIVERED',
      attempts: 1,
      lastStatusCode: 200,
      lastError: null,
      nextAttemptAt: null,
    });
    expect(entry.lastDurationMs).toEqual(expect.any(Number));
    expect(entry.deliveredAt).toEqual(expect.any(String));
    expect(JSON.parse(entry.payload)).toEqual(body);
  });

  it('no payload in the database holds anything but ids, kind, time, reference, stage and link', async () => {
    const payloads: { payload: Record<string, unknown> }[] = await t.owner.query(
      'select payload from webhook_deliveries',
    );
    expect(payloads.length).toBeGreaterThan(0);
    for (const { payload } of payloads) {
      expect(Object.keys(payload).sort()).toEqual(
        ['at', 'escalationId', 'id', 'kind', 'link', 'partnership', 'reference', 'stage'].sort(),
      );
    }
  });

  it('honours the event filter and disabled endpoints', async () => {
    const filtered = receiver.on('/only-resolved', () => 200);
    const off = receiver.on('/off', () => 200);
    const f = await createEndpoint(hospital, filtered, ['RESOLVED']);
    const d = await createEndpoint(hospital, off);
    const disabled = await t.gql(DISABLE, { id: d.id }, { token: admin });
    expect(disabled.data.disableWebhookEndpoint.endpoint.enabled).toBe(false);
    const again = await t.gql(DISABLE, { id: d.id }, { token: admin });
    expect(again.data.disableWebhookEndpoint.userErrors).toEqual([
      { code: 'INVALID_STATE', field: ['input', 'endpointId'] },
    ]);

    await enqueue(event([hospital], 'RAISED'));
    await enqueue(event([hospital], 'RESOLVED'));
    await deliver();
    expect(receiver.count('/only-resolved')).toBe(1);
    expect(receiver.count('/off')).toBe(0);
    expect((await log(f.id)).map((x: { eventKind: string }) => x.eventKind)).toEqual(['RESOLVED']);
    expect(await log(d.id)).toEqual([]);
  });

  it('retries a failing receiver with exponential backoff, and the log tells the truth', async () => {
    const url = receiver.on('/flaky', (n) => (n <= 2 ? 500 : 204));
    const { id } = await createEndpoint(csc, url);
    await enqueue(event([csc]));
    const deliveryId = await newestDelivery(id);

    await deliver();
    let state = await row(deliveryId);
    expect(state).toMatchObject({ status: 'FAILED', attempts: 1 });
    // First retry after half to all of 200 ms, the second after half to all of 400 ms.
    expect(state.wait_ms).toBeGreaterThanOrEqual(99);
    expect(state.wait_ms).toBeLessThanOrEqual(201);
    const [first] = await log(id);
    expect(first).toMatchObject({
      status: 'FAILED',
      attempts: 1,
      lastStatusCode: 500,
      lastError: 'HTTP 500',
    });
    expect(new Date(first.nextAttemptAt).getTime()).toBeGreaterThan(new Date(first.lastAttemptAt).getTime());

    await retryDue(t.owner, deliveryId);
    await deliver();
    state = await row(deliveryId);
    expect(state).toMatchObject({ status: 'FAILED', attempts: 2 });
    expect(state.wait_ms).toBeGreaterThanOrEqual(199);
    expect(state.wait_ms).toBeLessThanOrEqual(401);

    await retryDue(t.owner, deliveryId);
    await deliver();
    const [done] = await log(id);
    expect(done).toMatchObject({ status: 'DELIVERED', attempts: 3, lastStatusCode: 204, lastError: null });
    expect(receiver.count('/flaky')).toBe(3);
  });

  it('gives up after the configured attempts (DEAD); replay sends it again as a new attempt', async () => {
    let up = false;
    const url = receiver.on('/down', () => (up ? 200 : 503));
    const { id } = await createEndpoint(csc, url);
    await enqueue(event([csc]));
    const deliveryId = await newestDelivery(id);
    const cfg = fast({ maxAttempts: 2, backoffBaseMs: 50, backoffMaxMs: 50 });
    for (let i = 0; i < 20 && (await row(deliveryId)).status !== 'DEAD'; i += 1) {
      await deliver(cfg);
      await retryDue(t.owner, deliveryId);
    }
    let [entry] = await log(id);
    expect(entry).toMatchObject({ status: 'DEAD', attempts: 2, lastStatusCode: 503, nextAttemptAt: null });

    up = true;
    const replayed = await t.gql(REPLAY, { id: entry.id }, { token: admin });
    expect(replayed.data.replayWebhookDelivery).toEqual({
      delivery: { id: entry.id, status: 'PENDING', attempts: 2 },
      userErrors: [],
    });
    await deliver(cfg);
    [entry] = await log(id);
    expect(entry).toMatchObject({ status: 'DELIVERED', attempts: 3, lastStatusCode: 200 });
    expect(receiver.count('/down')).toBe(3);
    // Replaying a delivered one sends it once more.
    await t.gql(REPLAY, { id: entry.id }, { token: admin });
    await deliver(cfg);
    [entry] = await log(id);
    expect(entry).toMatchObject({ status: 'DELIVERED', attempts: 4 });
    expect(receiver.count('/down')).toBe(4);
  });

  it('times out a hanging receiver without holding up the others', async () => {
    const hang = await createEndpoint(
      hospital,
      receiver.on('/hang', () => null),
    );
    const quick = await createEndpoint(
      csc,
      receiver.on('/quick', () => 200),
    );
    await enqueue(event([hospital, csc]));
    const started = Date.now();
    await deliver(fast({ timeoutMs: 1500 }));
    const took = Date.now() - started;
    const quickAt = receiver.received.find((r) => r.path === '/quick')!.at - started;
    expect(quickAt).toBeLessThan(1000);
    expect(took).toBeGreaterThanOrEqual(1400);
    expect(took).toBeLessThan(5000);
    const [hung] = await log(hang.id);
    expect(hung).toMatchObject({
      status: 'FAILED',
      attempts: 1,
      lastStatusCode: null,
      lastError: 'timed out after 1500 ms',
    });
    expect(hung.lastDurationMs).toBeGreaterThanOrEqual(1400);
    expect((await log(quick.id))[0]).toMatchObject({ status: 'DELIVERED', lastStatusCode: 200 });
    // A disabled endpoint's waiting deliveries are given up, and say why.
    await t.gql(DISABLE, { id: hang.id }, { token: admin });
    expect((await log(hang.id))[0]).toMatchObject({ status: 'DEAD', lastError: 'endpoint disabled' });
  });

  it('pages the delivery log, newest first', async () => {
    const { id } = await createEndpoint(
      hospital,
      receiver.on('/paged', () => 200),
    );
    for (let i = 0; i < 3; i += 1) await enqueue(event([hospital]));
    const page1 = await t.gql(LOG, { id, first: 2 }, { token: admin });
    expect(page1.data.webhookDeliveries.totalCount).toBe(3);
    expect(page1.data.webhookDeliveries.edges).toHaveLength(2);
    expect(page1.data.webhookDeliveries.pageInfo.hasNextPage).toBe(true);
    const page2 = await t.gql(
      LOG,
      { id, first: 2, after: page1.data.webhookDeliveries.pageInfo.endCursor },
      { token: admin },
    );
    expect(page2.data.webhookDeliveries.edges).toHaveLength(1);
    const ids = [...page1.data.webhookDeliveries.edges, ...page2.data.webhookDeliveries.edges].map(
      (e: { node: { id: string } }) => e.node.id,
    );
    expect(new Set(ids).size).toBe(3);
    await deliver();
  });

  describe('permissions', () => {
    let endpointId: string;
    let deliveryId: string;

    beforeAll(async () => {
      ({ id: endpointId } = await createEndpoint(
        hospital,
        receiver.on('/perm', () => 200),
      ));
      await enqueue(event([hospital]));
      await deliver();
      [{ id: deliveryId }] = await log(endpointId);
    });

    it('answers ids of another partnership exactly like missing ones', async () => {
      const token = await t.login('admin.southampton@demo.hips.test');
      const disable = await t.gql(DISABLE, { id: endpointId }, { token });
      expect(disable.data.disableWebhookEndpoint.userErrors).toEqual([
        { code: 'NOT_FOUND', field: ['input', 'endpointId'] },
      ]);
      const missing = await t.gql(DISABLE, { id: toGlobalId('WebhookEndpoint', randomUUID()) }, { token });
      expect(missing.data.disableWebhookEndpoint.userErrors).toEqual(
        disable.data.disableWebhookEndpoint.userErrors,
      );
      const replay = await t.gql(REPLAY, { id: deliveryId }, { token });
      expect(replay.data.replayWebhookDelivery.userErrors).toEqual([
        { code: 'NOT_FOUND', field: ['input', 'deliveryId'] },
      ]);
      const logged = await t.gql(LOG, { id: endpointId }, { token });
      expect(logged.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      const listed = await t.gql(ENDPOINTS, {}, { token });
      expect(listed.data.webhookEndpoints.map((e: { id: string }) => e.id)).not.toContain(endpointId);
      const foreignAgency = await t.gql(
        CREATE,
        { input: { agencyId: toGlobalId('Agency', hospital), url: 'https://x.example/' } },
        { token },
      );
      // The hospital serves Portsmouth only: for Southampton it is not one of its agencies.
      expect(foreignAgency.data.createWebhookEndpoint.userErrors[0].code).toBe('NOT_FOUND');
      expect(
        (await t.owner.query(`select 1 from webhook_endpoints where partnership_id = $1`, [southampton]))
          .length,
      ).toBe(0);
    });

    it('refuses practitioners, and agency admins outside their agency', async () => {
      const token = await t.login(hospitalAgency.emails.practitioner);
      const created = await t.gql(
        CREATE,
        { input: { agencyId: toGlobalId('Agency', hospital), url: 'https://x.example/' } },
        { token },
      );
      expect(created.data.createWebhookEndpoint.userErrors).toEqual([
        expect.objectContaining({ code: 'FORBIDDEN', field: ['input', 'agencyId'] }),
      ]);
      expect(
        (await t.gql(DISABLE, { id: endpointId }, { token })).data.disableWebhookEndpoint.userErrors[0].code,
      ).toBe('FORBIDDEN');
      expect(
        (await t.gql(REPLAY, { id: deliveryId }, { token })).data.replayWebhookDelivery.userErrors[0].code,
      ).toBe('FORBIDDEN');
      expect((await t.gql(ENDPOINTS, {}, { token })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect((await t.gql(LOG, { id: endpointId }, { token })).errors?.[0]?.extensions?.code).toBe(
        'FORBIDDEN',
      );

      // An agency admin of the children's social care manages its own endpoints only.
      const agencyAdmin = await t.login(cscAgency.emails.admin);
      expect(
        (await t.gql(DISABLE, { id: endpointId }, { token: agencyAdmin })).data.disableWebhookEndpoint
          .userErrors[0].code,
      ).toBe('FORBIDDEN');
      const own = await createEndpoint(
        csc,
        receiver.on('/own', () => 200),
        [],
        agencyAdmin,
      );
      const mine = await t.gql(ENDPOINTS, {}, { token: agencyAdmin });
      expect(mine.errors).toBeUndefined();
      const ids = mine.data.webhookEndpoints.map((e: { id: string }) => e.id);
      expect(ids).toContain(own.id);
      expect(ids).not.toContain(endpointId);
    });

    it('keeps the tables behind row-level security for the application role', async () => {
      const none = await db.runWithoutTenant((em) =>
        em.query('select count(*)::int as n from webhook_deliveries'),
      );
      expect(none[0].n).toBe(0);
      const other = await db.run({ partnershipId: southampton }, (em) =>
        em.query(
          'select (select count(*)::int from webhook_endpoints) as e, (select count(*)::int from webhook_deliveries) as d',
        ),
      );
      expect(other[0]).toEqual({ e: 0, d: 0 });
    });
  });

  it('refuses bad input and writes nothing', async () => {
    const [{ n: before }] = await t.owner.query('select count(*)::int as n from webhook_endpoints');
    const agencyId = toGlobalId('Agency', hospital);
    const cases: [Record<string, unknown>, string[]][] = [
      [{ agencyId, url: 'ftp://agency.example/hooks' }, ['input', 'url']],
      [{ agencyId, url: 'not a url' }, ['input', 'url']],
      [{ agencyId, url: '' }, ['input', 'url']],
      [{ agencyId, url: `https://agency.example/${'a'.repeat(2000)}` }, ['input', 'url']],
      [{ agencyId, url: 'https://user:pw@agency.example/' }, ['input', 'url']],
      [{ agencyId, url: 'https://agency.example/', events: ['raised'] }, ['input', 'events']],
      [
        { agencyId, url: 'https://agency.example/', events: Array.from({ length: 31 }, (_, i) => `K${i}`) },
        ['input', 'events'],
      ],
    ];
    for (const [input, field] of cases) {
      const res = await t.gql(CREATE, { input }, { token: admin });
      expect({
        input,
        errors: res.data.createWebhookEndpoint.userErrors.map((e: { code: string; field: string[] }) => [
          e.code,
          e.field,
        ]),
      }).toEqual({
        input,
        errors: [['VALIDATION', field]],
      });
      expect(res.data.createWebhookEndpoint.endpoint).toBeNull();
      expect(res.data.createWebhookEndpoint.signingSecret).toBeNull();
    }
    const unknown = await t.gql(
      CREATE,
      { input: { agencyId: toGlobalId('Agency', randomUUID()), url: 'https://a.example/' } },
      { token: admin },
    );
    expect(unknown.data.createWebhookEndpoint.userErrors[0].code).toBe('NOT_FOUND');
    const [{ n: after }] = await t.owner.query('select count(*)::int as n from webhook_endpoints');
    expect(after).toBe(before);
  });
});
