import { toGlobalId } from '@hips/common';
import { refresh } from '../analytics/support';
import { agencyId, NO_SCREENING, POLICE, RAISE, raiseInput } from '../escalations/support';
import type { TestApp } from '../support/app';

/** Every table of the schema that carries a partnership_id column (tables, views, materialized views). */
export async function tenantTables(
  t: TestApp,
): Promise<{ name: string; kind: string; rls: boolean; forced: boolean }[]> {
  return t.owner.query(
    `select c.relname as name, c.relkind::text as kind, c.relrowsecurity as rls, c.relforcerowsecurity as forced
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relkind in ('r', 'p', 'v', 'm', 'f')
        and exists (select 1 from pg_attribute a where a.attrelid = c.oid and a.attname = 'partnership_id'
                      and not a.attisdropped)
      order by c.relname`,
  );
}

const ok = (payload: { userErrors: unknown[] } | undefined, what: string) => {
  if (!payload || payload.userErrors.length > 0) {
    throw new Error(`${what} failed: ${JSON.stringify(payload)}`);
  }
  return payload as any;
};

const personId = async (t: TestApp, email: string) =>
  (await t.owner.query<{ id: string }[]>('select id from people where email = $1', [email]))[0].id;

/**
 * Puts at least one row into every tenant table, through the API as its users would (cases, notes, redirects,
 * deadlines, outbox, notifications, webhook deliveries, API keys, absences, deputies, closure days), in two
 * partnerships. What it changes cannot affect other specs: the webhook endpoint is disabled and the API key
 * revoked at once, the absence is cancelled, the closure day is years ahead, and the deputy is removed by
 * `undo` (a deputy acts only while the holder is absent).
 */
export async function seedEveryTenantTable(t: TestApp): Promise<{ undo: () => Promise<void> }> {
  const gql = async (query: string, variables: Record<string, unknown>, who: string, area: string) => {
    const res = await t.gql(query, variables, { token: await t.login(who, area) });
    if (res.errors) throw new Error(JSON.stringify(res.errors));
    return Object.values(res.data)[0] as { userErrors: unknown[] };
  };
  const police = await agencyId(t, POLICE);

  for (const [area, code, csc] of [
    ['hampshire', 'HAMPSHIRE', 'Hampshire County Council Children%'],
    ['isle-of-wight', 'ISLE_OF_WIGHT', 'Isle of Wight Council Children%'],
  ] as const) {
    const practitioner = `practitioner.police.${area}@demo.hips.test`;
    const admin = `admin.${area}@demo.hips.test`;
    const child = {
      initials: 'RL',
      dateOfBirth: '2016-03-04',
      localAuthority: code,
      nhsNumber: '9434765919',
    };

    // A webhook endpoint that receives the next raise (webhook_deliveries), then stops receiving anything.
    const endpoint = ok(
      await gql(
        `mutation($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) {
           endpoint { id } userErrors { code message } } }`,
        { input: { agencyId: police, url: 'http://127.0.0.1:9/rls-spec', events: ['RAISED'] } },
        admin,
        code,
      ),
      'createWebhookEndpoint',
    );
    const raised = ok(
      await gql(RAISE, { input: raiseInput(await agencyId(t, csc), { child }) }, practitioner, code),
      'raiseEscalation',
    );
    ok(
      await gql(
        `mutation($input: DisableWebhookEndpointInput!) { disableWebhookEndpoint(input: $input) {
           userErrors { code message } } }`,
        { input: { endpointId: endpoint.endpoint.id } },
        admin,
        code,
      ),
      'disableWebhookEndpoint',
    );
    ok(
      await gql(
        `mutation($input: AddEscalationNoteInput!) { addEscalationNote(input: $input) { userErrors { code message } } }`,
        { input: { escalationId: raised.escalation.id, text: 'RLS fixture note', visibility: 'SHARED' } },
        practitioner,
        code,
      ),
      'addEscalationNote',
    );
    const redirected = ok(
      await gql(
        RAISE,
        {
          input: raiseInput(await agencyId(t, csc), {
            child,
            screening: { ...NO_SCREENING, immediateRisk: true },
          }),
        },
        practitioner,
        code,
      ),
      'raiseEscalation (redirect)',
    );
    if (!redirected.redirect) throw new Error('the screened raise was not redirected');
    const key = ok(
      await gql(
        `mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { keyId userErrors { code message } } }`,
        { input: { agencyId: police, name: 'RLS fixture' } },
        admin,
        code,
      ),
      'createApiKey',
    );
    ok(
      await gql(
        `mutation($id: ID!) { revokeApiKey(keyId: $id) { userErrors { code message } } }`,
        { id: key.keyId },
        admin,
        code,
      ),
      'revokeApiKey',
    );
  }

  // Directory and calendar rows, in Hampshire (no other spec reads Hampshire's calendar or its routing).
  const admin = 'admin.hampshire@demo.hips.test';
  const inYears = (years: number) => {
    const d = new Date();
    d.setUTCFullYear(d.getUTCFullYear() + years);
    while ([0, 6].includes(d.getUTCDay())) d.setUTCDate(d.getUTCDate() + 1);
    return d.toISOString().slice(0, 10);
  };
  ok(
    await gql(
      `mutation($input: AddClosureDayInput!) { addClosureDay(input: $input) { userErrors { code message } } }`,
      { input: { date: inYears(4), reason: 'RLS fixture closure' } },
      admin,
      'HAMPSHIRE',
    ),
    'addClosureDay',
  );
  const practitioner = await personId(t, 'practitioner.police.hampshire@demo.hips.test');
  const absence = ok(
    await gql(
      `mutation($input: RecordAbsenceInput!) { recordAbsence(input: $input) { absence { id } userErrors { code message } } }`,
      {
        input: {
          personId: toGlobalId('Person', practitioner),
          from: inYears(3),
          to: inYears(3),
          reason: 'RLS fixture',
        },
      },
      admin,
      'HAMPSHIRE',
    ),
    'recordAbsence',
  );
  ok(
    await gql(
      `mutation($input: CancelAbsenceInput!) { cancelAbsence(input: $input) { userErrors { code message } } }`,
      { input: { absenceId: absence.absence.id } },
      admin,
      'HAMPSHIRE',
    ),
    'cancelAbsence',
  );
  const manager = await personId(t, 'line-manager.police.hampshire@demo.hips.test');
  const [post]: { org_unit_id: string }[] = await t.owner.query(
    `select r.org_unit_id from role_assignments r join partnerships p on p.id = r.partnership_id
      where p.code = 'HAMPSHIRE' and r.person_id = $1 and r.role_type = 'LINE_MANAGER'`,
    [manager],
  );
  const deputy = {
    personId: toGlobalId('Person', manager),
    orgUnitId: toGlobalId('OrgUnit', post.org_unit_id),
    roleType: 'LINE_MANAGER',
    deputyPersonId: toGlobalId('Person', practitioner),
  };
  const DEPUTY = (name: string, input: string) =>
    `mutation($input: ${input}!) { ${name}(input: $input) { userErrors { code message } } }`;
  ok(await gql(DEPUTY('addDeputy', 'AddDeputyInput'), { input: deputy }, admin, 'HAMPSHIRE'), 'addDeputy');

  // The analytics read model, as the worker would refresh it (the harness starts no worker).
  await refresh();

  return {
    async undo() {
      ok(
        await gql(DEPUTY('removeDeputy', 'RemoveDeputyInput'), { input: deputy }, admin, 'HAMPSHIRE'),
        'removeDeputy',
      );
    },
  };
}
