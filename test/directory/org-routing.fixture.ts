import { randomBytes } from 'node:crypto';
import { startTestApp } from '../support/app';

export const ADMIN = 'admin.portsmouth@demo.hips.test';
export const OTHER_ADMIN = 'admin.southampton@demo.hips.test';
export const PRACTITIONER = 'practitioner.csc.portsmouth@demo.hips.test';
export const AT = '2030-06-12T10:00:00Z';
export const uuidOf = (globalId: string) => Buffer.from(globalId, 'base64url').toString('utf8').split(':')[1];

export const ROUTE = `query($input: RouteStageOwnerInput!) {
  routeStageOwner(input: $input) {
    route { owner { id displayName } failure explanation on holderUnit { name }
            steps { kind outcome absentUntil absenceReason person { displayName } } }
    userErrors { code field message }
  }
}`;
export const ADD_DEPUTY = `mutation($input: AddDeputyInput!) {
  addDeputy(input: $input) {
    post { roleType holder { displayName } orgUnit { name } manager { displayName } deputies { id displayName } }
    userErrors { code field message }
  }
}`;
export const REMOVE_DEPUTY = `mutation($input: RemoveDeputyInput!) {
  removeDeputy(input: $input) { post { deputies { id } } userErrors { code field message } }
}`;
export const RECORD_ABSENCE = `mutation($input: RecordAbsenceInput!) {
  recordAbsence(input: $input) {
    absence { id from to reason cancelledAt person { displayName } }
    userErrors { code field message }
  }
}`;
export const CANCEL_ABSENCE = `mutation($input: CancelAbsenceInput!) {
  cancelAbsence(input: $input) { absence { id cancelledAt } userErrors { code field message } }
}`;
export const PROBLEMS = `{ structuralProblems { code message roleType agency { id } unit { id name } person { id displayName } } }`;

/**
 * An agency of the spec's own in Portsmouth with a unit tree (root > team > desk, a loop, an outpost) and people
 * holding posts under a manager chain, one chain closed into a cycle behind the API's back; `ids` names them.
 */
export async function startRoutingFixture() {
  const t = await startTestApp();
  const admin = await t.login(ADMIN);
  const tag = randomBytes(3).toString('hex');
  const ids: Record<string, string> = {};

  const mutate = async (query: string, input: Record<string, unknown>, token = admin) => {
    const res = await t.gql(query, { input }, { token });
    expect(res.errors).toBeUndefined();
    return Object.values(res.data)[0];
  };
  const ok = async (query: string, input: Record<string, unknown>) => {
    const payload = await mutate(query, input);
    expect(payload.userErrors).toEqual([]);
    return payload;
  };
  const route = async (orgUnitId: string, roleType = 'LINE_MANAGER', token = admin) =>
    (await mutate(ROUTE, { orgUnitId, roleType, at: AT }, token)).route;
  const count = async (table: string) =>
    Number((await t.owner.query(`select count(*)::int as n from ${table}`))[0].n);

  const agency = await ok(
    `mutation($input: CreateAgencyInput!) { createAgency(input: $input) { agency { id } userErrors { code message } } }`,
    { name: `Routing test agency ${tag}`, type: 'OTHER', partnerships: ['PORTSMOUTH'] },
  );
  ids.agency = agency.agency.id;
  const unit = async (key: string, name: string, parentId?: string) => {
    const res = await ok(
      `mutation($input: CreateOrgUnitInput!) { createOrgUnit(input: $input) { orgUnit { id } userErrors { code message } } }`,
      { agencyId: ids.agency, name, parentId },
    );
    ids[key] = res.orgUnit.id;
  };
  await unit('root', `RT Directorate ${tag}`);
  await unit('team', `RT Team ${tag}`, ids.root);
  await unit('desk', `RT Desk ${tag}`, ids.team);
  await unit('loop', `RT Loop ${tag}`, ids.root);
  await unit('outpost', `RT Outpost ${tag}`);
  const people: [string, string][] = [
    ['prac', 'Pat Practitioner'],
    ['jo', 'Jo Bloggs'],
    ['sam', 'Sam Smith'],
    ['kim', 'Kim Kay'],
    ['lee', 'Lee Lane'],
    ['c1', 'Cy One'],
    ['c2', 'Cy Two'],
    ['lone', 'Lone Worker'],
  ];
  for (const [key, name] of people) {
    const res = await ok(
      `mutation($input: InvitePersonInput!) { invitePerson(input: $input) { person { id } userErrors { code message } } }`,
      { agencyId: ids.agency, email: `${key}.${tag}@routing.test`, displayName: `${name} ${tag}` },
    );
    ids[key] = res.person.id;
  }
  const assign = (person: string, unitKey: string, roleType: string, manager?: string) =>
    ok(
      `mutation($input: AssignRoleInput!) { assignRole(input: $input) { person { id } userErrors { code message } } }`,
      {
        personId: ids[person],
        orgUnitId: ids[unitKey],
        roleType,
        partnerships: ['PORTSMOUTH'],
        managerPersonId: manager ? ids[manager] : null,
      },
    );
  await assign('lee', 'root', 'SENIOR_MANAGER');
  await assign('kim', 'team', 'SAFEGUARDING_LEAD', 'lee');
  await assign('jo', 'team', 'LINE_MANAGER', 'kim');
  await assign('sam', 'team', 'PRACTITIONER', 'jo');
  await assign('prac', 'desk', 'PRACTITIONER', 'jo');
  await assign('c2', 'loop', 'PRACTITIONER');
  await assign('c1', 'loop', 'LINE_MANAGER', 'c2');
  // The API refuses a loop (MANAGER_CYCLE); routing and structuralProblems must still cope with one in data
  // written before that check or behind the API's back, so the loop is closed through the owner connection.
  await t.owner.query('update role_assignments set manager_person_id = $1 where person_id = $2', [
    uuidOf(ids.c1),
    uuidOf(ids.c2),
  ]);
  await assign('lone', 'outpost', 'PRACTITIONER');

  const post = (deputy: string) => ({
    personId: ids.jo,
    orgUnitId: ids.team,
    roleType: 'LINE_MANAGER',
    deputyPersonId: ids[deputy],
  });

  return { t, admin, tag, ids, mutate, ok, route, count, post };
}

export type RoutingFixture = Awaited<ReturnType<typeof startRoutingFixture>>;
