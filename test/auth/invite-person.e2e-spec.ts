import { randomBytes } from 'node:crypto';
import argon2 from 'argon2';
import { fromGlobalId } from '@hips/common';
import { startTestApp, TestApp } from '../support/app';
import { createOwnAgency } from '../support/fixtures';

const INVITE = `mutation($input: InvitePersonInput!) {
  invitePerson(input: $input) { person { id displayName agency { name } roles } initialPassword userErrors { code field message } }
}`;
const ASSIGN = `mutation($input: AssignRoleInput!) {
  assignRole(input: $input) { person { displayName roles } userErrors { code field message } }
}`;
const LOGIN = `mutation($input: LoginInput!) {
  login(input: $input) { accessToken viewer { partnership { code } person { displayName } } userErrors { code } }
}`;

/**
 * Inviting an e-mail that has an account in another partnership answers exactly as inviting a new one
 * (docs/security/authentication.md, "Inviting people").
 */
describe('inviting a person whose e-mail has an account elsewhere', () => {
  let t: TestApp;
  let admin: string;
  let agencyId: string;
  let agencyName: string;
  let unitId: string;
  const tag = randomBytes(4).toString('hex');
  const elsewhere = `elsewhere-${tag}@invite.test`;
  const elsewherePassword = 'portsmouth password 1';

  const portsmouthTrail = async () =>
    (
      await t.owner.query<{ count: number }[]>(
        `select count(*)::int as count from audit_log a join partnerships p on p.id = a.partnership_id
         where p.code = 'PORTSMOUTH'`,
      )
    )[0].count;

  beforeAll(async () => {
    t = await startTestApp();
    admin = await t.login('admin.southampton@demo.hips.test');
    // An agency of this spec's own: specs never change the demo structure (docs/testing/test-practice.md).
    const own = await createOwnAgency(t, {
      adminEmail: 'admin.southampton@demo.hips.test',
      partnership: 'SOUTHAMPTON',
      label: `Invitations ${tag}`,
      people: [],
    });
    agencyId = own.agencyId;
    agencyName = own.name;
    unitId = own.unitId;
    const [home]: { agency_id: string; partnership_id: string }[] = await t.owner.query(
      `select m.agency_id, m.partnership_id from agency_memberships m
       join partnerships p on p.id = m.partnership_id where p.code = 'PORTSMOUTH' limit 1`,
    );
    await t.owner.query(
      `insert into people (email, display_name, agency_id, home_partnership_id, password_hash)
       values ($1, 'Portsmouth Professional', $2, $3, $4)`,
      [
        elsewhere,
        home.agency_id,
        home.partnership_id,
        await argon2.hash(elsewherePassword, { type: argon2.argon2id, memoryCost: 1024, timeCost: 1 }),
      ],
    );
  });
  afterAll(() => t.close());

  /** What the caller sees, with what necessarily differs (the new id, the generated password) reduced to its form. */
  function shape(payload: any) {
    const { person, initialPassword, userErrors } = payload;
    return {
      userErrors,
      person: person && {
        ...person,
        id: fromGlobalId(person.id)?.type,
        displayName: typeof person.displayName,
      },
      initialPassword:
        initialPassword === null ? null : /^[a-z2-9]{5}(-[a-z2-9]{5}){3}$/.test(initialPassword),
    };
  }

  async function inviteAndUse(email: string, displayName: string, password?: string) {
    const invited = await t.gql(
      INVITE,
      { input: { agencyId, email, displayName, password } },
      { token: admin },
    );
    const payload = invited.data.invitePerson;
    const assigned = await t.gql(
      ASSIGN,
      {
        input: {
          personId: payload.person?.id,
          orgUnitId: unitId,
          roleType: 'PRACTITIONER',
          partnerships: ['SOUTHAMPTON'],
        },
      },
      { token: admin },
    );
    const login = await t.gql(LOGIN, {
      input: { email, password: password ?? payload.initialPassword },
    });
    return {
      invited: shape(payload),
      displayName: payload.person?.displayName,
      assigned: assigned.data.assignRole,
      login: { ...login.data.login, accessToken: typeof login.data.login.accessToken },
    };
  }

  it('answers, assigns and logs in exactly as for a new e-mail, and leaves the other account alone', async () => {
    const trailBefore = await portsmouthTrail();
    const [before]: unknown[] = await t.owner.query('select * from people where email = $1', [elsewhere]);

    const existing = await inviteAndUse(elsewhere, 'Sam Invited');
    const fresh = await inviteAndUse(`new-${tag}@invite.test`, 'Sam Invited');
    expect(existing).toEqual(fresh);
    expect(fresh).toEqual({
      invited: {
        userErrors: [],
        person: { id: 'Person', displayName: 'string', agency: { name: agencyName }, roles: [] },
        initialPassword: true,
      },
      displayName: 'Sam Invited',
      assigned: { person: { displayName: 'Sam Invited', roles: ['PRACTITIONER'] }, userErrors: [] },
      login: {
        accessToken: 'string',
        viewer: { partnership: { code: 'SOUTHAMPTON' }, person: { displayName: 'Sam Invited' } },
        userErrors: [],
      },
    });

    // With a password chosen by the admin, too.
    const again = `again-${tag}@invite.test`;
    await t.owner.query(
      `insert into people (email, display_name, agency_id, home_partnership_id, password_hash)
       select $1, 'Another Portsmouth Professional', agency_id, home_partnership_id, password_hash
       from people where email = $2 and display_name = 'Portsmouth Professional'`,
      [again, elsewhere],
    );
    expect(await inviteAndUse(again, 'Chosen Password', 'chosen password 1')).toEqual(
      await inviteAndUse(`chosen-${tag}@invite.test`, 'Chosen Password', 'chosen password 1'),
    );

    // The account in Portsmouth is untouched, learns nothing and still logs in there with its own password.
    const [after]: unknown[] = await t.owner.query(
      `select * from people where email = $1 and display_name = 'Portsmouth Professional'`,
      [elsewhere],
    );
    expect(after).toEqual(before);
    expect(await portsmouthTrail()).toBe(trailBefore);
    const own = await t.gql(LOGIN, { input: { email: elsewhere, password: elsewherePassword } });
    expect(own.data.login.viewer).toEqual({
      partnership: { code: 'PORTSMOUTH' },
      person: { displayName: 'Portsmouth Professional' },
    });
  });

  it('still refuses an e-mail this partnership can already see, as DUPLICATE', async () => {
    const email = `twice-${tag}@invite.test`;
    const first = await t.gql(INVITE, { input: { agencyId, email, displayName: 'Once' } }, { token: admin });
    expect(first.data.invitePerson.userErrors).toEqual([]);
    const second = await t.gql(
      INVITE,
      { input: { agencyId, email: email.toUpperCase(), displayName: 'Twice' } },
      { token: admin },
    );
    expect(second.data.invitePerson.userErrors).toEqual([
      { code: 'DUPLICATE', field: ['input', 'email'], message: 'A person with this e-mail already exists' },
    ]);
  });
});
