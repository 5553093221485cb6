import { randomBytes } from 'node:crypto';
import { idOf } from '@hips/common';
import { Auth, DEMO_PASSWORD, startTestApp, TestApp } from '../support/app';
import { ESCALATE, RAISE, raiseInput } from './support';

const AREA = 'SOUTHAMPTON';
const READ = `query($id: ID!) { escalation(id: $id) { id child { initials dateOfBirth localAuthority nhsNumber } } }`;
const CHILD = { initials: 'CV', dateOfBirth: '2016-07-08', localAuthority: AREA, nhsNumber: '9434765919' };
const PAGE = `query($filter: EscalationFilter) { escalations(first: 50, filter: $filter) {
  totalCount edges { node { id child { initials } } } } }`;

/**
 * Who sees the child of a case (libs/escalations, the `child` field of Escalation): the raiser, every owner of a
 * stage of the case, anyone above an owner in their manager chain, the partnership manager and the scrutineer.
 * Colleagues who can see the case (same agency, either side) but are in none of those relations get null, as do
 * API keys; every non-null read writes one CHILD_VIEWED audit row naming the viewer.
 */
describe('who sees the child of a case', () => {
  let t: TestApp;
  const tag = randomBytes(3).toString('hex');
  const people: Record<string, { id: string; email: string }> = {};
  const agencies: Record<'raising' | 'responding', string> = { raising: '', responding: '' };
  let apiKey = '';

  const as = async (who: string): Promise<Auth> => {
    if (who === 'apiKey') return { apiKey };
    const email = people[who]?.email ?? who;
    return { token: await t.login(email, AREA) };
  };
  const ok = async (query: string, input: Record<string, unknown>, who: string) => {
    const res = await t.gql(query, { input }, await as(who));
    expect(res.errors).toBeUndefined();
    const payload = Object.values(res.data)[0] as Record<string, any>;
    expect(payload.userErrors).toEqual([]);
    return payload;
  };
  const personUuid = async (email: string) =>
    (await t.owner.query<{ id: string }[]>('select id from people where email = $1', [email]))[0].id;
  /** CHILD_VIEWED rows of a case, oldest first. */
  const viewed = (caseUuid: string) =>
    t.owner.query<{ actor_type: string; actor_id: string | null }[]>(
      `select actor_type, actor_id from audit_log where action = 'CHILD_VIEWED' and entity_id = $1 order by seq`,
      [caseUuid],
    );

  beforeAll(async () => {
    t = await startTestApp();
    const admin = `admin.southampton@demo.hips.test`;
    // Two agencies of our own, each with a chain practitioner → line manager → safeguarding lead and a second
    // practitioner under the same line manager.
    for (const side of ['raising', 'responding'] as const) {
      const { agency } = await ok(
        `mutation($input: CreateAgencyInput!) { createAgency(input: $input) { agency { id } userErrors { code message } } }`,
        { name: `Child visibility ${side} ${tag}`, type: 'OTHER', partnerships: [AREA] },
        admin,
      );
      agencies[side] = agency.id;
      const { orgUnit } = await ok(
        `mutation($input: CreateOrgUnitInput!) { createOrgUnit(input: $input) { orgUnit { id } userErrors { code message } } }`,
        { agencyId: agency.id, name: 'Team' },
        admin,
      );
      const chain: [string, string, string | null][] = [
        [`${side}Lead`, 'SAFEGUARDING_LEAD', null],
        [`${side}Manager`, 'LINE_MANAGER', `${side}Lead`],
        [`${side}Practitioner`, 'PRACTITIONER', `${side}Manager`],
        [`${side}Colleague`, 'PRACTITIONER', `${side}Manager`],
      ];
      for (const [name, roleType, manager] of chain) {
        const email = `${name.toLowerCase()}.${tag}@child-visibility.test`;
        const { person } = await ok(
          `mutation($input: InvitePersonInput!) { invitePerson(input: $input) { person { id } userErrors { code message } } }`,
          { agencyId: agency.id, email, displayName: `${name} ${tag}`, password: DEMO_PASSWORD },
          admin,
        );
        people[name] = { id: person.id, email };
        await ok(
          `mutation($input: AssignRoleInput!) { assignRole(input: $input) { person { id } userErrors { code message } } }`,
          {
            personId: person.id,
            orgUnitId: orgUnit.id,
            roleType,
            partnerships: [AREA],
            managerPersonId: manager ? people[manager].id : null,
          },
          admin,
        );
      }
    }
    const key = await ok(
      `mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { apiKey userErrors { code message } } }`,
      { agencyId: agencies.raising, name: `child visibility ${tag}` },
      admin,
    );
    apiKey = key.apiKey;
  }, 60_000);
  afterAll(() => t.close());

  const raise = async () => {
    const r = await ok(RAISE, raiseInput(agencies.responding, { child: CHILD }), 'raisingPractitioner');
    return {
      id: r.escalation.id as string,
      uuid: idOf(r.escalation.id, 'Escalation')!,
      escalation: r.escalation,
    };
  };

  /** Reads the case as each viewer: whether it sees the case, its child, and the audit rows the read wrote. */
  const matrix = async (caseId: string, caseUuid: string, viewers: string[]) => {
    const out: Record<string, { case: boolean; child: boolean; audits: (string | null)[] }> = {};
    for (const who of viewers) {
      const before = (await viewed(caseUuid)).length;
      const res = await t.gql(READ, { id: caseId }, await as(who));
      expect(res.errors).toBeUndefined();
      const child = res.data.escalation?.child ?? null;
      if (child) expect(child).toEqual(CHILD);
      const audits = (await viewed(caseUuid)).slice(before);
      out[who] = {
        case: res.data.escalation !== null,
        child: child !== null,
        audits: audits.map((a) => (a.actor_type === 'PERSON' ? a.actor_id : `${a.actor_type}:${a.actor_id}`)),
      };
    }
    return out;
  };
  const sees = async (who: string) => ({
    case: true,
    child: true,
    audits: [await personUuid(people[who]?.email ?? who)],
  });
  const caseOnly = { case: true, child: false, audits: [] };
  const nothing = { case: false, child: false, audits: [] };
  const PM = 'partnership-manager.southampton@demo.hips.test';
  const SCRUTINEER = 'scrutineer.southampton@demo.hips.test';

  it('at stage 1: the raiser, both owners, their managers and the oversight roles; no colleague, key or outsider', async () => {
    const c = await raise();
    const owner = c.escalation.currentStage.responderOwner.displayName as string;
    expect([`respondingPractitioner ${tag}`, `respondingColleague ${tag}`]).toContain(owner);
    // The routed responder owner is one of the two practitioners; the other is a colleague outside the case.
    const [responderOwner, responderColleague] = owner.startsWith('respondingPractitioner')
      ? ['respondingPractitioner', 'respondingColleague']
      : ['respondingColleague', 'respondingPractitioner'];
    const seen = await matrix(c.id, c.uuid, [
      'raisingPractitioner',
      responderOwner,
      'raisingManager',
      'raisingLead',
      'respondingManager',
      'respondingLead',
      PM,
      SCRUTINEER,
      'raisingColleague',
      responderColleague,
      'apiKey',
      'analyst.southampton@demo.hips.test',
      'admin.southampton@demo.hips.test',
      'practitioner.school.southampton@demo.hips.test',
    ]);
    expect(seen).toEqual({
      raisingPractitioner: await sees('raisingPractitioner'),
      [responderOwner]: await sees(responderOwner),
      raisingManager: await sees('raisingManager'),
      raisingLead: await sees('raisingLead'),
      respondingManager: await sees('respondingManager'),
      respondingLead: await sees('respondingLead'),
      [PM]: await sees(PM),
      [SCRUTINEER]: await sees(SCRUTINEER),
      raisingColleague: caseOnly,
      [responderColleague]: caseOnly,
      apiKey: caseOnly,
      'analyst.southampton@demo.hips.test': nothing,
      'admin.southampton@demo.hips.test': nothing,
      'practitioner.school.southampton@demo.hips.test': nothing,
    });
  });

  it('at stage 2: owners of earlier stages keep seeing it; a colleague reporting to a new owner does not', async () => {
    const c = await raise();
    const owner = c.escalation.currentStage.responderOwner.displayName as string;
    const responderColleague = owner.startsWith('respondingPractitioner')
      ? 'respondingColleague'
      : 'respondingPractitioner';
    await ok(ESCALATE, { escalationId: c.id, rationale: 'No response' }, 'raisingPractitioner');
    const [stage2]: { raiser: string; responder: string }[] = await t.owner.query(
      `select raiser_owner_person_id as raiser, responder_owner_person_id as responder from escalation_stages
        where escalation_id = $1 and number = 2`,
      [c.uuid],
    );
    expect(stage2).toEqual({
      raiser: await personUuid(people.raisingManager.email),
      responder: await personUuid(people.respondingManager.email),
    });
    const seen = await matrix(c.id, c.uuid, [
      'raisingPractitioner',
      'raisingManager',
      'respondingManager',
      'raisingLead',
      'respondingLead',
      'raisingColleague',
      responderColleague,
      'apiKey',
    ]);
    expect(seen).toEqual({
      raisingPractitioner: await sees('raisingPractitioner'),
      raisingManager: await sees('raisingManager'),
      respondingManager: await sees('respondingManager'),
      raisingLead: await sees('raisingLead'),
      respondingLead: await sees('respondingLead'),
      raisingColleague: caseOnly,
      [responderColleague]: caseOnly,
      apiKey: caseOnly,
    });
  });

  it('audits each child of a page of 50 once, naming the viewer; a colleague’s page audits nothing', async () => {
    const [{ since }]: { since: Date }[] = await t.owner.query('select now() as since');
    const ids: string[] = [];
    for (let i = 0; i < 50; i++) ids.push((await raise()).uuid);
    const filter = { raisingAgencyId: agencies.raising, raisedFrom: since.toISOString() };
    const countFor = async () =>
      (
        await t.owner.query<{ n: number; cases: number }[]>(
          `select count(*)::int as n, count(distinct entity_id)::int as cases from audit_log
            where action = 'CHILD_VIEWED' and entity_id = any($1)`,
          [ids],
        )
      )[0];

    const colleague = await t.gql(PAGE, { filter }, await as('raisingColleague'));
    expect(colleague.data.escalations.edges).toHaveLength(50);
    expect(colleague.data.escalations.edges.filter((e: any) => e.node.child !== null)).toEqual([]);
    expect(await countFor()).toEqual({ n: 0, cases: 0 });

    const page = await t.gql(PAGE, { filter }, await as('raisingManager'));
    expect(page.errors).toBeUndefined();
    expect(page.data.escalations.edges).toHaveLength(50);
    expect(page.data.escalations.edges.every((e: any) => e.node.child?.initials === CHILD.initials)).toBe(
      true,
    );
    expect(await countFor()).toEqual({ n: 50, cases: 50 });
    const actors: { actor_type: string; actor_id: string }[] = await t.owner.query(
      `select distinct actor_type, actor_id from audit_log where action = 'CHILD_VIEWED' and entity_id = any($1)`,
      [ids],
    );
    expect(actors).toEqual([
      { actor_type: 'PERSON', actor_id: await personUuid(people.raisingManager.email) },
    ]);
  }, 60_000);
});
