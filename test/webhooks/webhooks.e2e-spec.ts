import { toGlobalId } from '@hips/common';
import { verifyWebhookSignature } from '@hips/webhooks';
import { DISABLE, ENDPOINTS, LOG, useWebhooksHarness } from './harness';

/** Registering endpoints, signed deliveries without identifiers, event filters and the delivery log. */
describe('webhooks', () => {
  const h = useWebhooksHarness();

  it('registers an endpoint: the secret is shown once and kept only encrypted', async () => {
    const url = h.receiver.on('/registered', () => 200);
    const { id, secret } = await h.createEndpoint(h.hospital, url, ['RAISED', 'RESOLVED']);
    expect(secret).toMatch(/^whsec_/);
    const [stored]: { secret_encrypted: string; event_kinds: string[] }[] = await h.t.owner.query(
      'select secret_encrypted, event_kinds from webhook_endpoints where url = $1',
      [url],
    );
    expect(stored.secret_encrypted).not.toContain(secret);
    expect(stored.secret_encrypted).toMatch(/^v1\./);
    expect(stored.event_kinds).toEqual(['RAISED', 'RESOLVED']);
    const listed = await h.t.gql(
      ENDPOINTS,
      { agencyId: toGlobalId('Agency', h.hospital) },
      { token: h.admin },
    );
    expect(listed.data.webhookEndpoints).toContainEqual({
      id,
      url,
      events: ['RAISED', 'RESOLVED'],
      enabled: true,
    });
    expect(JSON.stringify(listed.data)).not.toContain(secret);
    const audit: unknown[] = await h.t.owner.query(
      `select 1 from audit_log where action = 'WEBHOOK_ENDPOINT_CREATED' and entity_id = $1`,
      [Buffer.from(id, 'base64url').toString('utf8').split(':')[1]],
    );
    expect(audit).toHaveLength(1);
  });

  it('delivers a signed event with no child identifier and no free text; enqueueing twice is harmless', async () => {
    const url = h.receiver.on('/ok', () => 200);
    const { id, secret } = await h.createEndpoint(h.csc, url);
    const e = h.event([h.csc, h.hospital]);
    const created = await h.enqueue(e);
    expect(created.length).toBeGreaterThanOrEqual(1);
    expect(await h.enqueue(e)).toEqual([]);

    const summary = await h.deliver();
    expect(summary.delivered).toBeGreaterThanOrEqual(1);
    const [got] = h.receiver.received.filter((r) => r.path === '/ok');
    expect(h.receiver.count('/ok')).toBe(1);
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
      link: `${h.config.publicUrl}/escalations/${escalationId}`,
    });

    const [entry] = await h.log(id);
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
    const payloads: { payload: Record<string, unknown> }[] = await h.t.owner.query(
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
    const filtered = h.receiver.on('/only-resolved', () => 200);
    const off = h.receiver.on('/off', () => 200);
    const f = await h.createEndpoint(h.hospital, filtered, ['RESOLVED']);
    const d = await h.createEndpoint(h.hospital, off);
    const disabled = await h.t.gql(DISABLE, { id: d.id }, { token: h.admin });
    expect(disabled.data.disableWebhookEndpoint.endpoint.enabled).toBe(false);
    const again = await h.t.gql(DISABLE, { id: d.id }, { token: h.admin });
    expect(again.data.disableWebhookEndpoint.userErrors).toEqual([
      { code: 'INVALID_STATE', field: ['input', 'endpointId'] },
    ]);

    await h.enqueue(h.event([h.hospital], 'RAISED'));
    await h.enqueue(h.event([h.hospital], 'RESOLVED'));
    await h.deliver();
    expect(h.receiver.count('/only-resolved')).toBe(1);
    expect(h.receiver.count('/off')).toBe(0);
    expect((await h.log(f.id)).map((x: { eventKind: string }) => x.eventKind)).toEqual(['RESOLVED']);
    expect(await h.log(d.id)).toEqual([]);
  });

  it('pages the delivery log, newest first', async () => {
    const { id } = await h.createEndpoint(
      h.hospital,
      h.receiver.on('/paged', () => 200),
    );
    for (let i = 0; i < 3; i += 1) await h.enqueue(h.event([h.hospital]));
    const page1 = await h.t.gql(LOG, { id, first: 2 }, { token: h.admin });
    expect(page1.data.webhookDeliveries.totalCount).toBe(3);
    expect(page1.data.webhookDeliveries.edges).toHaveLength(2);
    expect(page1.data.webhookDeliveries.pageInfo.hasNextPage).toBe(true);
    const page2 = await h.t.gql(
      LOG,
      { id, first: 2, after: page1.data.webhookDeliveries.pageInfo.endCursor },
      { token: h.admin },
    );
    expect(page2.data.webhookDeliveries.edges).toHaveLength(1);
    const ids = [...page1.data.webhookDeliveries.edges, ...page2.data.webhookDeliveries.edges].map(
      (e: { node: { id: string } }) => e.node.id,
    );
    expect(new Set(ids).size).toBe(3);
    await h.deliver();
  });
});
