import { randomUUID } from 'node:crypto';
import type { LookupAddress } from 'node:dns';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { toGlobalId } from '@hips/common';
import { AppConfig, loadConfig } from '@hips/config';
import { createAppDataSource, TenantDb } from '@hips/database';
import { deliverDueWebhooks, enqueueWebhookDeliveries, Resolve } from '@hips/webhooks';
import { readTestEnv } from '../support/env';
import { startTestApp, TestApp } from '../support/app';
import { freePort, RunningProcess, startProcess, stopProcess, waitForHttp } from '../support/processes';
import { Receiver } from './receiver';

const CREATE = `mutation($input: CreateWebhookEndpointInput!) {
  createWebhookEndpoint(input: $input) { endpoint { id } signingSecret userErrors { code field message } }
}`;
const LOG = `query($id: ID!) {
  webhookDeliveries(endpointId: $id) { edges { node { id status attempts lastStatusCode lastError } } }
}`;
const REPLAY = `mutation($id: ID!) { replayWebhookDelivery(input: { deliveryId: $id }) { userErrors { code } } }`;

/** Webhooks cannot reach inside the network (docs/security/webhooks-ssrf.md). */
describe('webhook SSRF guard', () => {
  let t: TestApp;
  let appDs: DataSource;
  let config: AppConfig;
  let strictApi: RunningProcess | undefined;
  let strictUrl: string;
  const receiver = new Receiver();
  let portsmouth: string;
  let admin: string;

  /** Delivery as the worker does it, with loopback allowed or not and, where a test says, its own resolver. */
  const deliver = (allowLoopback: boolean, resolve?: Resolve) =>
    deliverDueWebhooks(
      new TenantDb(appDs),
      // One attempt: a failure is DEAD at once, so no retry of one test's delivery turns up in another's pass.
      { ...config, webhooks: { ...config.webhooks, timeoutMs: 2000, maxAttempts: 1, allowLoopback } },
      // Only this spec's endpoints: other specs' Portsmouth deliveries are theirs to deliver (and may fill a batch).
      { partnershipIds: [portsmouth], agencyIds: ownAgencies, resolve },
    );
  /** An agency of its own per test, so each event reaches that test's endpoints only. */
  const ownAgencies: string[] = [];
  const newAgency = async (): Promise<string> => {
    const id = randomUUID();
    ownAgencies.push(id);
    await t.owner.query(
      `insert into agencies (id, name, type, registered_by_partnership_id) values ($1, $2, 'PROBATION', $3)`,
      [id, `SSRF test agency ${id.slice(0, 8)}`, portsmouth],
    );
    await t.owner.query(`insert into agency_memberships (partnership_id, agency_id) values ($1, $2)`, [
      portsmouth,
      id,
    ]);
    return id;
  };
  const enqueue = (agencyId: string) =>
    new TenantDb(appDs).run({ partnershipId: portsmouth }, (em) =>
      enqueueWebhookDeliveries(em, config.publicUrl, portsmouth, {
        id: randomUUID(),
        kind: 'RAISED',
        escalationId: randomUUID(),
        reference: 'PSCP-2026-000321',
        stage: 1,
        at: new Date(),
        agencyIds: [agencyId],
      }),
    );
  const create = async (agencyId: string, url: string, api = t.http) =>
    (
      await api
        .post('/graphql')
        .set('authorization', `Bearer ${admin}`)
        .send({ query: CREATE, variables: { input: { agencyId: toGlobalId('Agency', agencyId), url } } })
    ).body.data.createWebhookEndpoint;
  /** Registered through the test API (loopback allowed there), as an endpoint from before the fix could be. */
  const endpoint = async (agencyId: string, url: string): Promise<string> => {
    const created = await create(agencyId, url);
    expect(created.userErrors).toEqual([]);
    return created.endpoint.id;
  };
  const lastAttempt = async (endpointId: string) => {
    const res = await t.gql(LOG, { id: endpointId }, { token: admin });
    expect(res.errors).toBeUndefined();
    return res.data.webhookDeliveries.edges[0].node as Record<string, unknown>;
  };
  const port = () => new URL(receiver.url).port;
  const v4 = (address: string): LookupAddress => ({ address, family: 4 });

  beforeAll(async () => {
    t = await startTestApp();
    config = loadConfig();
    appDs = await createAppDataSource(config, 'hips-resolve-webhooks-ssrf-test').initialize();
    await receiver.start();
    [{ id: portsmouth }] = await t.owner.query(`select id from partnerships where code = 'PORTSMOUTH'`);
    admin = await t.login('admin.portsmouth@demo.hips.test');
    // A second API process as production would run it: loopback not allowed.
    const apiPort = await freePort();
    strictUrl = `http://127.0.0.1:${apiPort}`;
    strictApi = startProcess('dist/apps/api/src/main.js', {
      ...readTestEnv(),
      PORT: String(apiPort),
      API_URL: strictUrl,
      SCHEMA_FILE: '',
      SQL_LOG_FILE: '',
      WEBHOOK_ALLOW_LOOPBACK: 'false',
    });
    await waitForHttp(`${strictUrl}/health/live`, strictApi);
  }, 60_000);
  afterAll(async () => {
    await stopProcess(strictApi);
    await receiver.stop();
    await appDs.destroy();
    await t.close();
  });

  it('refuses to register an internal address in any notation, loopback included when not allowed', async () => {
    const agency = await newAgency();
    const strict = request(strictUrl);
    const loopback = [
      receiver.on('/never', () => 200),
      'http://2130706433/',
      'http://0x7f.1:8080/',
      'http://0177.0.0.1/',
      'http://127.1/',
      'http://[::1]:5432/',
      'http://[::ffff:127.0.0.1]/',
      'http://localhost./',
      'http://admin.localhost/',
    ];
    const internal = [
      'http://10.0.0.1/',
      'http://172.16.5.4/',
      'http://192.168.0.1/',
      'http://[::ffff:10.0.0.1]/',
      'http://[64:ff9b::10.0.0.1]/',
      'http://100.64.0.1/',
      'http://169.254.169.254/latest/meta-data/',
      'http://2852039166/',
      'http://[fd00:ec2::254]/',
      'http://metadata.google.internal./computeMetadata/v1/',
      'http://[fe80::1]/',
      'http://0.0.0.0/',
      'http://[::]/',
      'http://224.0.0.1/',
      'http://255.255.255.255/',
      'http://240.0.0.1/',
    ];
    const refused = {
      endpoint: null,
      signingSecret: null,
      userErrors: [{ code: 'WEBHOOK_URL_FORBIDDEN', field: ['input', 'url'], message: expect.any(String) }],
    };
    for (const url of [...loopback, ...internal]) {
      const payload = await create(agency, url, strict);
      expect({ url, payload }).toEqual({ url, payload: refused });
    }
    // Where loopback is allowed (local testing), it alone is: the rest stays refused.
    for (const url of internal) {
      const payload = await create(agency, url);
      expect({ url, payload }).toEqual({ url, payload: refused });
    }
    expect(await t.owner.query('select 1 from webhook_endpoints where agency_id = $1', [agency])).toEqual([]);
    // The trigger works: a public address is accepted by the same process.
    const ok = await create(agency, 'https://hooks.agency.example/ssrf', strict);
    expect(ok.userErrors).toEqual([]);
  });

  it('refuses at delivery a name that resolves to an internal address, and an internal literal, sending nothing', async () => {
    const agency = await newAgency();
    const named = await endpoint(agency, `http://hooks-private.test:${port()}/private-name`);
    const literal = await endpoint(
      agency,
      receiver.on('/private-literal', () => 200),
    );
    receiver.on('/private-name', () => 200);
    const asked: string[] = [];
    await enqueue(agency);
    await deliver(false, (name) => {
      asked.push(name);
      return Promise.resolve([v4('127.0.0.1')]);
    });
    expect(asked).toContain('hooks-private.test');
    for (const id of [named, literal]) {
      expect(await lastAttempt(id)).toMatchObject({
        status: 'DEAD',
        attempts: 1,
        lastStatusCode: null,
        lastError: 'address not allowed',
      });
    }
    expect(receiver.count('/private-name')).toBe(0);
    expect(receiver.count('/private-literal')).toBe(0);
  });

  it('connects to the address it checked: a DNS answer that changes afterwards cannot redirect the socket', async () => {
    const agency = await newAgency();
    /** Answers for `name` in turn (the last one from then on); counts the resolutions of that name. */
    const rebinding = (name: string, answers: string[]) => {
      const resolver = (asked: string) => {
        if (asked !== name) return Promise.resolve([v4('10.0.0.1')]);
        resolver.count += 1;
        return Promise.resolve([v4(answers[Math.min(resolver.count, answers.length) - 1])]);
      };
      resolver.count = 0;
      return resolver;
    };
    // Loopback stands in for the public address here (allowed in these passes); 10.0.0.1 is the internal one.
    const pinned = await endpoint(agency, `http://rebind.test:${port()}/rebind`);
    receiver.on('/rebind', () => 200);
    const publicFirst = rebinding('rebind.test', ['127.0.0.1', '10.0.0.1']);
    await enqueue(agency);
    await deliver(true, publicFirst);
    // Checked and connected on one resolution: a second one (the rebinding answer) was never made.
    expect(publicFirst.count).toBe(1);
    expect(receiver.count('/rebind')).toBe(1);
    const first = await lastAttempt(pinned);
    expect(first).toMatchObject({ status: 'DELIVERED', lastStatusCode: 200 });
    // The next connection resolves afresh, sees the internal answer, and is refused.
    await t.gql(REPLAY, { id: first.id }, { token: admin });
    await deliver(true, publicFirst);
    expect(publicFirst.count).toBe(2);
    expect(await lastAttempt(pinned)).toMatchObject({ attempts: 2, lastError: 'address not allowed' });
    expect(receiver.count('/rebind')).toBe(1);

    // The other way round: refused on the first answer, with no second resolution that could let it through.
    const other = await newAgency();
    const flipped = await endpoint(other, `http://rebind2.test:${port()}/rebind2`);
    receiver.on('/rebind2', () => 200);
    const internalFirst = rebinding('rebind2.test', ['10.0.0.1', '127.0.0.1']);
    await enqueue(other);
    await deliver(true, internalFirst);
    expect(internalFirst.count).toBe(1);
    expect(await lastAttempt(flipped)).toMatchObject({ attempts: 1, lastError: 'address not allowed' });
    expect(receiver.count('/rebind2')).toBe(0);
  });

  it('follows no redirect: a 302 to an internal address is a failed delivery and the target gets nothing', async () => {
    const agency = await newAgency();
    const target = receiver.on('/redirect-target', () => 200);
    const id = await endpoint(
      agency,
      receiver.on('/redirect', () => ({ status: 302, location: target })),
    );
    await enqueue(agency);
    await deliver(true);
    expect(receiver.count('/redirect')).toBe(1);
    expect(receiver.count('/redirect-target')).toBe(0);
    expect(await lastAttempt(id)).toMatchObject({
      status: 'DEAD',
      lastStatusCode: 302,
      lastError: 'HTTP 302',
    });
  });

  it('keeps delivery log errors generic: no errno, host or port to scan with', async () => {
    const agency = await newAgency();
    const closedPort = await freePort();
    const closed = await endpoint(agency, `http://127.0.0.1:${closedPort}/closed`);
    const forbidden = await endpoint(agency, `http://hooks-inside.test:${closedPort}/inside`);
    await enqueue(agency);
    await deliver(true, () => Promise.resolve([v4('192.168.1.20')]));
    expect(await lastAttempt(closed)).toMatchObject({
      status: 'DEAD',
      lastStatusCode: null,
      lastError: 'connection failed',
    });
    expect(await lastAttempt(forbidden)).toMatchObject({ lastError: 'address not allowed' });
  });
});
