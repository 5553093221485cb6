import { refresh } from '../analytics/support';
import { agencyId, NO_SCREENING, POLICE, RAISE, raiseInput } from '../escalations/support';
import type { TestApp } from '../support/app';
import { createOwnAgency } from '../support/fixtures';

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

/**
 * Puts at least one row into every tenant table, through the API as its users would (cases, notes, redirects,
 * extension proposals, reflective meetings, deadlines, outbox, notifications, webhook deliveries, API keys, absences,
 * deputies, role grant requests, closure days), in two partnerships. What it changes cannot affect other specs: the webhook endpoint on the demo police is
 * disabled and the API key revoked at once (the demo police must raise for the endpoint to receive a delivery); the
 * absence, the deputy and the declined role grant belong to an agency of the fixture's own; the closure day is years
 * ahead and removed again by `undo`.
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
    // An extension proposal (stage_extension_proposals), left open on the fixture's own case.
    ok(
      await gql(
        `mutation($input: ProposeStageExtensionInput!) { proposeStageExtension(input: $input) {
           userErrors { code message } } }`,
        { input: { escalationId: raised.escalation.id, workingDays: 2, reason: 'RLS fixture proposal' } },
        practitioner,
        code,
      ),
      'proposeStageExtension',
    );
    // A case raised at the reflective step, with its meeting recorded (reflective_meetings).
    const reflective = ok(
      await gql(
        RAISE,
        { input: raiseInput(await agencyId(t, csc), { child, startWithReflectiveStep: true }) },
        practitioner,
        code,
      ),
      'raiseEscalation (reflective step)',
    );
    ok(
      await gql(
        `mutation($input: RecordReflectiveMeetingInput!) { recordReflectiveMeeting(input: $input) {
           userErrors { code message } } }`,
        {
          input: {
            escalationId: reflective.escalation.id,
            heldAt: new Date().toISOString(),
            facilitator: { role: 'Independent chair' },
            attendees: [{ role: 'Designated nurse' }],
            outcome: 'PROCEED_TO_STAGE_1',
          },
        },
        practitioner,
        code,
      ),
      'recordReflectiveMeeting',
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

  // Directory and calendar rows, in Hampshire. The absence and the deputy belong to people of an agency of this
  // fixture's own; the closure day (a partnership calendar has no private copy) is removed again by `undo`.
  const admin = 'admin.hampshire@demo.hips.test';
  const inYears = (years: number) => {
    const d = new Date();
    d.setUTCFullYear(d.getUTCFullYear() + years);
    while ([0, 6].includes(d.getUTCDay())) d.setUTCDate(d.getUTCDate() + 1);
    return d.toISOString().slice(0, 10);
  };
  const closureDay = inYears(4);
  ok(
    await gql(
      `mutation($input: AddClosureDayInput!) { addClosureDay(input: $input) { userErrors { code message } } }`,
      { input: { date: closureDay, reason: 'RLS fixture closure' } },
      admin,
      'HAMPSHIRE',
    ),
    'addClosureDay',
  );
  const own = await createOwnAgency(t, {
    adminEmail: admin,
    partnership: 'HAMPSHIRE',
    label: 'RLS fixture agency',
    people: [
      { key: 'manager', roleType: 'LINE_MANAGER' },
      { key: 'practitioner', roleType: 'PRACTITIONER', manager: 'manager' },
    ],
  });
  const absence = ok(
    await gql(
      `mutation($input: RecordAbsenceInput!) { recordAbsence(input: $input) { absence { id } userErrors { code message } } }`,
      {
        input: {
          personId: own.people.practitioner,
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
  const deputy = {
    personId: own.people.manager,
    orgUnitId: own.unitId,
    roleType: 'LINE_MANAGER',
    deputyPersonId: own.people.practitioner,
  };
  ok(
    await gql(
      `mutation($input: AddDeputyInput!) { addDeputy(input: $input) { userErrors { code message } } }`,
      { input: deputy },
      admin,
      'HAMPSHIRE',
    ),
    'addDeputy',
  );

  // A role grant request (role_grant_requests) for the fixture's own person, declined at once.
  const grant = ok(
    await gql(
      `mutation($input: RequestRoleGrantInput!) { requestRoleGrant(input: $input) { grant { id } userErrors { code message } } }`,
      {
        input: {
          personId: own.people.manager,
          orgUnitId: own.unitId,
          roleType: 'SCRUTINEER',
          partnerships: ['HAMPSHIRE'],
        },
      },
      admin,
      'HAMPSHIRE',
    ),
    'requestRoleGrant',
  );
  ok(
    await gql(
      `mutation($input: DeclineRoleGrantInput!) { declineRoleGrant(input: $input) { userErrors { code message } } }`,
      { input: { grantId: grant.grant.id, reason: 'RLS fixture' } },
      admin,
      'HAMPSHIRE',
    ),
    'declineRoleGrant',
  );

  // The analytics read model, as the worker would refresh it (the harness starts no worker).
  await refresh();

  return {
    async undo() {
      ok(
        await gql(
          `mutation($input: RemoveClosureDayInput!) { removeClosureDay(input: $input) { userErrors { code message } } }`,
          { input: { date: closureDay, reason: 'RLS fixture over' } },
          admin,
          'HAMPSHIRE',
        ),
        'removeClosureDay',
      );
    },
  };
}
