import { createHmac } from 'node:crypto';
import { idOf, toGlobalId } from '@hips/common';
import { RAISE, RESPOND, agencyId, email, raiseInput, PORTSMOUTH_CSC } from '../escalations/support';
import { startTestApp, TestApp } from '../support/app';
import { readTestEnv } from '../support/env';
import { freePort, RunningProcess, startProcess, stopProcess, waitForHttp } from '../support/processes';
import {
  EVENT_FIELDS,
  eventIdOf,
  messageFor,
  subscribe,
  Subscriber,
  TestPublisher,
  waitFor,
  wsUrl,
} from './support';

const SOUTHAMPTON_CSC = 'Southampton City Council Children%';

describe('escalationEvents subscription (graphql-ws)', () => {
  let t: TestApp;
  let pub: TestPublisher;
  let url: string;
  const open: Subscriber[] = [];
  const track = (s: Subscriber) => (open.push(s), s);
  const token = (who: string, partnership = 'PORTSMOUTH') => t.login(who, partnership);
  const bearer = async (who: string, partnership = 'PORTSMOUTH') => ({
    authorization: `Bearer ${await token(who, partnership)}`,
  });

  /** Raises a case through the API; answers its global id and uuid and its RAISED event's uuid. */
  const raise = async (who: string, partnership: string, responding: string, patch = {}) => {
    const res = await t.gql(
      RAISE,
      { input: raiseInput(responding, patch) },
      { token: await token(who, partnership) },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data.raiseEscalation.userErrors).toEqual([]);
    const id = res.data.raiseEscalation.escalation.id as string;
    const uuid = idOf(id, 'Escalation')!;
    return { id, uuid, raised: await eventIdOf(t, uuid, 'RAISED') };
  };

  let caseA: { id: string; uuid: string; raised: string; responded: string };
  let schoolProbe: string;
  let schoolMarker: string;
  let sotonProbe: string;
  let sotonMarker: string;
  let cscKey: string;
  let cscKeyId: string | undefined;

  beforeAll(async () => {
    t = await startTestApp();
    const env = readTestEnv();
    pub = new TestPublisher(env.REDIS_URL, env.REDIS_PREFIX);
    url = wsUrl(env.API_URL);
    const csc = await agencyId(t, PORTSMOUTH_CSC);
    const sotonCsc = await agencyId(t, SOUTHAMPTON_CSC);
    const sotonChild = { child: { ...raiseInput(sotonCsc).child, localAuthority: 'SOUTHAMPTON' } };

    // Case A: Portsmouth police against Portsmouth children's social care, answered by CSC (a real action).
    const a = await raise(email('practitioner', 'police'), 'PORTSMOUTH', csc);
    const responded = await t.gql(
      RESPOND,
      { input: { escalationId: a.id, response: 'We stand by the threshold decision', expectedVersion: 1 } },
      { token: await token(email('practitioner', 'csc')) },
    );
    expect(responded.data.respondToEscalation.userErrors).toEqual([]);
    caseA = { ...a, responded: await eventIdOf(t, a.uuid, 'RESPONDED') };
    // Cases the unrelated Portsmouth school sees (its own), and Southampton cases (another partnership).
    schoolProbe = (await raise(email('practitioner', 'school'), 'PORTSMOUTH', csc)).raised;
    schoolMarker = (await raise(email('practitioner', 'school'), 'PORTSMOUTH', csc)).raised;
    const sotonPolice = email('practitioner', 'police', 'southampton');
    sotonProbe = (await raise(sotonPolice, 'SOUTHAMPTON', sotonCsc, sotonChild)).raised;
    sotonMarker = (await raise(sotonPolice, 'SOUTHAMPTON', sotonCsc, sotonChild)).raised;

    const created = await t.gql(
      `mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { apiKey keyId userErrors { code } } }`,
      { input: { agencyId: csc, name: 'Subscriptions CSC system' } },
      { token: await token('admin.portsmouth@demo.hips.test') },
    );
    expect(created.data.createApiKey.userErrors).toEqual([]);
    cscKey = created.data.createApiKey.apiKey as string;
    // A key acting for the demo CSC (its cases are the demo ones); revoked in afterAll (docs/testing/test-practice.md).
    cscKeyId = created.data.createApiKey.keyId as string;
  });

  afterEach(async () => {
    await Promise.all(open.splice(0).map((s) => s.close()));
  });

  afterAll(async () => {
    try {
      if (cscKeyId) {
        const revoked = await t.gql(
          `mutation($id: ID!) { revokeApiKey(keyId: $id) { userErrors { code } } }`,
          { id: cscKeyId },
          { token: await token('admin.portsmouth@demo.hips.test') },
        );
        expect(revoked.data.revokeApiKey.userErrors).toEqual([]);
      }
    } finally {
      await pub.close();
      await t.close();
    }
  });

  const refused = async (params: Record<string, unknown>) => {
    const s = track(subscribe(url, params));
    await waitFor('the connection to close', () => s.closeCodes.length > 0);
    expect(s.events).toEqual([]);
    return s.closeCodes[0];
  };

  it('refuses a connection without credentials (4401)', async () => {
    expect(await refused({})).toBe(4401);
    expect(await refused({ authorization: '' })).toBe(4401);
  });

  it('refuses forged or wrong credentials (4403)', async () => {
    const [person] = await t.owner.query(`select id from people where email = $1`, [
      email('practitioner', 'police'),
    ]);
    const [partnership] = await t.owner.query(`select id from partnerships where code = 'PORTSMOUTH'`);
    const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const claims = b64({
      sub: person.id,
      pid: partnership.id,
      typ: 'access',
      exp: Math.floor(Date.now() / 1000) + 600,
    });
    const signed = `${b64({ alg: 'HS256', typ: 'JWT' })}.${claims}`;
    const forged = `${signed}.${createHmac('sha256', 'not-the-secret').update(signed).digest('base64url')}`;
    const unsigned = `${b64({ alg: 'none', typ: 'JWT' })}.${claims}.`;
    expect(await refused({ authorization: `Bearer ${forged}` })).toBe(4403);
    expect(await refused({ authorization: `Bearer ${unsigned}` })).toBe(4403);
    expect(await refused({ 'x-api-key': 'hips_not-a-key' })).toBe(4403);
    // A refresh token is not an access token.
    const login = await t.gql(`mutation($input: LoginInput!) { login(input: $input) { refreshToken } }`, {
      input: { email: email('practitioner', 'police'), password: 'resolve-demo', partnership: 'PORTSMOUTH' },
    });
    expect(await refused({ authorization: `Bearer ${login.data.login.refreshToken}` })).toBe(4403);
  });

  it('delivers a case event to those who may see the case, as the events connection reads it, and to nobody else', async () => {
    const police = track(subscribe(url, await bearer(email('practitioner', 'police'))));
    const scrutineer = track(subscribe(url, await bearer('scrutineer.portsmouth@demo.hips.test')));
    const key = track(subscribe(url, { 'x-api-key': cscKey }));
    const school = track(subscribe(url, await bearer(email('practitioner', 'school'))));
    // Same agency (the constabulary serves every partnership), other partnership.
    const soton = track(
      subscribe(url, await bearer(email('practitioner', 'police', 'southampton'), 'SOUTHAMPTON')),
    );
    const probeA = await messageFor(t, caseA.raised);
    await pub.untilLive([
      [police, probeA],
      [scrutineer, probeA],
      [key, probeA],
      [school, await messageFor(t, schoolProbe)],
      [soton, await messageFor(t, sotonProbe)],
    ]);

    // The event of a real action (CSC responded), published once; then later markers the others may see, and last
    // case A's RAISED again for those who see case A: each subscriber's events arrive in publication order, so once
    // its later marker is in, anything it was going to receive before it is in too.
    await pub.publish(await messageFor(t, caseA.responded));
    await pub.publish(await messageFor(t, schoolMarker));
    await pub.publish(await messageFor(t, sotonMarker));
    await pub.publish(await messageFor(t, caseA.raised));

    const responded = toGlobalId('EscalationEvent', caseA.responded);
    for (const s of [police, scrutineer, key]) {
      await waitFor('the RESPONDED event', () => s.ids().includes(responded));
    }
    await waitFor('the school marker', () =>
      school.ids().includes(toGlobalId('EscalationEvent', schoolMarker)),
    );
    await waitFor('the Southampton marker', () =>
      soton.ids().includes(toGlobalId('EscalationEvent', sotonMarker)),
    );
    const raisedA = toGlobalId('EscalationEvent', caseA.raised);
    for (const s of [police, scrutineer, key]) {
      await waitFor(
        'the later case A marker',
        () => s.ids().lastIndexOf(raisedA) > s.ids().indexOf(responded),
      );
    }

    // Exactly the node of the events connection (same fields, same detail, same actor).
    const read = await t.gql(
      `query($id: ID!) { escalation(id: $id) { events(first: 50) { edges { node { ${EVENT_FIELDS} } } } } }`,
      { id: caseA.id },
      { token: await token(email('practitioner', 'police')) },
    );
    const node = read.data.escalation.events.edges
      .map((e: any) => e.node)
      .find((n: any) => n.id === responded);
    expect(node).toMatchObject({ kind: 'RESPONDED', stage: 1 });
    expect(node.actor.displayName).toMatch(/^Practitioner, Portsmouth City Council/);
    expect(police.events.find((e) => e.id === responded)).toEqual(node);
    expect(scrutineer.events.find((e) => e.id === responded)).toEqual(node);
    // API keys read no people (actor null) exactly as in their own events query.
    const keyRead = await t.gql(
      `query($id: ID!) { escalation(id: $id) { events(first: 50) { edges { node { ${EVENT_FIELDS} } } } } }`,
      { id: caseA.id },
      { apiKey: cscKey },
    );
    const keyNode = keyRead.data.escalation.events.edges
      .map((e: any) => e.node)
      .find((n: any) => n.id === responded);
    expect(key.events.find((e) => e.id === responded)).toEqual(keyNode);

    // Nothing of case A reached the unrelated agency or the other partnership, though later events did.
    const ofCaseA = [toGlobalId('EscalationEvent', caseA.raised), responded];
    expect(school.ids().filter((id) => ofCaseA.includes(id))).toEqual([]);
    expect(soton.ids().filter((id) => ofCaseA.includes(id))).toEqual([]);
    // And the police practitioner received nothing of the school's or Southampton's cases.
    const others = [schoolProbe, schoolMarker, sotonProbe, sotonMarker].map((id) =>
      toGlobalId('EscalationEvent', id),
    );
    expect(police.ids().filter((id) => others.includes(id))).toEqual([]);
    for (const s of [police, scrutineer, key, school, soton]) expect(s.errors).toEqual([]);
  });

  it('fans out through Redis: an event published once reaches subscribers of two API processes', async () => {
    const env = readTestEnv();
    const port = await freePort();
    const second: RunningProcess = startProcess('dist/apps/api/src/main.js', {
      ...env,
      PORT: String(port),
      API_URL: `http://127.0.0.1:${port}`,
      SCHEMA_FILE: '',
      SQL_LOG_FILE: '',
    });
    try {
      await waitForHttp(`http://127.0.0.1:${port}/health/live`, second);
      const params = await bearer(email('practitioner', 'police'));
      const one = track(subscribe(url, params));
      const two = track(subscribe(wsUrl(`http://127.0.0.1:${port}`), params));
      const probe = await messageFor(t, caseA.raised);
      await pub.untilLive([
        [one, probe],
        [two, probe],
      ]);
      const receivers = await pub.publish(await messageFor(t, caseA.responded));
      expect(receivers).toBe(2); // one Redis subscriber per API process
      const responded = toGlobalId('EscalationEvent', caseA.responded);
      await waitFor('the event on process 1', () => one.ids().includes(responded));
      await waitFor('the event on process 2', () => two.ids().includes(responded));
      expect(one.events.find((e) => e.id === responded)).toEqual(two.events.find((e) => e.id === responded));
    } finally {
      await Promise.all(open.splice(0).map((s) => s.close()));
      await stopProcess(second);
    }
  }, 60_000);
});
