import { toGlobalId } from '@hips/common';
import { startTestApp, TestApp } from '../support/app';

const CREATE_AGENCY = `mutation($input: CreateAgencyInput!) {
  createAgency(input: $input) { agency { id name type partnerships { code } } userErrors { code field message } }
}`;
const CREATE_UNIT = `mutation($input: CreateOrgUnitInput!) {
  createOrgUnit(input: $input) { orgUnit { id name parent { name } agency { name } } userErrors { code field message } }
}`;
const INVITE = `mutation($input: InvitePersonInput!) {
  invitePerson(input: $input) { person { id displayName agency { name } roles } initialPassword userErrors { code field message } }
}`;
const ASSIGN = `mutation($input: AssignRoleInput!) {
  assignRole(input: $input) { person { id roles } userErrors { code field message } }
}`;
const LOGIN = `mutation($input: LoginInput!) { login(input: $input) { accessToken userErrors { code } } }`;

describe('directory administration', () => {
  let t: TestApp;
  let admin: string;
  const count = async (sql: string, params: unknown[] = []) =>
    (await t.owner.query<{ count: number }[]>(sql, params))[0].count;

  beforeAll(async () => {
    t = await startTestApp();
    admin = await t.login('admin.southampton@demo.hips.test');
  });
  afterAll(() => t.close());

  it('lets a partnership admin build an agency, its units, people and posts', async () => {
    const created = await t.gql(
      CREATE_AGENCY,
      { input: { name: 'Shirley Youth Project', type: 'VOLUNTARY_SECTOR', partnerships: ['SOUTHAMPTON'] } },
      { token: admin },
    );
    expect(created.data.createAgency.userErrors).toEqual([]);
    const agency = created.data.createAgency.agency;
    expect(agency).toMatchObject({
      name: 'Shirley Youth Project',
      type: 'VOLUNTARY_SECTOR',
      partnerships: [{ code: 'SOUTHAMPTON' }],
    });

    const root = await t.gql(
      CREATE_UNIT,
      { input: { agencyId: agency.id, name: 'Youth work' } },
      { token: admin },
    );
    const team = await t.gql(
      CREATE_UNIT,
      { input: { agencyId: agency.id, name: 'Detached team', parentId: root.data.createOrgUnit.orgUnit.id } },
      { token: admin },
    );
    expect(team.data.createOrgUnit.orgUnit).toMatchObject({
      name: 'Detached team',
      parent: { name: 'Youth work' },
      agency: { name: 'Shirley Youth Project' },
    });

    const invited = await t.gql(
      INVITE,
      { input: { agencyId: agency.id, email: 'Kim.Lee@shirley-youth.test', displayName: 'Kim Lee' } },
      { token: admin },
    );
    const { person, initialPassword } = invited.data.invitePerson;
    expect(initialPassword).toMatch(/^[a-z2-9]{5}(-[a-z2-9]{5}){3}$/);
    expect(person).toMatchObject({ displayName: 'Kim Lee', roles: [] });

    const assigned = await t.gql(
      ASSIGN,
      {
        input: {
          personId: person.id,
          orgUnitId: team.data.createOrgUnit.orgUnit.id,
          roleType: 'AGENCY_ADMIN',
          partnerships: ['SOUTHAMPTON'],
        },
      },
      { token: admin },
    );
    expect(assigned.data.assignRole).toEqual({
      person: { id: person.id, roles: ['AGENCY_ADMIN'] },
      userErrors: [],
    });

    const login = await t.gql(LOGIN, {
      input: { email: 'kim.lee@shirley-youth.test', password: initialPassword },
    });
    expect(login.data.login.accessToken).toEqual(expect.any(String));
    const stored: { password_hash: string }[] = await t.owner.query(
      `select password_hash from people where email = 'kim.lee@shirley-youth.test'`,
    );
    expect(stored[0].password_hash).toMatch(/^\$argon2id\$/);

    const actions: { action: string }[] = await t.owner.query(
      `select action from audit_log a join partnerships p on p.id = a.partnership_id
       where p.code = 'SOUTHAMPTON' and action <> 'LOGIN' order by seq`,
    );
    expect(actions.map((a) => a.action)).toEqual(
      expect.arrayContaining(['AGENCY_CREATED', 'ORG_UNIT_CREATED', 'PERSON_INVITED', 'ROLE_ASSIGNED']),
    );
  });

  describe('an agency admin', () => {
    let agencyAdmin: string;
    let ownAgency: string;
    let otherAgency: string;
    let ownUnit: string;

    beforeAll(async () => {
      // A school of this spec's own: its new units would change the demo structure other specs judge.
      const [{ id: hospital }]: { id: string }[] = await t.owner.query(
        `select id from agencies where name = 'University Hospital Southampton NHS Foundation Trust'`,
      );
      const school = await t.gql(
        CREATE_AGENCY,
        {
          input: {
            name: 'Itchen Bridge Primary School (e2e)',
            type: 'EDUCATION',
            partnerships: ['SOUTHAMPTON'],
          },
        },
        { token: admin },
      );
      expect(school.data.createAgency.userErrors).toEqual([]);
      ownAgency = school.data.createAgency.agency.id;
      otherAgency = toGlobalId('Agency', hospital);
      const unit = await t.gql(
        CREATE_UNIT,
        { input: { agencyId: ownAgency, name: 'School office' } },
        { token: admin },
      );
      expect(unit.data.createOrgUnit.userErrors).toEqual([]);
      ownUnit = unit.data.createOrgUnit.orgUnit.id;
      const invited = await t.gql(
        INVITE,
        {
          input: {
            agencyId: ownAgency,
            email: 'bursar@itchen-bridge.test',
            displayName: 'School bursar',
            password: 'a-long-password',
          },
        },
        { token: admin },
      );
      expect(invited.data.invitePerson.userErrors).toEqual([]);
      const assignedAdmin = await t.gql(
        ASSIGN,
        {
          input: {
            personId: invited.data.invitePerson.person.id,
            orgUnitId: ownUnit,
            roleType: 'AGENCY_ADMIN',
            partnerships: ['SOUTHAMPTON'],
          },
        },
        { token: admin },
      );
      expect(assignedAdmin.data.assignRole.userErrors).toEqual([]);
      const login = await t.gql(LOGIN, {
        input: { email: 'bursar@itchen-bridge.test', password: 'a-long-password' },
      });
      agencyAdmin = login.data.login.accessToken;
      expect(agencyAdmin).toEqual(expect.any(String));
    });

    it('manages its own agency', async () => {
      const unit = await t.gql(
        CREATE_UNIT,
        { input: { agencyId: ownAgency, name: 'Pastoral team' } },
        { token: agencyAdmin },
      );
      expect(unit.data.createOrgUnit.userErrors).toEqual([]);
      const person = await t.gql(
        INVITE,
        {
          input: {
            agencyId: ownAgency,
            email: 'dsl@itchen-bridge.test',
            displayName: 'Designated safeguarding lead',
          },
        },
        { token: agencyAdmin },
      );
      const assigned = await t.gql(
        ASSIGN,
        {
          input: {
            personId: person.data.invitePerson.person.id,
            orgUnitId: unit.data.createOrgUnit.orgUnit.id,
            roleType: 'SAFEGUARDING_LEAD',
            partnerships: ['SOUTHAMPTON'],
          },
        },
        { token: agencyAdmin },
      );
      expect(assigned.data.assignRole.userErrors).toEqual([]);
    });

    it('cannot touch another agency, create agencies or hand out partnership roles', async () => {
      const before = await count('select count(*)::int as count from org_units');
      const unit = await t.gql(
        CREATE_UNIT,
        { input: { agencyId: otherAgency, name: 'Not mine' } },
        { token: agencyAdmin },
      );
      expect(unit.data.createOrgUnit.userErrors).toEqual([
        { code: 'FORBIDDEN', field: ['input', 'agencyId'], message: expect.any(String) },
      ]);
      const agency = await t.gql(
        CREATE_AGENCY,
        { input: { name: 'Mine now', type: 'OTHER', partnerships: ['SOUTHAMPTON'] } },
        { token: agencyAdmin },
      );
      expect(agency.data.createAgency.userErrors[0].code).toBe('FORBIDDEN');
      const [{ id: me }]: { id: string }[] = await t.owner.query(
        `select id from people where email = 'bursar@itchen-bridge.test'`,
      );
      const promote = await t.gql(
        ASSIGN,
        {
          input: {
            personId: toGlobalId('Person', me),
            orgUnitId: ownUnit,
            roleType: 'PARTNERSHIP_ADMIN',
            partnerships: ['SOUTHAMPTON'],
          },
        },
        { token: agencyAdmin },
      );
      expect(promote.data.assignRole.userErrors).toEqual([
        { code: 'FORBIDDEN', field: ['input', 'roleType'], message: expect.any(String) },
      ]);
      expect(await count('select count(*)::int as count from org_units')).toBe(before);
    });
  });

  it('refuses bad input with clear codes and writes nothing', async () => {
    const practitioner = await t.login('practitioner.csc.southampton@demo.hips.test');
    const [{ id: csc }]: { id: string }[] = await t.owner.query(
      `select id from agencies where name = 'Southampton City Council Children’s Social Care'`,
    );
    const cscId = toGlobalId('Agency', csc);
    const before = {
      agencies: await count('select count(*)::int as count from agencies'),
      people: await count('select count(*)::int as count from people'),
      posts: await count('select count(*)::int as count from role_assignments'),
    };
    const cases: [string, Record<string, unknown>, string, string, string[] | null][] = [
      [
        CREATE_AGENCY,
        { name: '  ', type: 'OTHER', partnerships: ['SOUTHAMPTON'] },
        'createAgency',
        'VALIDATION',
        ['input', 'name'],
      ],
      [
        CREATE_AGENCY,
        { name: 'x'.repeat(201), type: 'OTHER', partnerships: ['SOUTHAMPTON'] },
        'createAgency',
        'VALIDATION',
        ['input', 'name'],
      ],
      [
        CREATE_AGENCY,
        { name: 'Cross-border', type: 'OTHER', partnerships: ['SOUTHAMPTON', 'PORTSMOUTH'] },
        'createAgency',
        'OUT_OF_SCOPE',
        ['input', 'partnerships'],
      ],
      [
        INVITE,
        { agencyId: cscId, email: 'not-an-email', displayName: 'X' },
        'invitePerson',
        'VALIDATION',
        ['input', 'email'],
      ],
      [
        INVITE,
        { agencyId: cscId, email: 'practitioner.csc.southampton@demo.hips.test', displayName: 'Twin' },
        'invitePerson',
        'DUPLICATE',
        ['input', 'email'],
      ],
      [
        INVITE,
        { agencyId: cscId, email: 'short@pw.test', displayName: 'Short', password: 'short' },
        'invitePerson',
        'VALIDATION',
        ['input', 'password'],
      ],
      [
        INVITE,
        { agencyId: 'bm90LWFuLWlk', email: 'new@x.test', displayName: 'New' },
        'invitePerson',
        'NOT_FOUND',
        ['input', 'agencyId'],
      ],
    ];
    for (const [mutation, input, name, code, field] of cases) {
      const res = await t.gql(mutation, { input }, { token: admin });
      expect({ name, input, errors: res.data[name].userErrors.map((e: any) => [e.code, e.field]) }).toEqual({
        name,
        input,
        errors: [[code, field]],
      });
    }
    const forbidden = await t.gql(
      CREATE_AGENCY,
      { input: { name: 'By a practitioner', type: 'OTHER', partnerships: ['SOUTHAMPTON'] } },
      { token: practitioner },
    );
    expect(forbidden.data.createAgency.userErrors[0].code).toBe('FORBIDDEN');
    const hips = await t.gql(
      ASSIGN,
      {
        input: {
          personId: toGlobalId('Person', '00000000-0000-4000-8000-000000000001'),
          orgUnitId: toGlobalId('OrgUnit', '00000000-0000-4000-8000-000000000002'),
          roleType: 'HIPS_ANALYST',
          partnerships: ['SOUTHAMPTON'],
        },
      },
      { token: admin },
    );
    expect(hips.data.assignRole.userErrors[0].code).toBe('FORBIDDEN');
    expect({
      agencies: await count('select count(*)::int as count from agencies'),
      people: await count('select count(*)::int as count from people'),
      posts: await count('select count(*)::int as count from role_assignments'),
    }).toEqual(before);
  });

  it('answers malformed GraphQL, unknown fields and wrong types with GraphQL errors', async () => {
    const parse = await t.http
      .post('/graphql')
      .set('content-type', 'application/json')
      .send({ query: '{ viewer { ' });
    expect(parse.status).toBe(400);
    expect(parse.body.errors[0].extensions.code).toBe('GRAPHQL_PARSE_FAILED');
    const unknown = await t.gql('{ viewer { secret } }', {}, { token: admin });
    expect(unknown.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const wrongType = await t.gql(
      CREATE_AGENCY,
      { input: { name: 1, type: 'SPACESHIP', partnerships: 'X' } },
      { token: admin },
    );
    expect(wrongType.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const deep = `{ viewer { person { agency { orgUnits { agency { orgUnits { agency { orgUnits { agency { orgUnits { agency { orgUnits { name } } } } } } } } } } } } }`;
    const tooDeep = await t.gql(deep, {}, { token: admin });
    expect(tooDeep.errors?.[0].message).toMatch(/nested \d+ levels deep/);
  });
});
