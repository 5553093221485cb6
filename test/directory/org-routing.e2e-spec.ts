import type { TestApp } from '../support/app';
import {
  ADD_DEPUTY,
  AT,
  CANCEL_ABSENCE,
  OTHER_ADMIN,
  PRACTITIONER,
  PROBLEMS,
  RECORD_ABSENCE,
  REMOVE_DEPUTY,
  ROUTE,
  type RoutingFixture,
  startRoutingFixture,
  uuidOf,
} from './org-routing.fixture';

// The fixtures invite a dozen people (argon2 hashing): allow for a loaded machine.
jest.setTimeout(60_000);

describe('organisational structures and routing', () => {
  let t: TestApp;
  let admin: RoutingFixture['admin'];
  let tag: RoutingFixture['tag'];
  let ids: RoutingFixture['ids'];
  let mutate: RoutingFixture['mutate'];
  let ok: RoutingFixture['ok'];
  let route: RoutingFixture['route'];
  let count: RoutingFixture['count'];
  let post: RoutingFixture['post'];

  beforeAll(async () => {
    ({ t, admin, tag, ids, mutate, ok, route, count, post } = await startRoutingFixture());
  });
  afterAll(async () => {
    await t.close();
  });

  it('routes to the holder, walking up the unit tree', async () => {
    const r = await route(ids.desk);
    expect(r.owner.id).toBe(ids.jo);
    expect(r.failure).toBeNull();
    expect(r.on).toBe('2030-06-12');
    expect(r.holderUnit.name).toBe(`RT Team ${tag}`);
    expect(r.explanation).toBe(
      `no LINE_MANAGER in RT Desk ${tag}; LINE_MANAGER of RT Team ${tag}: Jo Bloggs ${tag}`,
    );
  });

  it('names a deputy, shown on the post, and audits it', async () => {
    const payload = await ok(ADD_DEPUTY, post('sam'));
    expect(payload.post).toEqual({
      roleType: 'LINE_MANAGER',
      holder: { displayName: `Jo Bloggs ${tag}` },
      orgUnit: { name: `RT Team ${tag}` },
      manager: { displayName: `Kim Kay ${tag}` },
      deputies: [{ id: ids.sam, displayName: `Sam Smith ${tag}` }],
    });
    const audit = await t.owner.query(
      `select detail from audit_log where action = 'DEPUTY_ADDED' and entity_id = $1`,
      [uuidOf(ids.jo)],
    );
    expect(audit).toHaveLength(1);
    const res = await t.gql(
      `query($id: ID!) { node(id: $id) { ... on Person { posts { roleType deputies { id } } }
         ... on Person { posts { orgUnit { children { name } } } } } }`,
      { id: ids.jo },
      { token: admin },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data.node.posts[0].deputies).toEqual([{ id: ids.sam }]);
    expect(res.data.node.posts[0].orgUnit.children).toEqual([{ name: `RT Desk ${tag}` }]);
  });

  it('routes to the deputy when the holder is absent, then up the manager chain, and back when cancelled', async () => {
    const jo = await ok(RECORD_ABSENCE, {
      personId: ids.jo,
      from: '2030-06-10',
      to: '2030-06-14',
      reason: 'annual leave',
    });
    expect(jo.absence).toMatchObject({ from: '2030-06-10', to: '2030-06-14', reason: 'annual leave' });
    let r = await route(ids.team);
    expect(r.owner.id).toBe(ids.sam);
    expect(r.explanation).toBe(
      `LINE_MANAGER of RT Team ${tag}: Jo Bloggs ${tag} is absent (annual leave) until 2030-06-14; deputy Sam Smith ${tag}`,
    );

    await ok(RECORD_ABSENCE, { personId: ids.sam, from: '2030-06-12', to: '2030-06-12', reason: 'training' });
    r = await route(ids.team);
    expect(r.owner.id).toBe(ids.kim);
    expect(r.steps).toEqual([
      {
        kind: 'HOLDER',
        outcome: 'ABSENT',
        absentUntil: '2030-06-14',
        absenceReason: 'annual leave',
        person: { displayName: `Jo Bloggs ${tag}` },
      },
      {
        kind: 'DEPUTY',
        outcome: 'ABSENT',
        absentUntil: '2030-06-12',
        absenceReason: 'training',
        person: { displayName: `Sam Smith ${tag}` },
      },
      {
        kind: 'MANAGER',
        outcome: 'CHOSEN',
        absentUntil: null,
        absenceReason: null,
        person: { displayName: `Kim Kay ${tag}` },
      },
    ]);

    await ok(RECORD_ABSENCE, {
      personId: ids.kim,
      from: '2030-06-01',
      to: '2030-06-30',
      reason: 'secondment',
    });
    r = await route(ids.team);
    expect(r.owner.id).toBe(ids.lee);
    expect(r.explanation).toContain(
      `manager Kim Kay ${tag} is absent (secondment) until 2030-06-30; manager Lee Lane`,
    );

    // Absences are listed for admins.
    const listed = await t.gql(
      `query($id: ID!) { node(id: $id) { ... on Person { absences { id from to reason } } } }`,
      { id: ids.jo },
      { token: admin },
    );
    expect(listed.data.node.absences).toEqual([
      { id: jo.absence.id, from: '2030-06-10', to: '2030-06-14', reason: 'annual leave' },
    ]);

    const cancelled = await ok(CANCEL_ABSENCE, { absenceId: jo.absence.id });
    expect(cancelled.absence.cancelledAt).not.toBeNull();
    expect((await route(ids.team)).owner.id).toBe(ids.jo);
    const again = await mutate(CANCEL_ABSENCE, { absenceId: jo.absence.id });
    expect(again.userErrors[0].code).toBe('INVALID_STATE');
  });

  it('stops at a cycle in the manager chain and returns nobody with a reason', async () => {
    await ok(RECORD_ABSENCE, { personId: ids.c1, from: '2030-06-01', to: '2030-06-30', reason: 'leave' });
    await ok(RECORD_ABSENCE, { personId: ids.c2, from: '2030-06-01', to: '2030-06-30', reason: 'leave' });
    const r = await route(ids.loop);
    expect(r.owner).toBeNull();
    expect(r.failure).toBe('MANAGER_CYCLE');
    expect(r.explanation).toContain(`the manager chain loops back to Cy One ${tag}: stopped`);
    const none = await route(ids.outpost);
    expect(none.failure).toBe('NO_HOLDER');
  });

  it('lists structural problems for the partnership admin only', async () => {
    const res = await t.gql(PROBLEMS, {}, { token: admin });
    expect(res.errors).toBeUndefined();
    const mine = res.data.structuralProblems.filter((p: any) => p.agency?.id === ids.agency);
    expect(mine.map((p: any) => [p.code, p.unit?.name ?? p.person?.displayName ?? p.roleType])).toEqual([
      ['MANAGER_CYCLE', `Cy One ${tag}`],
      ['UNIT_WITHOUT_MANAGER', `RT Outpost ${tag}`],
    ]);
    expect(mine[0].message).toBe(`The manager chain loops: Cy One ${tag} → Cy Two ${tag} → Cy One ${tag}`);

    const empty = await ok(
      `mutation($input: CreateAgencyInput!) { createAgency(input: $input) { agency { id } userErrors { code message } } }`,
      { name: `Empty agency ${tag}`, type: 'OTHER', partnerships: ['PORTSMOUTH'] },
    );
    const after = await t.gql(PROBLEMS, {}, { token: admin });
    expect(
      after.data.structuralProblems
        .filter((p: any) => p.agency?.id === empty.agency.id)
        .map((p: any) => [p.code, p.roleType]),
    ).toEqual([
      ['MISSING_STAGE_ROLE', 'LINE_MANAGER'],
      ['MISSING_STAGE_ROLE', 'PRACTITIONER'],
      ['MISSING_STAGE_ROLE', 'SENIOR_MANAGER'],
    ]);
    // Another partnership's admin sees none of this partnership's agencies.
    const other = await t.gql(PROBLEMS, {}, { token: await t.login(OTHER_ADMIN) });
    expect(other.data.structuralProblems.some((p: any) => p.agency?.id === ids.agency)).toBe(false);

    const denied = await t.gql(PROBLEMS, {}, { token: await t.login(PRACTITIONER) });
    expect(denied.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it('answers another partnership’s ids as NOT_FOUND and a practitioner as FORBIDDEN', async () => {
    const other = await t.login(OTHER_ADMIN);
    const practitioner = await t.login(PRACTITIONER);
    const absence = await ok(RECORD_ABSENCE, {
      personId: ids.lee,
      from: '2031-01-01',
      to: '2031-01-02',
      reason: 'leave',
    });
    const before = await count('audit_log');
    for (const [token, code] of [
      [other, 'NOT_FOUND'],
      [practitioner, 'FORBIDDEN'],
    ] as const) {
      const routed = await mutate(ROUTE, { orgUnitId: ids.team, roleType: 'LINE_MANAGER', at: AT }, token);
      expect(routed.route).toBeNull();
      expect(routed.userErrors[0].code).toBe(code);
      expect((await mutate(ADD_DEPUTY, post('prac'), token)).userErrors[0].code).toBe(code);
      expect((await mutate(REMOVE_DEPUTY, post('sam'), token)).userErrors[0].code).toBe(code);
      const recorded = await mutate(
        RECORD_ABSENCE,
        { personId: ids.jo, from: '2031-01-01', to: '2031-01-02', reason: 'x' },
        token,
      );
      expect(recorded.userErrors[0].code).toBe(code);
      expect(
        (await mutate(CANCEL_ABSENCE, { absenceId: absence.absence.id }, token)).userErrors[0].code,
      ).toBe(code);
    }
    // The practitioner sees nobody's absences but their own; the other partnership cannot see the person.
    const seen = await t.gql(
      `query($id: ID!) { node(id: $id) { ... on Person { absences { id } } } }`,
      { id: ids.lee },
      { token: practitioner },
    );
    expect(seen.data.node).toEqual({ absences: [] });
    expect(await count('audit_log')).toBe(before);
  });

  it('refuses bad input and writes nothing', async () => {
    const before = {
      audit: await count('audit_log'),
      absences: await count('absences'),
      deputies: await count('post_deputies'),
    };
    const expectError = async (
      query: string,
      input: Record<string, unknown>,
      code: string,
      field: string,
    ) => {
      const payload = await mutate(query, input);
      expect(payload.userErrors).toEqual([expect.objectContaining({ code, field: ['input', field] })]);
    };
    await expectError(
      RECORD_ABSENCE,
      { personId: ids.jo, from: '2030-07-02', to: '2030-07-01', reason: 'leave' },
      'VALIDATION',
      'to',
    );
    await expectError(
      RECORD_ABSENCE,
      { personId: ids.jo, from: '2030-07-01', to: '2030-07-01', reason: '  ' },
      'VALIDATION',
      'reason',
    );
    await expectError(
      RECORD_ABSENCE,
      { personId: ids.kim, from: '2030-06-30', to: '2030-07-03', reason: 'again' },
      'DUPLICATE',
      'from',
    );
    await expectError(
      RECORD_ABSENCE,
      { personId: ids.agency, from: '2030-07-01', to: '2030-07-01', reason: 'x' },
      'NOT_FOUND',
      'personId',
    );
    await expectError(ADD_DEPUTY, post('jo'), 'VALIDATION', 'deputyPersonId');
    await expectError(ADD_DEPUTY, post('sam'), 'DUPLICATE', 'deputyPersonId');
    const practitionerRes = await t.gql(
      `{ viewer { person { id } } }`,
      {},
      { token: await t.login(PRACTITIONER) },
    );
    await expectError(
      ADD_DEPUTY,
      { ...post('sam'), deputyPersonId: practitionerRes.data.viewer.person.id },
      'VALIDATION',
      'deputyPersonId',
    );
    await expectError(ADD_DEPUTY, { ...post('sam'), roleType: 'SENIOR_MANAGER' }, 'NOT_FOUND', 'roleType');
    await expectError(ADD_DEPUTY, { ...post('sam'), roleType: 'ANALYST' }, 'VALIDATION', 'roleType');
    await expectError(REMOVE_DEPUTY, post('kim'), 'NOT_FOUND', 'deputyPersonId');
    await expectError(CANCEL_ABSENCE, { absenceId: ids.jo }, 'NOT_FOUND', 'absenceId');
    const badRoute = await mutate(ROUTE, { orgUnitId: ids.team, roleType: 'AGENCY_ADMIN', at: AT });
    expect(badRoute.userErrors[0]).toMatchObject({ code: 'VALIDATION', field: ['input', 'roleType'] });
    const malformed = await t.gql(
      RECORD_ABSENCE,
      { input: { personId: ids.jo, from: '2030-02-30', to: '2030-03-01', reason: 'x' } },
      { token: admin },
    );
    expect(malformed.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect({
      audit: await count('audit_log'),
      absences: await count('absences'),
      deputies: await count('post_deputies'),
    }).toEqual(before);
  });

  it('lets an AGENCY_ADMIN manage its own agency only', async () => {
    const invited = await ok(
      `mutation($input: InvitePersonInput!) { invitePerson(input: $input) { person { id } userErrors { code message } } }`,
      {
        agencyId: ids.agency,
        email: `agency-admin.${tag}@routing.test`,
        displayName: `Agency Admin ${tag}`,
        password: 'agency-admin-password',
      },
    );
    await ok(
      `mutation($input: AssignRoleInput!) { assignRole(input: $input) { person { id } userErrors { code message } } }`,
      {
        personId: invited.person.id,
        orgUnitId: ids.root,
        roleType: 'AGENCY_ADMIN',
        partnerships: ['PORTSMOUTH'],
      },
    );
    const login = await t.gql(`mutation($input: LoginInput!) { login(input: $input) { accessToken } }`, {
      input: { email: `agency-admin.${tag}@routing.test`, password: 'agency-admin-password' },
    });
    const token = login.data.login.accessToken as string;
    const recorded = await mutate(
      RECORD_ABSENCE,
      { personId: ids.prac, from: '2032-01-01', to: '2032-01-01', reason: 'leave' },
      token,
    );
    expect(recorded.userErrors).toEqual([]);
    expect((await route(ids.desk, 'LINE_MANAGER', token)).owner.id).toBe(ids.jo);
    const practitioner = await t.gql(
      `{ viewer { person { id posts { orgUnit { id } } } } }`,
      {},
      {
        token: await t.login(PRACTITIONER),
      },
    );
    const demoUnit = practitioner.data.viewer.person.posts[0].orgUnit.id;
    const denied = await mutate(ROUTE, { orgUnitId: demoUnit, roleType: 'LINE_MANAGER', at: AT }, token);
    expect(denied.userErrors[0].code).toBe('FORBIDDEN');
    const structural = await t.gql(PROBLEMS, {}, { token });
    expect(structural.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it('routes the demo ladder: practitioner → line manager → safeguarding lead → senior manager', async () => {
    const practitioner = await t.gql(
      `{ viewer { person { posts { orgUnit { id } manager { displayName } } } } }`,
      {},
      {
        token: await t.login(PRACTITIONER),
      },
    );
    const unitId = practitioner.data.viewer.person.posts[0].orgUnit.id;
    const owners: string[] = [];
    for (const roleType of ['PRACTITIONER', 'LINE_MANAGER', 'SAFEGUARDING_LEAD', 'SENIOR_MANAGER']) {
      owners.push((await route(unitId, roleType)).owner.displayName);
    }
    expect(owners).toEqual([
      'Practitioner, Portsmouth City Council Children’s Social Care (Portsmouth)',
      'Team Manager, Portsmouth City Council Children’s Social Care (Portsmouth)',
      'Safeguarding Lead, Portsmouth City Council Children’s Social Care (Portsmouth)',
      'Head of Service, Portsmouth City Council Children’s Social Care (Portsmouth)',
    ]);
    expect(practitioner.data.viewer.person.posts[0].manager.displayName).toBe(owners[1]);
  });

  it('removes a deputy', async () => {
    const payload = await ok(REMOVE_DEPUTY, post('sam'));
    expect(payload.post.deputies).toEqual([]);
  });
});
