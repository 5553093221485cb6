import { randomBytes } from 'node:crypto';
import { DEMO_PASSWORD, TestApp } from './app';

/**
 * An agency of a spec's own (docs/testing/test-practice.md): made through the API by a partnership admin, with one
 * unit and the people a spec needs, so the spec may change their absences, deputies, managers or cases without
 * touching the shared demo data. Every name carries a random tag, so a spec may be run again in the same database.
 */
export interface OwnAgency {
  /** Global ids. */
  agencyId: string;
  unitId: string;
  /** Key → global person id. */
  people: Record<string, string>;
  /** Key → login email (the password is the demo password). */
  emails: Record<string, string>;
  name: string;
}

export interface OwnPerson {
  key: string;
  roleType: string;
  /** The key of this person's manager, listed earlier. */
  manager?: string;
}

async function ok(t: TestApp, token: string, query: string, input: Record<string, unknown>) {
  const res = await t.gql(query, { input }, { token });
  if (res.errors) throw new Error(`fixture: ${JSON.stringify(res.errors)}`);
  const payload = Object.values(res.data)[0] as Record<string, any>;
  if (payload.userErrors.length > 0) throw new Error(`fixture: ${JSON.stringify(payload.userErrors)}`);
  return payload;
}

export async function createOwnAgency(
  t: TestApp,
  options: { adminEmail: string; partnership: string; label: string; people: OwnPerson[]; type?: string },
): Promise<OwnAgency> {
  const token = await t.login(options.adminEmail);
  const tag = randomBytes(3).toString('hex');
  const name = `${options.label} ${tag}`;
  const agency = await ok(
    t,
    token,
    `mutation($input: CreateAgencyInput!) { createAgency(input: $input) { agency { id } userErrors { code message } } }`,
    { name, type: options.type ?? 'OTHER', partnerships: [options.partnership] },
  );
  const agencyId: string = agency.agency.id;
  const unit = await ok(
    t,
    token,
    `mutation($input: CreateOrgUnitInput!) { createOrgUnit(input: $input) { orgUnit { id } userErrors { code message } } }`,
    { agencyId, name: `${name} team` },
  );
  const unitId: string = unit.orgUnit.id;
  const people: Record<string, string> = {};
  const emails: Record<string, string> = {};
  for (const person of options.people) {
    const address = `${person.key}.${tag}@own-agency.e2e.hips.test`;
    const invited = await ok(
      t,
      token,
      `mutation($input: InvitePersonInput!) { invitePerson(input: $input) { person { id } userErrors { code message } } }`,
      {
        agencyId,
        email: address,
        displayName: `${person.key} ${tag}`,
        password: DEMO_PASSWORD,
      },
    );
    people[person.key] = invited.person.id;
    emails[person.key] = address;
    await ok(
      t,
      token,
      `mutation($input: AssignRoleInput!) { assignRole(input: $input) { person { id } userErrors { code message } } }`,
      {
        personId: invited.person.id,
        orgUnitId: unitId,
        roleType: person.roleType,
        partnerships: [options.partnership],
        managerPersonId: person.manager ? people[person.manager] : null,
      },
    );
  }
  return { agencyId, unitId, people, emails, name };
}
