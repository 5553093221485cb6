import { DISABLE, REPLAY, useWebhooksHarness } from './harness';
import { retryDue } from './retry-due';

/** A failing, dead or hanging receiver: backoff, giving up, replay and timeouts. */
describe('webhook delivery retries', () => {
  const h = useWebhooksHarness();

  it('retries a failing receiver with exponential backoff, and the log tells the truth', async () => {
    const url = h.receiver.on('/flaky', (n) => (n <= 2 ? 500 : 204));
    const { id } = await h.createEndpoint(h.csc, url);
    await h.enqueue(h.event([h.csc]));
    const deliveryId = await h.newestDelivery(id);

    await h.deliver();
    let state = await h.row(deliveryId);
    expect(state).toMatchObject({ status: 'FAILED', attempts: 1 });
    // First retry after half to all of 200 ms, the second after half to all of 400 ms.
    expect(state.wait_ms).toBeGreaterThanOrEqual(99);
    expect(state.wait_ms).toBeLessThanOrEqual(201);
    const [first] = await h.log(id);
    expect(first).toMatchObject({
      status: 'FAILED',
      attempts: 1,
      lastStatusCode: 500,
      lastError: 'HTTP 500',
    });
    expect(new Date(first.nextAttemptAt).getTime()).toBeGreaterThan(new Date(first.lastAttemptAt).getTime());

    await retryDue(h.t.owner, deliveryId);
    await h.deliver();
    state = await h.row(deliveryId);
    expect(state).toMatchObject({ status: 'FAILED', attempts: 2 });
    expect(state.wait_ms).toBeGreaterThanOrEqual(199);
    expect(state.wait_ms).toBeLessThanOrEqual(401);

    await retryDue(h.t.owner, deliveryId);
    await h.deliver();
    const [done] = await h.log(id);
    expect(done).toMatchObject({ status: 'DELIVERED', attempts: 3, lastStatusCode: 204, lastError: null });
    expect(h.receiver.count('/flaky')).toBe(3);
  });

  it('gives up after the configured attempts (DEAD); replay sends it again as a new attempt', async () => {
    let up = false;
    const url = h.receiver.on('/down', () => (up ? 200 : 503));
    const { id } = await h.createEndpoint(h.csc, url);
    await h.enqueue(h.event([h.csc]));
    const deliveryId = await h.newestDelivery(id);
    const cfg = h.fast({ maxAttempts: 2, backoffBaseMs: 50, backoffMaxMs: 50 });
    for (let i = 0; i < 20 && (await h.row(deliveryId)).status !== 'DEAD'; i += 1) {
      await h.deliver(cfg);
      await retryDue(h.t.owner, deliveryId);
    }
    let [entry] = await h.log(id);
    expect(entry).toMatchObject({ status: 'DEAD', attempts: 2, lastStatusCode: 503, nextAttemptAt: null });

    up = true;
    const replayed = await h.t.gql(REPLAY, { id: entry.id }, { token: h.admin });
    expect(replayed.data.replayWebhookDelivery).toEqual({
      delivery: { id: entry.id, status: 'PENDING', attempts: 2 },
      userErrors: [],
    });
    await h.deliver(cfg);
    [entry] = await h.log(id);
    expect(entry).toMatchObject({ status: 'DELIVERED', attempts: 3, lastStatusCode: 200 });
    expect(h.receiver.count('/down')).toBe(3);
    // Replaying a delivered one sends it once more.
    await h.t.gql(REPLAY, { id: entry.id }, { token: h.admin });
    await h.deliver(cfg);
    [entry] = await h.log(id);
    expect(entry).toMatchObject({ status: 'DELIVERED', attempts: 4 });
    expect(h.receiver.count('/down')).toBe(4);
  });

  it('times out a hanging receiver without holding up the others', async () => {
    const hang = await h.createEndpoint(
      h.hospital,
      h.receiver.on('/hang', () => null),
    );
    const quick = await h.createEndpoint(
      h.csc,
      h.receiver.on('/quick', () => 200),
    );
    await h.enqueue(h.event([h.hospital, h.csc]));
    const started = Date.now();
    await h.deliver(h.fast({ timeoutMs: 1500 }));
    const took = Date.now() - started;
    const quickAt = h.receiver.received.find((r) => r.path === '/quick')!.at - started;
    expect(quickAt).toBeLessThan(1000);
    expect(took).toBeGreaterThanOrEqual(1400);
    expect(took).toBeLessThan(5000);
    const [hung] = await h.log(hang.id);
    expect(hung).toMatchObject({
      status: 'FAILED',
      attempts: 1,
      lastStatusCode: null,
      lastError: 'timed out after 1500 ms',
    });
    expect(hung.lastDurationMs).toBeGreaterThanOrEqual(1400);
    expect((await h.log(quick.id))[0]).toMatchObject({ status: 'DELIVERED', lastStatusCode: 200 });
    // A disabled endpoint's waiting deliveries are given up, and say why.
    await h.t.gql(DISABLE, { id: hang.id }, { token: h.admin });
    expect((await h.log(hang.id))[0]).toMatchObject({ status: 'DEAD', lastError: 'endpoint disabled' });
  });
});
