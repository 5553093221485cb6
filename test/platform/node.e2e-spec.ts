import { toGlobalId } from '@hips/common';
import { startTestApp, TestApp } from '../support/app';
import { createOwnAgency } from '../support/fixtures';
import { email, RAISE, raiseInput } from '../escalations/support';

const NODE = `query($id: ID!) { node(id: $id) { __typename id } }`;
const ADMIN = 'admin.portsmouth@demo.hips.test';
const OTHER_ADMIN = 'admin.southampton@demo.hips.test';
const RAISER = email('practitioner', 'police');
/** Cases are for their parties (a partnership admin does not see them); everything else is the admin's. */
const VIEWER: Record<string, [string, string?]> = {
  Escalation: [RAISER, 'PORTSMOUTH'],
  EscalationEvent: [RAISER, 'PORTSMOUTH'],
};

/**
 * Every type that implements Node in the served schema resolves through `node`, with the checks of its own query:
 * the same viewer sees it, another partnership's admin gets null (not an error), and so does a viewer whom the
 * type's own query would refuse.
 */
describe('Query.node', () => {
  let t: TestApp;
  const ids: Record<string, string> = {};
  const token = (login: string, partnership?: string) => t.login(login, partnership);

  const resolve = async (id: string, login: string, partnership?: string) => {
    const res = await t.gql(NODE, { id }, { token: await token(login, partnership) });
    expect(res.errors).toBeUndefined();
    return res.data.node as { __typename: string; id: string } | null;
  };

  beforeAll(async () => {
    t = await startTestApp();
    const admin = { token: await token(ADMIN) };
    // An agency of this spec's own (Portsmouth only), so the API key and the webhook endpoint, which stay behind,
    // hang on no demo agency that other specs' cases reach (docs/testing/test-practice.md).
    const own = await createOwnAgency(t, {
      adminEmail: ADMIN,
      partnership: 'PORTSMOUTH',
      label: 'Node children services',
      type: 'CHILDRENS_SOCIAL_CARE',
      people: [
        { key: 'head', roleType: 'SENIOR_MANAGER' },
        { key: 'lead', roleType: 'SAFEGUARDING_LEAD', manager: 'head' },
        { key: 'manager', roleType: 'LINE_MANAGER', manager: 'lead' },
        { key: 'practitioner', roleType: 'PRACTITIONER', manager: 'manager' },
      ],
    });
    const csc = own.agencyId;
    const viewer = await t.gql(
      `{ viewer { partnership { id } person { id } } escalationPolicy { id } }`,
      {},
      admin,
    );
    expect(viewer.errors).toBeUndefined();
    ids.Partnership = viewer.data.viewer.partnership.id;
    ids.Person = viewer.data.viewer.person.id;
    // An agency (and unit) of this partnership only.
    ids.Agency = csc;
    ids.OrgUnit = own.unitId;
    ids.EscalationPolicy = viewer.data.escalationPolicy.id;

    const key = await t.gql(
      `mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { keyId userErrors { code } } }`,
      { input: { agencyId: csc, name: 'node() test key' } },
      admin,
    );
    ids.ApiKey = key.data.createApiKey.keyId;
    const endpoint = await t.gql(
      `mutation($input: CreateWebhookEndpointInput!) {
         createWebhookEndpoint(input: $input) { endpoint { id } userErrors { code message } } }`,
      { input: { agencyId: csc, url: 'http://127.0.0.1:9/node-test' } },
      admin,
    );
    expect(endpoint.data.createWebhookEndpoint.userErrors).toEqual([]);
    ids.WebhookEndpoint = endpoint.data.createWebhookEndpoint.endpoint.id;

    // A case against the CSC: an Escalation, its events, and a webhook delivery to the CSC's endpoint.
    const raised = await t.gql(
      RAISE,
      { input: raiseInput(csc) },
      { token: await token(RAISER, 'PORTSMOUTH') },
    );
    expect(raised.data.raiseEscalation.userErrors).toEqual([]);
    ids.Escalation = raised.data.raiseEscalation.escalation.id;
    const events = await t.gql(
      `query($id: ID!) { escalation(id: $id) { events(first: 1) { edges { node { id } } } } }`,
      { id: ids.Escalation },
      { token: await token(RAISER, 'PORTSMOUTH') },
    );
    ids.EscalationEvent = events.data.escalation.events.edges[0].node.id;
    const deliveries = await t.gql(
      `query($id: ID!) { webhookDeliveries(endpointId: $id, first: 1) { edges { node { id } } } }`,
      { id: ids.WebhookEndpoint },
      admin,
    );
    expect(deliveries.errors).toBeUndefined();
    ids.WebhookDelivery = deliveries.data.webhookDeliveries.edges[0].node.id;
  });
  afterAll(() => t.close());

  it('covers every Node type of the served schema', async () => {
    const res = await t.gql(
      `{ __type(name: "Node") { possibleTypes { name } } }`,
      {},
      { token: await token(ADMIN) },
    );
    const served = (res.data.__type.possibleTypes as { name: string }[]).map((p) => p.name).sort();
    expect(Object.keys(ids).sort()).toEqual(served);
  });

  it('resolves each type for a viewer of its own partnership, and to null for another partnership’s', async () => {
    for (const [type, id] of Object.entries(ids)) {
      const [login, partnership] = VIEWER[type] ?? [ADMIN];
      expect([type, await resolve(id, login, partnership)]).toEqual([type, { __typename: type, id }]);
    }
    // Partnerships are public to every tenant (as `partnerships` lists them); nothing else crosses.
    for (const [type, id] of Object.entries(ids)) {
      if (type === 'Partnership') continue;
      expect([type, await resolve(id, OTHER_ADMIN)]).toEqual([type, null]);
    }
  });

  it('applies the permission checks of each type’s own query', async () => {
    const practitioner = email('practitioner', 'school');
    // apiKeys, webhookEndpoints and webhookDeliveries are for admins; a practitioner sees none of them.
    for (const type of ['ApiKey', 'WebhookEndpoint', 'WebhookDelivery']) {
      expect([type, await resolve(ids[type], practitioner, 'PORTSMOUTH')]).toEqual([type, null]);
    }
    // Nor does the admin see the case (as with `escalation`).
    expect(await resolve(ids.Escalation, ADMIN)).toBeNull();
    // A published policy is readable by anyone in the partnership, as escalationPolicy is.
    expect(await resolve(ids.EscalationPolicy, practitioner, 'PORTSMOUTH')).toEqual({
      __typename: 'EscalationPolicy',
      id: ids.EscalationPolicy,
    });
  });

  it('answers null for ids of types that are not Node (CalendarVersion) and for unknown ids', async () => {
    const versions = await t.gql(`{ calendarVersions(first: 1) { id } }`, {}, { token: await token(ADMIN) });
    expect(versions.errors).toBeUndefined();
    expect(await resolve(versions.data.calendarVersions[0].id, ADMIN)).toBeNull();
    expect(
      await resolve(toGlobalId('EscalationPolicy', '00000000-0000-4000-8000-000000000000'), ADMIN),
    ).toBeNull();
    expect(await resolve('not-an-id', ADMIN)).toBeNull();
  });
});
