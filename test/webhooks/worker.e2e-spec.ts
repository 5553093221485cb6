import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { idOf } from '@hips/common';
import { loadConfig } from '@hips/config';
import { createAppDataSource, TenantDb } from '@hips/database';
import { enqueueWebhookDeliveries, verifyWebhookSignature } from '@hips/webhooks';
import { startTestApp, TestApp } from '../support/app';
import { createOwnAgency } from '../support/fixtures';
import { RunningProcess, startProcess, stopProcess } from '../support/processes';
import { Receiver, sleep } from './receiver';

/**
 * The built worker process delivers from the outbox on its own (BullMQ job scheduler on the webhooks queue). The
 * endpoint belongs to an agency of this spec's own, so no demo agency keeps it (docs/testing/test-practice.md).
 */
describe('webhook delivery by the worker process', () => {
  let t: TestApp;
  let appDs: DataSource;
  let worker: RunningProcess | undefined;
  const receiver = new Receiver();

  beforeAll(async () => {
    t = await startTestApp();
    appDs = await createAppDataSource(loadConfig(), 'hips-resolve-webhooks-worker-test').initialize();
    await receiver.start();
    worker = startProcess('dist/apps/worker/src/main.js', {
      ...(process.env as Record<string, string>),
      WEBHOOK_POLL_MS: '300',
      WEBHOOK_BACKOFF_BASE_MS: '200',
      WEBHOOK_TIMEOUT_MS: '2000',
      LOG_LEVEL: 'info',
    });
    // Running before the test's 15 s clock starts: a slow start-up is not a failed delivery.
    const started = Date.now() + 60_000;
    while (!worker.output().includes('HIPS Resolve worker running') && Date.now() < started) await sleep(100);
    if (!worker.output().includes('HIPS Resolve worker running'))
      throw new Error(`worker did not start:\n${worker.output()}`);
  }, 90_000);
  afterAll(async () => {
    await stopProcess(worker);
    await receiver.stop();
    await appDs.destroy();
    await t.close();
  });

  it('delivers a signed event enqueued in a case transaction, and retries a failure', async () => {
    const [{ id: partnershipId }] = await t.owner.query(
      `select id from partnerships where code = 'ISLE_OF_WIGHT'`,
    );
    const own = await createOwnAgency(t, {
      adminEmail: 'admin.isle-of-wight@demo.hips.test',
      partnership: 'ISLE_OF_WIGHT',
      label: 'Webhook worker agency',
      people: [],
    });
    const agencyId = idOf(own.agencyId, 'Agency')!;
    const token = await t.login('admin.isle-of-wight@demo.hips.test');
    const url = receiver.on('/worker', (n) => (n === 1 ? 500 : 200));
    const created = await t.gql(
      `mutation($input: CreateWebhookEndpointInput!) {
        createWebhookEndpoint(input: $input) { endpoint { id } signingSecret userErrors { code } }
      }`,
      { input: { agencyId: own.agencyId, url } },
      { token },
    );
    expect(created.data.createWebhookEndpoint.userErrors).toEqual([]);
    const { endpoint, signingSecret } = created.data.createWebhookEndpoint;

    await new TenantDb(appDs).run({ partnershipId }, (em) =>
      enqueueWebhookDeliveries(em, 'https://resolve.example', partnershipId, {
        id: randomUUID(),
        kind: 'ESCALATED',
        escalationId: randomUUID(),
        reference: 'IOW-2026-000007',
        stage: 2,
        at: new Date(),
        agencyIds: [agencyId],
      }),
    );

    const deadline = Date.now() + 15_000;
    while (receiver.count('/worker') < 2 && Date.now() < deadline) await sleep(100);
    if (receiver.count('/worker') < 2) throw new Error(`worker did not deliver:\n${worker?.output()}`);
    const last = receiver.received.filter((r) => r.path === '/worker')[1];
    expect(
      verifyWebhookSignature(
        signingSecret,
        {
          timestamp: last.headers['x-hips-timestamp'] as string,
          signature: last.headers['x-hips-signature'] as string,
        },
        last.body,
      ),
    ).toBe(true);
    expect(JSON.parse(last.body)).toMatchObject({
      kind: 'ESCALATED',
      reference: 'IOW-2026-000007',
      stage: 2,
    });

    let node: Record<string, unknown> = {};
    while (node.status !== 'DELIVERED' && Date.now() < deadline) {
      const log = await t.gql(
        `query($id: ID!) { webhookDeliveries(endpointId: $id) { edges { node { status attempts lastStatusCode } } } }`,
        { id: endpoint.id },
        { token },
      );
      node = log.data.webhookDeliveries.edges[0].node;
      if (node.status !== 'DELIVERED') await sleep(100);
    }
    expect(node).toEqual({ status: 'DELIVERED', attempts: 2, lastStatusCode: 200 });
  }, 30_000);
});
