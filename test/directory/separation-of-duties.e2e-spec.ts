import { randomBytes } from 'node:crypto';
import { toGlobalId } from '@hips/common';
import { DEMO_PASSWORD, startTestApp, TestApp } from '../support/app';
import { agencyId, POLICE, RAISE, raiseInput } from '../escalations/support';

/**
 * Separation of duties (docs/security/separation-of-duties.md): nobody grants themselves anything, case-seeing roles
 * need a second admin, manager chains stay within an agency and acyclic, and every change is shown to the
 * partnership manager. Everything here happens to people and agencies this spec creates.
 */
const ADMIN = 'admin.portsmouth@demo.hips.test';
const MANAGER = 'partnership-manager.portsmouth@demo.hips.test';
const OTHER_MANAGER = 'partnership-manager.southampton@demo.hips.test';
const OTHER_ADMIN = 'admin.southampton@demo.hips.test';
const uuidOf = (globalId: string) => Buffer.from(globalId, 'base64url').toString('utf8').split(':')[1];

const ASSIGN = `mutation($input: AssignRoleInput!) {
  assignRole(input: $input) { person { id roles } userErrors { code field message } } }`;
const REVOKE = `mutation($input: RevokeRoleInput!) {
  revokeRole(input: $input) { person { id roles } userErrors { code field message } } }`;
const GRANT_FIELDS = `id status roleType partnership expiresAt declineReason
  person { id } requestedBy { id } decidedBy { id } orgUnit { id }`;
const REQUEST = `mutation($input: RequestRoleGrantInput!) {
  requestRoleGrant(input: $input) { grant { ${GRANT_FIELDS} } userErrors { code field message } } }`;
const APPROVE = `mutation($input: ApproveRoleGrantInput!) {
  approveRoleGrant(input: $input) { grant { ${GRANT_FIELDS} } userErrors { code field message } } }`;
const DECLINE = `mutation($input: DeclineRoleGrantInput!) {
  declineRoleGrant(input: $input) { grant { ${GRANT_FIELDS} } userErrors { code field message } } }`;
const GRANTS = `query($status: RoleGrantStatus) { roleGrants(status: $status) { ${GRANT_FIELDS} } }`;
const ADD_DEPUTY = `mutation($input: AddDeputyInput!) { addDeputy(input: $input) { userErrors { code field message } } }`;
const ACCESS_CHANGES = `query($first: Int, $after: String) { accessChanges(first: $first, after: $after) {
  totalCount pageInfo { hasNextPage endCursor }
  edges { node { id at action actorType roleType grantId reason actor { id } person { id } orgUnit { id }
    manager { id } previousManager { id } deputy { id } requestedBy { id } } } } }`;
const ROLES = `{ viewer { roles } }`;

jest.setTimeout(90_000);

describe('separation of duties', () => {
  let t: TestApp;
  let admin: string;
  let adminId: string;
  const tag = randomBytes(3).toString('hex');
  const ids: Record<string, string> = {};
  const tokens: Record<string, string> = {};

  const gql = async (query: string, variables: Record<string, unknown>, token: string) => {
    const res = await t.gql(query, variables, { token });
    expect(res.errors).toBeUndefined();
    return Object.values(res.data)[0];
  };
  const codes = (payload: { userErrors: { code: string }[] }) => payload.userErrors.map((e) => e.code);
  const post = (person: string, unit: string, roleType: string, manager?: string) => ({
    personId: ids[person],
    orgUnitId: ids[unit],
    roleType,
    partnerships: ['PORTSMOUTH'],
    managerPersonId: manager ? ids[manager] : null,
  });
  const rolesOf = async (person: string) =>
    (
      await t.owner.query<{ role_type: string }[]>(
        'select role_type from role_assignments where person_id = $1 order by role_type',
        [uuidOf(ids[person])],
      )
    ).map((r) => r.role_type);

  beforeAll(async () => {
    t = await startTestApp();
    admin = await t.login(ADMIN);
    adminId = (await gql(`{ viewer { person { id } } }`, {}, admin)).person.id;
    const agency = async (key: string) => {
      const res = await gql(
        `mutation($input: CreateAgencyInput!) { createAgency(input: $input) { agency { id } userErrors { code } } }`,
        { input: { name: `Duties ${key} ${tag}`, type: 'OTHER', partnerships: ['PORTSMOUTH'] } },
        admin,
      );
      ids[key] = res.agency.id;
      const unit = await gql(
        `mutation($input: CreateOrgUnitInput!) { createOrgUnit(input: $input) { orgUnit { id } userErrors { code } } }`,
        { input: { agencyId: ids[key], name: `Duties ${key} unit ${tag}` } },
        admin,
      );
      ids[`${key}Unit`] = unit.orgUnit.id;
    };
    await agency('agency');
    await agency('other');
    const people: [string, string][] = [
      ['b', 'agency'], // second partnership admin
      ['c', 'agency'], // third partnership admin
      ['g', 'agency'], // grantee of case-seeing roles
      ['x', 'agency'], // agency admin
      ['owner', 'agency'], // a stage owner
      ['m1', 'agency'],
      ['m2', 'agency'],
      ['nopost', 'agency'],
      ['stranger', 'other'],
    ];
    for (const [key, agencyKey] of people) {
      const email = `${key}.${tag}@duties.test`;
      const res = await gql(
        `mutation($input: InvitePersonInput!) { invitePerson(input: $input) { person { id } userErrors { code } } }`,
        {
          input: {
            agencyId: ids[agencyKey],
            email,
            displayName: `Duties ${key} ${tag}`,
            password: DEMO_PASSWORD,
          },
        },
        admin,
      );
      ids[key] = res.person.id;
    }
    // A partnership needs a second and third admin before anyone can be granted a case-seeing role; like the first,
    // they are set up by operations (here: the owner connection), since one admin alone can no longer make another.
    for (const key of ['b', 'c']) {
      await t.owner.query(
        `insert into role_assignments (partnership_id, person_id, org_unit_id, role_type)
         select id, $1, $2, 'PARTNERSHIP_ADMIN' from partnerships where code = 'PORTSMOUTH'`,
        [uuidOf(ids[key]), uuidOf(ids.agencyUnit)],
      );
    }
    for (const [person, role] of [
      ['x', 'AGENCY_ADMIN'],
      ['owner', 'PRACTITIONER'],
      ['m1', 'LINE_MANAGER'],
      ['m2', 'SENIOR_MANAGER'],
    ]) {
      expect(codes(await gql(ASSIGN, { input: post(person, 'agencyUnit', role) }, admin))).toEqual([]);
    }
    expect(codes(await gql(ASSIGN, { input: post('stranger', 'otherUnit', 'LINE_MANAGER') }, admin))).toEqual(
      [],
    );
    for (const key of ['b', 'c', 'g', 'x']) tokens[key] = await t.login(`${key}.${tag}@duties.test`);
  });
  afterAll(async () => {
    try {
      // The partnership-level posts given to this spec's people (partnership admin and manager, scrutineer) reach
      // every Portsmouth case's notifications and oversight: take them away again, so other specs meet the
      // partnership as seeded (docs/testing/test-practice.md).
      const partnershipPosts = (): Promise<{ person_id: string; org_unit_id: string; role_type: string }[]> =>
        t.owner.query(
          `select r.person_id, r.org_unit_id, r.role_type
             from role_assignments r join partnerships p on p.id = r.partnership_id
            where p.code = 'PORTSMOUTH' and r.person_id = any($1)
              and r.role_type in ('PARTNERSHIP_ADMIN', 'PARTNERSHIP_MANAGER', 'SCRUTINEER')`,
          [['b', 'c', 'g', 'x', 'owner', 'm1', 'm2', 'nopost', 'stranger'].map((k) => uuidOf(ids[k]))],
        );
      const held = await partnershipPosts();
      for (const { person_id, org_unit_id, role_type } of held) {
        const revoke = {
          personId: toGlobalId('Person', person_id),
          orgUnitId: toGlobalId('OrgUnit', org_unit_id),
          roleType: role_type,
        };
        expect(codes(await gql(REVOKE, { input: revoke }, admin))).toEqual([]);
      }
      expect(await partnershipPosts()).toEqual([]);
    } finally {
      await t.close();
    }
  });

  it('refuses any role, post or deputyship given to oneself, and writes nothing', async () => {
    const [adminPost]: { org_unit_id: string }[] = await t.owner.query(
      `select ra.org_unit_id from role_assignments ra join people p on p.id = ra.person_id
        where p.email = $1 and ra.role_type = 'PARTNERSHIP_ADMIN'`,
      [ADMIN],
    );
    const ownUnit = Buffer.from(`OrgUnit:${adminPost.org_unit_id}`).toString('base64url');
    const before = await t.owner.query('select count(*)::int as n from role_assignments');
    const self = (roleType: string) => ({
      personId: adminId,
      orgUnitId: ownUnit,
      roleType,
      partnerships: ['PORTSMOUTH'],
    });
    const direct = await gql(ASSIGN, { input: self('ANALYST') }, admin);
    expect(direct.userErrors).toEqual([
      { code: 'SELF_GRANT', field: ['input', 'personId'], message: expect.any(String) },
    ]);
    expect(codes(await gql(REQUEST, { input: self('SCRUTINEER') }, admin))).toEqual(['SELF_GRANT']);
    // An agency admin cannot give itself a post in its own agency either.
    const agencyAdminSelf = await gql(ASSIGN, { input: post('x', 'agencyUnit', 'LINE_MANAGER') }, tokens.x);
    expect(codes(agencyAdminSelf)).toEqual(['SELF_GRANT']);
    const deputy = await gql(
      ADD_DEPUTY,
      {
        input: {
          personId: ids.owner,
          orgUnitId: ids.agencyUnit,
          roleType: 'PRACTITIONER',
          deputyPersonId: ids.x,
        },
      },
      tokens.x,
    );
    expect(codes(deputy)).toEqual(['SELF_GRANT']);
    expect(await t.owner.query('select count(*)::int as n from role_assignments')).toEqual(before);
    expect(await rolesOf('x')).toEqual(['AGENCY_ADMIN']);
  });

  it('grants a case-seeing role only when a second admin, not the grantee, approves', async () => {
    const direct = await gql(ASSIGN, { input: post('g', 'agencyUnit', 'SCRUTINEER') }, admin);
    expect(direct.userErrors).toEqual([
      { code: 'SECOND_ADMIN_REQUIRED', field: ['input', 'roleType'], message: expect.any(String) },
    ]);
    expect(await rolesOf('g')).toEqual([]);

    // A case in the partnership that the grantee has nothing to do with.
    const raised = await gql(
      RAISE,
      { input: raiseInput(await agencyId(t, POLICE)) },
      await t.login('practitioner.csc.portsmouth@demo.hips.test'),
    );
    expect(raised.userErrors).toEqual([]);
    const caseId = raised.escalation.id;
    const CHILD = `query($id: ID!) { escalation(id: $id) { child { initials } } }`;
    const grantee = await t.login(`g.${tag}@duties.test`);
    expect(
      (await t.gql(CHILD, { id: caseId }, { token: grantee })).data.escalation?.child ?? null,
    ).toBeNull();

    const requested = await gql(REQUEST, { input: post('g', 'agencyUnit', 'SCRUTINEER') }, admin);
    expect(requested.userErrors).toEqual([]);
    const grant = requested.grant;
    expect(grant).toMatchObject({
      status: 'PENDING',
      roleType: 'SCRUTINEER',
      partnership: 'PORTSMOUTH',
      person: { id: ids.g },
      requestedBy: { id: adminId },
      decidedBy: null,
    });
    const hours = (Date.parse(grant.expiresAt) - Date.now()) / 3_600_000;
    expect(hours).toBeGreaterThan(71);
    expect(hours).toBeLessThanOrEqual(72);
    expect(codes(await gql(REQUEST, { input: post('g', 'agencyUnit', 'SCRUTINEER') }, admin))).toEqual([
      'DUPLICATE',
    ]);
    expect(await rolesOf('g')).toEqual([]);
    expect((await gql(ROLES, {}, grantee)).roles).toEqual([]);
    const pending = await gql(GRANTS, {}, tokens.b);
    expect(pending.map((g: { id: string }) => g.id)).toContain(grant.id);

    // The requester cannot approve; nor can the grantee (not an admin here); another partnership's admin cannot see it.
    expect(codes(await gql(APPROVE, { input: { grantId: grant.id } }, admin))).toEqual([
      'SECOND_ADMIN_REQUIRED',
    ]);
    expect(codes(await gql(APPROVE, { input: { grantId: grant.id } }, grantee))).toEqual(['FORBIDDEN']);
    const other = await t.login(OTHER_ADMIN);
    expect(codes(await gql(APPROVE, { input: { grantId: grant.id } }, other))).toEqual(['NOT_FOUND']);
    expect((await gql(GRANTS, {}, other)).map((g: { id: string }) => g.id)).not.toContain(grant.id);
    expect(await rolesOf('g')).toEqual([]);

    const approved = await gql(APPROVE, { input: { grantId: grant.id } }, tokens.b);
    expect(approved.userErrors).toEqual([]);
    expect(approved.grant).toMatchObject({ status: 'APPROVED', decidedBy: { id: ids.b } });
    expect(codes(await gql(APPROVE, { input: { grantId: grant.id } }, tokens.c))).toEqual(['INVALID_STATE']);
    expect((await gql(ROLES, {}, grantee)).roles).toEqual(['SCRUTINEER']);
    expect((await gql(CHILD, { id: caseId }, grantee)).child).toEqual({ initials: 'QZ' });
  });

  it('does not let an admin approve a grant for themselves', async () => {
    const requested = await gql(REQUEST, { input: post('b', 'agencyUnit', 'PARTNERSHIP_MANAGER') }, admin);
    expect(requested.userErrors).toEqual([]);
    const grantId = requested.grant.id;
    expect((await gql(APPROVE, { input: { grantId } }, tokens.b)).userErrors).toEqual([
      {
        code: 'SELF_GRANT',
        field: ['input', 'grantId'],
        message: 'The grantee cannot approve their own grant',
      },
    ]);
    expect(await rolesOf('b')).toEqual(['PARTNERSHIP_ADMIN']);
    expect((await gql(APPROVE, { input: { grantId } }, tokens.c)).userErrors).toEqual([]);
    expect(await rolesOf('b')).toEqual(['PARTNERSHIP_ADMIN', 'PARTNERSHIP_MANAGER']);
  });

  it('declines and expires pending grants; neither can be approved afterwards', async () => {
    const declined = await gql(REQUEST, { input: post('m1', 'agencyUnit', 'PARTNERSHIP_MANAGER') }, admin);
    const decided = await gql(
      DECLINE,
      { input: { grantId: declined.grant.id, reason: 'not needed' } },
      tokens.b,
    );
    expect(decided.grant).toMatchObject({
      status: 'DECLINED',
      declineReason: 'not needed',
      decidedBy: { id: ids.b },
    });
    expect(codes(await gql(APPROVE, { input: { grantId: declined.grant.id } }, tokens.c))).toEqual([
      'INVALID_STATE',
    ]);

    const expiring = await gql(REQUEST, { input: post('m2', 'agencyUnit', 'SCRUTINEER') }, admin);
    await t.owner.query(
      `update role_grant_requests set expires_at = now() - interval '1 minute' where id = $1`,
      [uuidOf(expiring.grant.id)],
    );
    const expired = await gql(GRANTS, { status: 'EXPIRED' }, tokens.b);
    expect(expired.map((g: { id: string }) => g.id)).toContain(expiring.grant.id);
    expect(codes(await gql(APPROVE, { input: { grantId: expiring.grant.id } }, tokens.b))).toEqual([
      'GRANT_EXPIRED',
    ]);
    expect(await rolesOf('m1')).toEqual(['LINE_MANAGER']);
    expect(await rolesOf('m2')).toEqual(['SENIOR_MANAGER']);
    // It can be requested again.
    expect(codes(await gql(REQUEST, { input: post('m2', 'agencyUnit', 'SCRUTINEER') }, admin))).toEqual([]);
  });

  it('keeps manager chains inside the agency, acyclic and out of the admin’s own hands', async () => {
    const manage = (manager: string, token = tokens.x, person = 'owner', role = 'PRACTITIONER') =>
      gql(ASSIGN, { input: post(person, 'agencyUnit', role, manager) }, token);
    const before = await t.owner.query(
      'select manager_person_id from role_assignments where person_id = $1',
      [uuidOf(ids.owner)],
    );
    expect(codes(await manage('x'))).toEqual(['SELF_GRANT']);
    expect(codes(await manage('stranger'))).toEqual(['MANAGER_OUT_OF_AGENCY']);
    expect(codes(await manage('nopost'))).toEqual(['MANAGER_OUT_OF_AGENCY']);
    expect(
      await t.owner.query('select manager_person_id from role_assignments where person_id = $1', [
        uuidOf(ids.owner),
      ]),
    ).toEqual(before);

    // owner → m1 → m2; then m2 under owner would close a loop.
    expect(codes(await manage('m1'))).toEqual([]);
    expect(codes(await manage('m2', tokens.x, 'm1', 'LINE_MANAGER'))).toEqual([]);
    expect(codes(await manage('owner', tokens.x, 'm2', 'SENIOR_MANAGER'))).toEqual(['MANAGER_CYCLE']);

    // An admin already above m2 cannot hang someone under m2: that would put the admin above them.
    await t.owner.query(`update role_assignments set manager_person_id = $1 where person_id = $2`, [
      uuidOf(ids.x),
      uuidOf(ids.m2),
    ]);
    expect(codes(await manage('m2', tokens.x, 'g', 'PRACTITIONER'))).toEqual(['SELF_GRANT']);
    expect(codes(await manage('m2', admin, 'g', 'PRACTITIONER'))).toEqual([]);
  });

  it('audits every grant, revocation and manager change, shown to the partnership manager only', async () => {
    const revoke = { personId: ids.g, orgUnitId: ids.agencyUnit, roleType: 'SCRUTINEER' };
    expect(codes(await gql(REVOKE, { input: revoke }, admin))).toEqual([]);
    expect(await rolesOf('g')).toEqual(['PRACTITIONER']);

    const subjects = new Set(['g', 'owner', 'm1', 'm2', 'b'].map((k) => ids[k]));
    const manager = await t.login(MANAGER);
    const changes: any[] = [];
    let after: string | null = null;
    do {
      const page: any = await gql(ACCESS_CHANGES, { first: 100, after }, manager);
      changes.push(...page.edges.map((e: { node: unknown }) => e.node));
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after);
    const mine = changes.filter((c) => c.person && subjects.has(c.person.id));
    const ofG = mine.filter((c) => c.person.id === ids.g && c.roleType === 'SCRUTINEER').map((c) => c.action);
    expect(ofG).toEqual(['ROLE_REVOKED', 'ROLE_ASSIGNED', 'ROLE_GRANT_APPROVED', 'ROLE_GRANT_REQUESTED']);
    const assigned = mine.find(
      (c) => c.person.id === ids.g && c.action === 'ROLE_ASSIGNED' && c.roleType === 'SCRUTINEER',
    );
    expect(assigned).toMatchObject({
      actorType: 'PERSON',
      actor: { id: ids.b },
      requestedBy: { id: adminId },
    });
    expect(assigned.grantId).toEqual(expect.any(String));
    const changed = mine.find((c) => c.action === 'MANAGER_CHANGED' && c.person.id === ids.owner);
    expect(changed).toMatchObject({ actor: { id: ids.x }, manager: { id: ids.m1 }, previousManager: null });
    expect(mine.find((c) => c.action === 'ROLE_GRANT_DECLINED')).toMatchObject({ reason: 'not needed' });

    const rows: { action: string }[] = await t.owner.query(
      `select action from audit_log where entity_id = $1 and action like 'ROLE_%' order by seq`,
      [uuidOf(ids.g)],
    );
    expect(rows.map((r) => r.action)).toEqual([
      'ROLE_GRANT_REQUESTED',
      'ROLE_GRANT_APPROVED',
      'ROLE_ASSIGNED',
      'ROLE_ASSIGNED',
      'ROLE_REVOKED',
    ]);

    // Another partnership's manager sees none of it; people without oversight may not ask.
    const elsewhere = await gql(ACCESS_CHANGES, { first: 100 }, await t.login(OTHER_MANAGER));
    expect(elsewhere.edges.filter((e: any) => e.node.person && subjects.has(e.node.person.id))).toEqual([]);
    const rls: { n: number }[] = await t.owner.query(
      `select count(*)::int as n from audit_log a join partnerships p on p.id = a.partnership_id
        where p.code = 'SOUTHAMPTON' and a.entity_id = $1`,
      [uuidOf(ids.g)],
    );
    expect(rls[0].n).toBe(0);
    const refused = await t.gql(ACCESS_CHANGES, { first: 1 }, { token: tokens.x });
    expect(refused.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });
});
