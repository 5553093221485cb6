import { randomUUID } from 'node:crypto';
import { AuditLogRepository, AuditService } from '@hips/audit';
import { idOf, toGlobalId } from '@hips/common';
import { AppConfig, loadConfig } from '@hips/config';
import { createAppDataSource, TenantDb } from '@hips/database';
import { deliverDueWebhooks, WebhookEvent, WebhooksService } from '@hips/webhooks';
import { startTestApp } from '../support/app';
import { createOwnAgency } from '../support/fixtures';
import { Receiver } from './receiver';

export const CREATE = `mutation($input: CreateWebhookEndpointInput!) {
  createWebhookEndpoint(input: $input) {
    endpoint { id url events enabled agency { name } } signingSecret userErrors { code field message }
  }
}`;
export const DISABLE = `mutation($id: ID!) {
  disableWebhookEndpoint(input: { endpointId: $id }) { endpoint { id enabled disabledAt } userErrors { code field } }
}`;
export const REPLAY = `mutation($id: ID!) {
  replayWebhookDelivery(input: { deliveryId: $id }) { delivery { id status attempts } userErrors { code field } }
}`;
export const ENDPOINTS = `query($agencyId: ID) { webhookEndpoints(agencyId: $agencyId) { id url events enabled } }`;
export const LOG = `query($id: ID!, $first: Int, $after: String) {
  webhookDeliveries(endpointId: $id, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { id eventId eventKind status attempts nextAttemptAt lastAttemptAt lastStatusCode lastError
      lastDurationMs deliveredAt createdAt payload } }
  }
}`;

/**
 * What the webhook specs share: the app, the webhooks service on the application role, a receiver, and two
 * Portsmouth agencies of the spec's own, so no demo agency keeps an endpoint that other specs' cases would deliver
 * to, and delivery passes deliver only these agencies' events (docs/testing/test-practice.md).
 */
export async function startWebhooksHarness() {
  const t = await startTestApp();
  const config = loadConfig();
  const appDs = await createAppDataSource(config, 'hips-resolve-webhooks-test').initialize();
  const db = new TenantDb(appDs);
  const service = new WebhooksService(db, new AuditService(new AuditLogRepository()), config);
  const receiver = new Receiver();
  await receiver.start();
  const [{ id: portsmouth }]: { id: string }[] = await t.owner.query(
    `select id from partnerships where code = 'PORTSMOUTH'`,
  );
  const [{ id: southampton }]: { id: string }[] = await t.owner.query(
    `select id from partnerships where code = 'SOUTHAMPTON'`,
  );
  const admin = await t.login('admin.portsmouth@demo.hips.test');
  const hospitalAgency = await createOwnAgency(t, {
    adminEmail: 'admin.portsmouth@demo.hips.test',
    partnership: 'PORTSMOUTH',
    label: 'Webhooks hospital',
    type: 'HEALTH_PROVIDER',
    people: [{ key: 'practitioner', roleType: 'PRACTITIONER' }],
  });
  const cscAgency = await createOwnAgency(t, {
    adminEmail: 'admin.portsmouth@demo.hips.test',
    partnership: 'PORTSMOUTH',
    label: 'Webhooks children services',
    type: 'CHILDRENS_SOCIAL_CARE',
    people: [{ key: 'admin', roleType: 'AGENCY_ADMIN' }],
  });
  // uuids of the spec's own hospital trust (with a practitioner) and children's social care (with an agency admin)
  const hospital = idOf(hospitalAgency.agencyId, 'Agency')!;
  const csc = idOf(cscAgency.agencyId, 'Agency')!;

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

  const close = async () => {
    await receiver.stop();
    await appDs.destroy();
    await t.close();
  };
  return {
    t,
    config,
    db,
    receiver,
    southampton,
    hospitalAgency,
    cscAgency,
    hospital,
    csc,
    admin,
    fast,
    deliver,
    event,
    enqueue,
    createEndpoint,
    log,
    row,
    newestDelivery,
    close,
  };
}

export type WebhooksHarness = Awaited<ReturnType<typeof startWebhooksHarness>>;

/** Starts the webhooks harness before the spec's tests and closes it after; its fields are there once they run. */
export function useWebhooksHarness(): WebhooksHarness {
  const h = {} as WebhooksHarness;
  beforeAll(async () => {
    Object.assign(h, await startWebhooksHarness());
  });
  afterAll(() => h.close());
  return h;
}
