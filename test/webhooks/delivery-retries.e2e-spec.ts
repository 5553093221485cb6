import type { TestApp } from '../support/app';
import { DISABLE, REPLAY, startWebhooksHarness, type WebhooksHarness } from './harness';
import { retryDue } from './retry-due';

/** A failing, dead or hanging receiver: backoff, giving up, replay and timeouts. */
describe('webhook delivery retries', () => {
  let t: TestApp;
  let close: WebhooksHarness['close'];
  let receiver: WebhooksHarness['receiver'];
  let hospital: WebhooksHarness['hospital'];
  let csc: WebhooksHarness['csc'];
  let admin: WebhooksHarness['admin'];
  let fast: WebhooksHarness['fast'];
  let deliver: WebhooksHarness['deliver'];
  let event: WebhooksHarness['event'];
  let enqueue: WebhooksHarness['enqueue'];
  let createEndpoint: WebhooksHarness['createEndpoint'];
  let log: WebhooksHarness['log'];
  let row: WebhooksHarness['row'];
  let newestDelivery: WebhooksHarness['newestDelivery'];

  beforeAll(async () => {
    ({
      t,
      close,
      receiver,
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
    } = await startWebhooksHarness());
  });
  afterAll(() => close());

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
});
