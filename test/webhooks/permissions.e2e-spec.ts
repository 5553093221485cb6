import { randomUUID } from 'node:crypto';
import { toGlobalId } from '@hips/common';
import { CREATE, DISABLE, ENDPOINTS, LOG, REPLAY, useWebhooksHarness } from './harness';

/** Who may manage endpoints and read deliveries, across partnerships and agencies, and refused input. */
describe('webhook permissions', () => {
  const h = useWebhooksHarness();

  describe('permissions', () => {
    let endpointId: string;
    let deliveryId: string;

    beforeAll(async () => {
      ({ id: endpointId } = await h.createEndpoint(
        h.hospital,
        h.receiver.on('/perm', () => 200),
      ));
      await h.enqueue(h.event([h.hospital]));
      await h.deliver();
      [{ id: deliveryId }] = await h.log(endpointId);
    });

    it('answers ids of another partnership exactly like missing ones', async () => {
      const token = await h.t.login('admin.southampton@demo.hips.test');
      const disable = await h.t.gql(DISABLE, { id: endpointId }, { token });
      expect(disable.data.disableWebhookEndpoint.userErrors).toEqual([
        { code: 'NOT_FOUND', field: ['input', 'endpointId'] },
      ]);
      const missing = await h.t.gql(DISABLE, { id: toGlobalId('WebhookEndpoint', randomUUID()) }, { token });
      expect(missing.data.disableWebhookEndpoint.userErrors).toEqual(
        disable.data.disableWebhookEndpoint.userErrors,
      );
      const replay = await h.t.gql(REPLAY, { id: deliveryId }, { token });
      expect(replay.data.replayWebhookDelivery.userErrors).toEqual([
        { code: 'NOT_FOUND', field: ['input', 'deliveryId'] },
      ]);
      const logged = await h.t.gql(LOG, { id: endpointId }, { token });
      expect(logged.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      const listed = await h.t.gql(ENDPOINTS, {}, { token });
      expect(listed.data.webhookEndpoints.map((e: { id: string }) => e.id)).not.toContain(endpointId);
      const foreignAgency = await h.t.gql(
        CREATE,
        { input: { agencyId: toGlobalId('Agency', h.hospital), url: 'https://x.example/' } },
        { token },
      );
      // The hospital serves Portsmouth only: for Southampton it is not one of its agencies.
      expect(foreignAgency.data.createWebhookEndpoint.userErrors[0].code).toBe('NOT_FOUND');
      // Nothing was written for the hospital in Southampton (other specs may own Southampton endpoints of their own).
      expect(
        (
          await h.t.owner.query(
            `select 1 from webhook_endpoints where partnership_id = $1 and agency_id = $2`,
            [h.southampton, h.hospital],
          )
        ).length,
      ).toBe(0);
    });

    it('refuses practitioners, and agency admins outside their agency', async () => {
      const token = await h.t.login(h.hospitalAgency.emails.practitioner);
      const created = await h.t.gql(
        CREATE,
        { input: { agencyId: toGlobalId('Agency', h.hospital), url: 'https://x.example/' } },
        { token },
      );
      expect(created.data.createWebhookEndpoint.userErrors).toEqual([
        expect.objectContaining({ code: 'FORBIDDEN', field: ['input', 'agencyId'] }),
      ]);
      expect(
        (await h.t.gql(DISABLE, { id: endpointId }, { token })).data.disableWebhookEndpoint.userErrors[0]
          .code,
      ).toBe('FORBIDDEN');
      expect(
        (await h.t.gql(REPLAY, { id: deliveryId }, { token })).data.replayWebhookDelivery.userErrors[0].code,
      ).toBe('FORBIDDEN');
      expect((await h.t.gql(ENDPOINTS, {}, { token })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect((await h.t.gql(LOG, { id: endpointId }, { token })).errors?.[0]?.extensions?.code).toBe(
        'FORBIDDEN',
      );

      // An agency admin of the children's social care manages its own endpoints only.
      const agencyAdmin = await h.t.login(h.cscAgency.emails.admin);
      expect(
        (await h.t.gql(DISABLE, { id: endpointId }, { token: agencyAdmin })).data.disableWebhookEndpoint
          .userErrors[0].code,
      ).toBe('FORBIDDEN');
      const own = await h.createEndpoint(
        h.csc,
        h.receiver.on('/own', () => 200),
        [],
        agencyAdmin,
      );
      const mine = await h.t.gql(ENDPOINTS, {}, { token: agencyAdmin });
      expect(mine.errors).toBeUndefined();
      const ids = mine.data.webhookEndpoints.map((e: { id: string }) => e.id);
      expect(ids).toContain(own.id);
      expect(ids).not.toContain(endpointId);
    });

    it('keeps the tables behind row-level security for the application role', async () => {
      const none = await h.db.runWithoutTenant((em) =>
        em.query('select count(*)::int as n from webhook_deliveries'),
      );
      expect(none[0].n).toBe(0);
      // Under Southampton, no row of another partnership (this spec's endpoints and deliveries are Portsmouth's).
      const other = await h.db.run({ partnershipId: h.southampton }, (em) =>
        em.query(
          `select (select count(*)::int from webhook_endpoints where partnership_id <> $1) as e,
                  (select count(*)::int from webhook_deliveries where partnership_id <> $1) as d`,
          [h.southampton],
        ),
      );
      expect(other[0]).toEqual({ e: 0, d: 0 });
      const portsmouth = await h.t.owner.query(
        `select (select count(*)::int from webhook_endpoints where partnership_id <> $1) as e`,
        [h.southampton],
      );
      expect(portsmouth[0].e).toBeGreaterThan(0);
    });
  });

  it('refuses bad input and writes nothing', async () => {
    const [{ n: before }] = await h.t.owner.query('select count(*)::int as n from webhook_endpoints');
    const agencyId = toGlobalId('Agency', h.hospital);
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
      const res = await h.t.gql(CREATE, { input }, { token: h.admin });
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
    const unknown = await h.t.gql(
      CREATE,
      { input: { agencyId: toGlobalId('Agency', randomUUID()), url: 'https://a.example/' } },
      { token: h.admin },
    );
    expect(unknown.data.createWebhookEndpoint.userErrors[0].code).toBe('NOT_FOUND');
    const [{ n: after }] = await h.t.owner.query('select count(*)::int as n from webhook_endpoints');
    expect(after).toBe(before);
  });
});
