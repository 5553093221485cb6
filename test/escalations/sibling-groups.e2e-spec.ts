import { randomBytes } from 'node:crypto';
import { idOf, toGlobalId } from '@hips/common';
import { loadConfig } from '@hips/config';
import { scheduledRunsSince, startWorker, waitFor } from '../deadlines/support';
import { Auth, startTestApp, TestApp } from '../support/app';
import { RunningProcess, stopProcess } from '../support/processes';
import { agencyId, email, NO_SCREENING, PORTSMOUTH_CSC, RAISE, raiseInput, WITHDRAW } from './support';

const CHILD_FIELDS = 'initials dateOfBirth localAuthority nhsNumber localAuthorityCaseId';
const READ = `query($id: ID!) { escalation(id: $id) { id childPurgedAt
  child { ${CHILD_FIELDS} } children { ${CHILD_FIELDS} } } }`;
const pp = email('practitioner', 'police');
const MANAGER = 'partnership-manager.portsmouth@demo.hips.test';
const ADMIN = 'admin.portsmouth@demo.hips.test';

/**
 * A case about a family (docs/procedure.md §7, docs/api/escalations.md): one raise names `child` and its
 * `siblings`; `children` reads them all in order under the same visibility rule as `child` (now deprecated, the
 * first), each case's read audited once per request; retention purges them together on the latest date.
 */
describe('sibling groups', () => {
  let t: TestApp;
  let csc: string;
  let worker: { proc: RunningProcess; dataDir: string } | null = null;
  const tag = randomBytes(3).toString('hex').toUpperCase();
  const family = [
    { initials: 'SA', dateOfBirth: '2014-02-03', localAuthority: 'PORTSMOUTH', nhsNumber: '9434765919' },
    { initials: 'SB', dateOfBirth: '2016-05-06', localAuthority: 'PORTSMOUTH', nhsNumber: '4010232137' },
    { initials: 'SC', dateOfBirth: '2019-08-09', localAuthority: 'PORTSMOUTH', nhsNumber: '4857773457' },
  ].map((c, i) => ({ ...c, localAuthorityCaseId: `SIB-${tag}-${i}` }));

  const gql = async (query: string, variables: Record<string, unknown>, auth: Auth) => {
    const res = await t.gql(query, variables, auth);
    expect(res.errors).toBeUndefined();
    return Object.values(res.data)[0] as Record<string, any>;
  };
  const as = async (who: string) => ({ token: await t.login(who) });
  const raiseFamily = async (children: typeof family, patch: Record<string, unknown> = {}) => {
    const [child, ...siblings] = children;
    const input = raiseInput(csc, { child, siblings, ...patch });
    return gql(RAISE, { input }, await as(pp));
  };
  const childRows = (uuid: string) =>
    t.owner.query<{ ordinal: number; ciphertext: Buffer }[]>(
      'select ordinal, ciphertext from escalation_children where escalation_id = $1 order by ordinal',
      [uuid],
    );
  const viewed = (uuid: string) =>
    t.owner.query<{ actor_id: string | null; detail: Record<string, unknown> }[]>(
      `select actor_id, detail from audit_log where action = 'CHILD_VIEWED' and entity_id = $1 order by seq`,
      [uuid],
    );

  beforeAll(async () => {
    t = await startTestApp();
    csc = await agencyId(t, PORTSMOUTH_CSC);
  });
  afterAll(async () => {
    if (worker) await stopProcess(worker.proc);
    await t.close();
  });

  it('raises one case for three children: stored one sealed row each, read in order, child = the first', async () => {
    const r = await raiseFamily(family);
    expect(r.userErrors).toEqual([]);
    const uuid = idOf(r.escalation.id, 'Escalation')!;
    const rows = await childRows(uuid);
    expect(rows.map((row) => row.ordinal)).toEqual([0, 1, 2]);
    for (const row of rows)
      for (const c of family) expect(row.ciphertext.toString('latin1')).not.toContain(c.localAuthorityCaseId);

    // The raiser and the partnership manager see every child; one CHILD_VIEWED per request, whichever fields.
    for (const who of [pp, MANAGER]) {
      const before = (await viewed(uuid)).length;
      const read = await gql(READ, { id: r.escalation.id }, await as(who));
      expect(read.children).toEqual(family);
      expect(read.child).toEqual(family[0]);
      const audits = (await viewed(uuid)).slice(before);
      expect(audits).toHaveLength(1);
      expect(audits[0].detail).toEqual({ children: 3 });
    }

    // An API key of the raising agency sees the case, not the children (the rule `child` follows), unaudited.
    const police = (
      await t.owner.query<{ agency_id: string }[]>(
        `select raising_agency_id as agency_id from escalations where id = $1`,
        [uuid],
      )
    )[0].agency_id;
    const key = await gql(
      `mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { apiKey userErrors { code message } } }`,
      { input: { agencyId: toGlobalId('Agency', police), name: `siblings ${tag}` } },
      await as(ADMIN),
    );
    expect(key.userErrors).toEqual([]);
    const before = (await viewed(uuid)).length;
    const hidden = await gql(READ, { id: r.escalation.id }, { apiKey: key.apiKey as string });
    expect(hidden).toMatchObject({ id: r.escalation.id, child: null, children: null });
    expect(await viewed(uuid)).toHaveLength(before);

    // A single-child raise (no siblings) reads as a family of one.
    const single = await gql(RAISE, { input: raiseInput(csc) }, await as(pp));
    const one = await gql(READ, { id: single.escalation.id }, await as(pp));
    expect(one.children).toHaveLength(1);
    expect(one.children[0]).toEqual(one.child);
  });

  it('refuses no child, more than ten, and a bad sibling, with the field that is wrong', async () => {
    const none = await t.gql(
      RAISE,
      { input: { ...raiseInput(csc), child: undefined, siblings: family } },
      await as(pp),
    );
    expect(none.errors?.[0]?.message).toMatch(/child/);

    const eleven = Array.from({ length: 11 }, (_, i) => ({
      ...family[i % 3],
      localAuthorityCaseId: `MANY-${i}`,
    }));
    const many = await raiseFamily(eleven);
    expect(many.escalation).toBeNull();
    expect(many.userErrors).toEqual([
      expect.objectContaining({
        code: 'VALIDATION',
        field: ['input', 'siblings'],
        message: expect.stringMatching(/at most 10 children/),
      }),
    ]);
    const ten = await raiseFamily(eleven.slice(0, 10));
    expect(ten.userErrors).toEqual([]);

    const bad = await raiseFamily([
      family[0],
      family[1],
      { ...family[2], initials: 'S1', nhsNumber: '1234567890' },
    ]);
    expect(bad.escalation).toBeNull();
    expect(bad.userErrors.map((e: { field: string[] }) => e.field)).toEqual([
      ['input', 'siblings', '1', 'initials'],
      ['input', 'siblings', '1', 'nhsNumber'],
    ]);
  });

  it('replays an idempotent raise only with the same children, and redirects a family like one child', async () => {
    const key = `siblings-${tag}`;
    const first = await raiseFamily(family, { idempotencyKey: key });
    expect(first.userErrors).toEqual([]);
    const again = await raiseFamily(family, { idempotencyKey: key });
    expect(again.escalation.id).toBe(first.escalation.id);
    const other = await raiseFamily([family[0], family[2]], { idempotencyKey: key });
    expect(other.userErrors[0]).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
    expect(await childRows(idOf(first.escalation.id, 'Escalation')!)).toHaveLength(3);

    const redirected = await raiseFamily(family, { screening: { ...NO_SCREENING, complaint: true } });
    expect(redirected).toMatchObject({ escalation: null, redirect: 'COMPLAINT', userErrors: [] });
  });

  it('keeps identifiers out of notifications, events, the outbox (webhooks, subscriptions) and the audit', async () => {
    const r = await raiseFamily(family);
    const uuid = idOf(r.escalation.id, 'Escalation')!;
    const w = await gql(
      WITHDRAW,
      { input: { escalationId: r.escalation.id, reason: 'Family moved away' } },
      await as(pp),
    );
    expect(w.userErrors).toEqual([]);
    const [{ text }] = await t.owner.query<{ text: string }[]>(
      `select concat_ws(' ',
         (select string_agg(subject || ' ' || body, ' ') from notifications where escalation_id = $1),
         (select string_agg(coalesce(detail, ''), ' ') from escalation_events where escalation_id = $1),
         (select string_agg(payload::text, ' ') from outbox where payload->>'escalationId' = $1::text),
         (select string_agg(coalesce(detail::text, ''), ' ') from audit_log where entity_id = $1::text)) as text`,
      [uuid],
    );
    expect(text).toContain(r.escalation.reference);
    for (const c of family) {
      for (const identifier of [c.dateOfBirth, c.nhsNumber, c.localAuthorityCaseId])
        expect(text).not.toContain(identifier);
      expect(text).not.toMatch(new RegExp(`\\b${c.initials}\\b`));
    }
  });

  it('purges every child of a case once the latest retention date of any of them has passed', async () => {
    const closedYearsAgo = async (children: typeof family) => {
      const r = await raiseFamily(children);
      const w = await gql(
        WITHDRAW,
        { input: { escalationId: r.escalation.id, reason: 'Closed' } },
        await as(pp),
      );
      expect(w.userErrors).toEqual([]);
      const uuid = idOf(r.escalation.id, 'Escalation')!;
      await t.owner.query(
        `update escalations set closed_at = now() - interval '8 years', outcome_recorded_at = now() - interval '8 years'
          where id = $1`,
        [uuid],
      );
      return { id: r.escalation.id as string, uuid };
    };
    const adults = family.map((c, i) => ({ ...c, dateOfBirth: `199${i}-01-0${i + 1}` })); // all 25 by now
    // The youngest is 25 only in 2044: the whole family is kept, the adults' identifiers too.
    const youngest = [adults[0], adults[1], { ...family[2], dateOfBirth: '2019-08-09' }];
    const due = await closedYearsAgo(adults);
    const kept = await closedYearsAgo(youngest);

    worker = startWorker({
      RETENTION_PURGE_MS: '1000',
      IDENTIFIER_ENCRYPTION_KEY: loadConfig().identifierEncryptionKey.toString('base64'),
    });
    const purged = (uuid: string) =>
      t.owner.query(`select 1 from audit_log where action = 'CHILD_IDENTIFIERS_PURGED' and entity_id = $1`, [
        uuid,
      ]);
    await waitFor('the purge', async () => (await purged(due.uuid)).length === 1, 30_000).catch(
      (error: Error) => {
        throw new Error(`${error.message}\n${worker!.proc.output()}`);
      },
    );
    expect(await childRows(due.uuid)).toEqual([]);
    const read = await gql(READ, { id: due.id }, await as(pp));
    expect(read).toMatchObject({ child: null, children: null, childPurgedAt: expect.any(String) });

    // Runs begun after the purge was seen, run to completion, examined the kept family too.
    await scheduledRunsSince('maintenance', 'purge-child-identifiers', Date.now(), 1);
    expect(await purged(kept.uuid)).toEqual([]);
    expect(await childRows(kept.uuid)).toHaveLength(3);
    const keptRead = await gql(READ, { id: kept.id }, await as(pp));
    expect(keptRead.children.map((c: { dateOfBirth: string }) => c.dateOfBirth)).toEqual(
      youngest.map((c) => c.dateOfBirth),
    );
  }, 90_000);
});
