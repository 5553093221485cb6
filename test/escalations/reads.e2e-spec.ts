import { readFileSync } from 'node:fs';
import { idOf, toGlobalId } from '@hips/common';
import { startTestApp, TestApp } from '../support/app';
import { agencyId, email, ESCALATE, PORTSMOUTH_CSC, RAISE, raiseInput, RESPOND } from './support';

const PAGE = `query($first: Int, $after: String, $filter: EscalationFilter) {
  escalations(first: $first, after: $after, filter: $filter) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { cursor node { id reference status partnership { code } raisingAgency { name } respondingAgency { name }
      raisedBy { displayName agency { name } }
      child { initials dateOfBirth localAuthority nhsNumber }
      childPurgedAt
      currentStage { number overdue raiserOwner { displayName } responderOwner { displayName } }
      stages { number raiserOwner { displayName } responderOwner { displayName } }
      events(first: 5) { edges { node { kind actor { displayName } } } } } } } }`;

describe('reading escalation cases', () => {
  let t: TestApp;
  let csc: string;
  const as = async (who: string, partnership = 'PORTSMOUTH') => ({ token: await t.login(who, partnership) });
  const raise = async (who: string, patch: Record<string, unknown> = {}) => {
    const res = await t.gql(RAISE, { input: raiseInput(csc, patch) }, await as(who));
    expect(res.data.raiseEscalation.userErrors).toEqual([]);
    return res.data.raiseEscalation.escalation as { id: string; reference: string };
  };
  const statements = () => readFileSync(process.env.SQL_LOG_FILE!, 'utf8').split('\n').length;

  beforeAll(async () => {
    t = await startTestApp();
    csc = await agencyId(t, PORTSMOUTH_CSC);
  });
  afterAll(() => t.close());

  it('keeps the child encrypted at rest and audits every read of it', async () => {
    const c = await raise(email('practitioner', 'police'), {
      child: {
        initials: 'XJ',
        dateOfBirth: '2017-02-03',
        localAuthority: 'PORTSMOUTH',
        nhsNumber: '943 476 5919',
      },
    });
    const id = idOf(c.id, 'Escalation')!;
    const [row]: { ciphertext: Buffer; iv: Buffer; tag: Buffer }[] = await t.owner.query(
      'select ciphertext, iv, tag from escalation_children where escalation_id = $1',
      [id],
    );
    const raw = row.ciphertext.toString('latin1');
    // Two letters alone turn up in random ciphertext about once in 600 runs: look for them as stored in plain text.
    for (const secret of ['"XJ"', 'initials', '9434765919', '2017-02-03']) expect(raw).not.toContain(secret);
    expect(row.iv).toHaveLength(12);
    expect(row.tag).toHaveLength(16);
    const leaked: unknown[] = await t.owner.query(
      `select 1 from escalation_events where detail like '%XJ%' or detail like '%9434765919%'
       union all select 1 from outbox where payload::text like '%9434765919%'
       union all select 1 from audit_log where detail::text like '%9434765919%'`,
    );
    expect(leaked).toEqual([]);

    const viewed = async () =>
      (
        await t.owner.query(
          `select count(*)::int as n from audit_log where action = 'CHILD_VIEWED' and entity_id = $1`,
          [id],
        )
      )[0].n as number;
    const query = `query($id: ID!) { escalation(id: $id) { child { initials dateOfBirth localAuthority nhsNumber } } }`;
    const before = await viewed();
    for (const who of [
      email('practitioner', 'police'),
      email('practitioner', 'csc'),
      email('senior-manager', 'csc'),
      'partnership-manager.portsmouth@demo.hips.test',
      'scrutineer.portsmouth@demo.hips.test',
    ]) {
      const res = await t.gql(query, { id: c.id }, await as(who));
      expect(res.data.escalation.child).toEqual({
        initials: 'XJ',
        dateOfBirth: '2017-02-03',
        localAuthority: 'PORTSMOUTH',
        nhsNumber: '9434765919',
      });
    }
    expect(await viewed()).toBe(before + 5);
    // Other agencies and analysts do not see the case at all; nothing is audited for them.
    for (const who of [email('practitioner', 'school'), 'analyst.portsmouth@demo.hips.test']) {
      const res = await t.gql(query, { id: c.id }, await as(who));
      expect(res.data.escalation).toBeNull();
    }
    expect(await viewed()).toBe(before + 5);
    const [{ broken }]: { broken: string | null }[] = await t.owner.query(
      `select audit_verify_chain(id) as broken from partnerships where code = 'PORTSMOUTH'`,
    );
    expect(broken).toBeNull();
  });

  it('shows another partnership nothing: cases, children, events, node', async () => {
    const c = await raise(email('practitioner', 'police'));
    const [event]: { id: string }[] = await t.owner.query(
      'select id from escalation_events where escalation_id = $1',
      [idOf(c.id, 'Escalation')],
    );
    const south = await as(email('practitioner', 'police', 'southampton'), 'SOUTHAMPTON');
    const res = await t.gql(
      `query($id: ID!, $ev: ID!) { escalation(id: $id) { id child { initials } } node(id: $id) { id }
         ev: node(id: $ev) { id } escalations(first: 100) { totalCount edges { node { id } } } }`,
      { id: c.id, ev: toGlobalId('EscalationEvent', event.id) },
      south,
    );
    expect(res.errors).toBeUndefined();
    // (Other specs raise Southampton cases of their own; none of Portsmouth's may show.)
    expect(res.data).toMatchObject({ escalation: null, node: null, ev: null });
    expect(res.data.escalations.edges.map((e: any) => e.node.id)).not.toContain(c.id);
    const act = await t.gql(
      `mutation($input: RespondInput!) { respondToEscalation(input: $input) { escalation { id } userErrors { code field } } }`,
      { input: { escalationId: c.id, response: 'x' } },
      south,
    );
    expect(act.data.respondToEscalation).toEqual({
      escalation: null,
      userErrors: [{ code: 'NOT_FOUND', field: ['input', 'escalationId'] }],
    });
    // Row-level security: the application role sees no Portsmouth rows under the Southampton tenant.
    const rows = await t.owner.transaction(async (em) => {
      await em.query('set local role hips_app');
      await em.query(
        `select set_config('app.partnership_id', (select id::text from partnerships where code = 'SOUTHAMPTON'), true)`,
      );
      const south = `(select id from partnerships where code = 'SOUTHAMPTON')`;
      return em.query(`select (select count(*) from escalations where partnership_id <> ${south})::int as e,
        (select count(*) from escalation_children where partnership_id <> ${south})::int as c,
        (select count(*) from escalation_events where partnership_id <> ${south})::int as v,
        (select count(*) from deadlines where partnership_id <> ${south})::int as d,
        (select count(*) from outbox where partnership_id <> ${south})::int as o`);
    });
    expect(rows).toEqual([{ e: 0, c: 0, v: 0, d: 0, o: 0 }]);

    // The same case by node(), and its events, in its own partnership.
    const mine = await t.gql(
      `query($id: ID!) { node(id: $id) { id ... on Escalation { reference events(first: 10) { edges { node { id kind actor { displayName } } } } } } }`,
      { id: c.id },
      await as(email('practitioner', 'police')),
    );
    expect(mine.data.node.reference).toBe(c.reference);
    const ev = mine.data.node.events.edges[0].node;
    expect(ev.kind).toBe('RAISED');
    const byNode = await t.gql(
      `query($id: ID!) { node(id: $id) { id ... on EscalationEvent { kind } } }`,
      { id: ev.id },
      await as(email('practitioner', 'police')),
    );
    expect(byNode.data.node).toEqual({ id: ev.id, kind: 'RAISED' });
  });

  it('pages with stable keyset cursors and filters', async () => {
    const token = await as('partnership-manager.portsmouth@demo.hips.test');
    const all: string[] = [];
    let after: string | null = null;
    let total = 0;
    do {
      const res: any = await t.gql(PAGE, { first: 2, after }, token);
      expect(res.errors).toBeUndefined();
      total = res.data.escalations.totalCount;
      all.push(...res.data.escalations.edges.map((e: any) => e.node.id));
      after = res.data.escalations.pageInfo.hasNextPage ? res.data.escalations.pageInfo.endCursor : null;
    } while (after);
    expect(all.length).toBe(total);
    expect(new Set(all).size).toBe(total);

    const c = await raise(email('practitioner', 'hospital'));
    await t.gql(
      RESPOND,
      { input: { escalationId: c.id, response: 'ok' } },
      await as(email('practitioner', 'csc')),
    );
    await t.gql(
      ESCALATE,
      { input: { escalationId: c.id, rationale: 'r' } },
      await as(email('practitioner', 'hospital')),
    );
    const hospital = await agencyId(t, 'Portsmouth Hospitals%');
    const filtered = await t.gql(
      PAGE,
      { filter: { raisingAgencyId: hospital, stage: [2], status: ['OPEN'] } },
      token,
    );
    expect(filtered.data.escalations.edges.map((e: any) => e.node.id)).toEqual([c.id]);
    const mine = await t.gql(PAGE, { filter: { mine: true } }, await as(email('line-manager', 'hospital')));
    expect(mine.data.escalations.edges.map((e: any) => e.node.id)).toEqual([c.id]);
    const overdue = await t.gql(PAGE, { filter: { overdue: true, raisingAgencyId: hospital } }, token);
    expect(overdue.data.escalations.totalCount).toBe(0);
    const tooMany = await t.gql(PAGE, { first: 101 }, token);
    expect(tooMany.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('reads a page of 50 cases in as many SQL statements as a page of 5 (no N+1)', async () => {
    const [{ n }]: { n: number }[] = await t.owner.query(
      `select count(*)::int as n from escalations where partnership_id = (select id from partnerships where code = 'PORTSMOUTH')`,
    );
    for (let i = n; i < 55; i += 1) await raise(email('practitioner', i % 2 ? 'police' : 'school'));
    const token = await as('partnership-manager.portsmouth@demo.hips.test');
    let lastRun: string[] = [];
    const count = async (first: number) => {
      const before = statements();
      const res = await t.gql(PAGE, { first }, token);
      expect(res.errors).toBeUndefined();
      expect(res.data.escalations.edges).toHaveLength(first);
      // Every child record is read (in one batch), except where retention has purged it (another spec may have).
      expect(
        res.data.escalations.edges.every((e: any) => e.node.child !== null || e.node.childPurgedAt),
      ).toBe(true);
      expect(res.data.escalations.edges.some((e: any) => e.node.child !== null)).toBe(true);
      const after = statements();
      if (first === 50)
        lastRun = readFileSync(process.env.SQL_LOG_FILE!, 'utf8')
          .split('\n')
          .slice(before - 1, after - 1);
      return after - before;
    };
    await count(5); // warm: the login of this token
    const five = await count(5);
    const fifty = await count(50);
    // Batched: one transaction (START, set_config, query, COMMIT) per kind of look-up, whatever the page size.
    expect(five).toBeGreaterThan(8);
    if (fifty !== five) console.log(`five=${five} fifty=${fifty}`);
    expect(fifty).toBe(five);
    expect(fifty).toBeLessThan(60);
    expect(lastRun.filter((q) => q.startsWith('insert into audit_log'))).toHaveLength(1);
  });

  it('keeps private notes to the author’s agency', async () => {
    const c = await raise(email('practitioner', 'police'));
    const add = `mutation($input: AddEscalationNoteInput!) { addEscalationNote(input: $input) { note { id visibility } userErrors { code } } }`;
    for (const visibility of ['SHARED', 'PRIVATE']) {
      const res = await t.gql(
        add,
        { input: { escalationId: c.id, text: `${visibility} thoughts`, visibility } },
        await as(email('practitioner', 'police')),
      );
      expect(res.data.addEscalationNote.userErrors).toEqual([]);
    }
    const read = `query($id: ID!) { escalation(id: $id) { notes { text visibility } } }`;
    const police = await t.gql(read, { id: c.id }, await as(email('line-manager', 'police')));
    expect(police.data.escalation.notes.map((n: any) => n.text)).toEqual([
      'SHARED thoughts',
      'PRIVATE thoughts',
    ]);
    const cscView = await t.gql(read, { id: c.id }, await as(email('practitioner', 'csc')));
    expect(cscView.data.escalation.notes.map((n: any) => n.text)).toEqual(['SHARED thoughts']);
  });
});
