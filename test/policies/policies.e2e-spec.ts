import { randomUUID } from 'node:crypto';
import { defaultLadder } from '@hips/core';
import type { TestApp } from '../support/app';
import {
  IN_FORCE,
  ladder,
  type PoliciesFixture,
  POLICY_FIELDS,
  PREVIEW,
  startPoliciesFixture,
  VERSIONS,
} from './policies.fixture';

/**
 * The partnership default has no private copy: the one test that publishes a Hampshire default reads the version
 * in force first, asserts relative to it, and publishes the previous stages back in `finally`.
 */
describe('escalation policies', () => {
  let t: TestApp;
  let admin: PoliciesFixture['admin'];
  let agencyAdmin: PoliciesFixture['agencyAdmin'];
  let practitioner: PoliciesFixture['practitioner'];
  let portsmouth: PoliciesFixture['portsmouth'];
  let police: PoliciesFixture['police'];
  let csc: PoliciesFixture['csc'];
  let counts: PoliciesFixture['counts'];
  let save: PoliciesFixture['save'];
  let publish: PoliciesFixture['publish'];
  let defaultInForce: PoliciesFixture['defaultInForce'];
  let policeDraftId: string;

  beforeAll(async () => {
    ({ t, admin, agencyAdmin, practitioner, portsmouth, police, csc, counts, save, publish, defaultInForce } =
      await startPoliciesFixture());
  });
  afterAll(async () => {
    await t.close();
  });

  it('seeds each partnership default, GENERAL and CPC_DISSENT, as published version 1', async () => {
    const reflective: Record<string, string> = {
      hampshire: 'Professionals Meeting',
      'isle-of-wight': 'Professionals Meeting',
      portsmouth: 'Rethink',
      southampton: 'Reflecting Teams',
    };
    const seeded = async (token: string, type: string) => {
      const versions = await t.gql(VERSIONS, { type }, { token });
      expect(versions.errors).toBeUndefined();
      const first = versions.data.escalationPolicyVersions.find((v: any) => v.version === 1);
      expect(first).toMatchObject({ published: true });
      const node = await t.gql(
        `query($id: ID!) { node(id: $id) { ... on EscalationPolicy { ${POLICY_FIELDS} } } }`,
        {
          id: first.id,
        },
        { token },
      );
      expect(node.errors).toBeUndefined();
      return node.data.node;
    };
    for (const [area, name] of Object.entries(reflective)) {
      const token = await t.login(`admin.${area}@demo.hips.test`);
      // Version 1 is the seeded one, whatever later versions other specs may have published.
      const general = await seeded(token, 'GENERAL');
      expect(general).toMatchObject({ version: 1, published: true, agency: null, type: 'GENERAL' });
      expect(general.stages).toEqual(
        defaultLadder('GENERAL', name).map(({ breaches: _, ...stage }) => stage),
      );
      const cpc = await seeded(token, 'CPC_DISSENT');
      expect(cpc).toMatchObject({ version: 1, published: true, agency: null, type: 'CPC_DISSENT' });
      expect(cpc.stages.map((s: any) => s.name)).toEqual([
        'Conference chair review',
        "Chair's manager",
        'Head of service',
        'Partnership',
      ]);
    }
  });

  it('answers with the partnership default for an agency without its own policy', async () => {
    const partnershipDefault = await defaultInForce(practitioner);
    const res = await t.gql(IN_FORCE, { agencyId: police }, { token: practitioner });
    expect(res.data.escalationPolicy).toMatchObject({
      id: partnershipDefault.id,
      version: partnershipDefault.version,
      agency: null,
      partnership: { code: 'HAMPSHIRE' },
    });
  });

  it("lets the agency's admin save a draft, and saving again edits the same draft", async () => {
    const before = await counts();
    const first = await save(agencyAdmin, {
      agencyId: police,
      stages: ladder({
        2: { roleType: 'SAFEGUARDING_LEAD', name: 'Designated safeguarding lead', standardWorkingDays: 4 },
      }),
    });
    expect(first.userErrors).toEqual([]);
    expect(first.policy).toMatchObject({
      version: 1,
      published: false,
      effectiveFrom: null,
      agency: { id: police },
    });
    const second = await save(agencyAdmin, {
      agencyId: police,
      stages: ladder({ 2: { roleType: 'SAFEGUARDING_LEAD', name: null, standardWorkingDays: 3 } }),
    });
    expect(second.userErrors).toEqual([]);
    expect(second.policy.id).toBe(first.policy.id);
    expect(second.policy.stages[2]).toEqual({
      number: 2,
      name: 'Line manager / safeguarding lead', // taken from the partnership's stage
      roleType: 'SAFEGUARDING_LEAD',
      standardWorkingDays: 3,
      urgentWorkingDays: 1,
      breachAction: 'NOTIFY',
    });
    const after = await counts();
    expect(after.policies).toBe(before.policies + 1);
    expect(after.audit).toBe(before.audit + 2);
    policeDraftId = second.policy.id;

    // The draft is not in force, and only those who may edit it see it in the history.
    expect(
      (await t.gql(IN_FORCE, { agencyId: police }, { token: agencyAdmin })).data.escalationPolicy.agency,
    ).toBeNull();
    expect(
      (await t.gql(VERSIONS, { agencyId: police }, { token: agencyAdmin })).data.escalationPolicyVersions,
    ).toEqual([{ id: policeDraftId, version: 1, published: false }]);
    expect(
      (await t.gql(VERSIONS, { agencyId: police }, { token: practitioner })).data.escalationPolicyVersions,
    ).toEqual([]);
  });

  it('publishes the draft as an immutable version in force, used by previews', async () => {
    const res = await publish(agencyAdmin, { policyId: policeDraftId, applyToOpenCases: true });
    expect(res.userErrors).toEqual([]);
    expect(res.policy).toMatchObject({ id: policeDraftId, version: 1, published: true });
    expect(Math.abs(Date.parse(res.policy.effectiveFrom) - Date.now())).toBeLessThan(60_000);
    const [row] = await t.owner.query('select apply_to_open_cases from escalation_policies where id = $1', [
      Buffer.from(policeDraftId, 'base64url').toString().split(':')[1],
    ]);
    expect(row.apply_to_open_cases).toBe(true); // recorded; a no-op until cases exist

    const inForce = await t.gql(IN_FORCE, { agencyId: police }, { token: practitioner });
    expect(inForce.data.escalationPolicy).toMatchObject({ id: policeDraftId, agency: { id: police } });

    const preview = await t.gql(
      PREVIEW,
      { input: { raisedAt: '2025-08-22T15:40:00Z', urgency: 'STANDARD', raisingAgencyId: police } },
      { token: practitioner },
    );
    // Published just now: at raisedAt (Aug 2025) the partnership default was in force.
    expect(preview.data.previewDeadlines.map((d: any) => d.workingDays)).toEqual([10, 5, 5, 5, 10]);
    const now = await t.gql(
      PREVIEW,
      { input: { urgency: 'STANDARD', raisingAgencyId: police } },
      { token: practitioner },
    );
    expect(now.data.previewDeadlines.map((d: any) => d.workingDays)).toEqual([10, 5, 3, 5, 10]);
  });

  it('refuses to publish twice and keeps published rows immutable in the database', async () => {
    const before = await counts();
    const again = await publish(agencyAdmin, { policyId: policeDraftId });
    expect(again.userErrors).toEqual([
      expect.objectContaining({ code: 'INVALID_STATE', field: ['input', 'policyId'] }),
    ]);
    expect(again.policy).toBeNull();
    expect(await counts()).toEqual(before);
    await expect(
      t.owner.query(`update escalation_policies set stages = '[]' where published_at is not null`),
    ).rejects.toThrow(/immutable/);
    await expect(
      t.owner.query(`delete from escalation_policies where published_at is not null`),
    ).rejects.toThrow(/immutable/);
  });

  it('previews one deadline per stage from raisedAt, skipping the reflective step when urgent', async () => {
    const res = await t.gql(
      PREVIEW,
      { input: { raisedAt: '2025-08-22T15:40:00Z', urgency: 'URGENT', respondingAgencyId: csc } },
      { token: practitioner },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data.previewDeadlines.map((d: any) => [d.workingDays, d.dueAt])).toEqual([
      [1, '2025-08-26T16:00:00.000Z'], // Fri 16:40: day 0 Fri, Mon 25 Aug bank holiday, due Tue 17:00
      [1, '2025-08-26T16:00:00.000Z'],
      [1, '2025-08-26T16:00:00.000Z'],
      [2, '2025-08-27T16:00:00.000Z'],
    ]);
    expect(res.data.previewDeadlines[0].skippedDates).toEqual(['2025-08-23', '2025-08-24', '2025-08-25']);
    expect(res.data.previewDeadlines[0].explanation).toMatch(/^stage 1 \(Practitioner to practitioner\): /);
    const cpc = await t.gql(
      PREVIEW,
      { input: { urgency: 'STANDARD', type: 'CPC_DISSENT' } },
      { token: practitioner },
    );
    expect(cpc.data.previewDeadlines.map((d: any) => d.workingDays)).toEqual([5, 5, 5, 5]);
  });

  it('keeps agency admins to their own agency and the default to partnership admins', async () => {
    const before = await counts();
    const other = await save(agencyAdmin, { agencyId: csc, stages: ladder() });
    expect(other.userErrors).toEqual([
      expect.objectContaining({ code: 'FORBIDDEN', field: ['input', 'agencyId'] }),
    ]);
    const defaults = await save(agencyAdmin, { stages: ladder() });
    expect(defaults.userErrors).toEqual([expect.objectContaining({ code: 'FORBIDDEN' })]);
    const byPractitioner = await save(practitioner, { agencyId: police, stages: ladder() });
    expect(byPractitioner.userErrors).toEqual([expect.objectContaining({ code: 'FORBIDDEN' })]);
    expect(await counts()).toEqual(before);

    // A partnership admin's draft for another agency: the police agency admin may not publish it.
    const cscDraft = await save(admin, { agencyId: csc, stages: ladder({ 1: { standardWorkingDays: 4 } }) });
    expect(cscDraft.userErrors).toEqual([]);
    const afterDraft = await counts();
    const refused = await publish(agencyAdmin, { policyId: cscDraft.policy.id });
    expect(refused.userErrors).toEqual([expect.objectContaining({ code: 'FORBIDDEN' })]);
    const past = await publish(admin, {
      policyId: cscDraft.policy.id,
      effectiveFrom: '2024-01-01T00:00:00Z',
    });
    expect(past.userErrors).toEqual([
      expect.objectContaining({ code: 'VALIDATION', field: ['input', 'effectiveFrom'] }),
    ]);
    expect(await counts()).toEqual(afterDraft);

    // Published for the future: not in force yet, but in the history.
    const future = new Date(Date.now() + 7 * 86_400_000).toISOString();
    const published = await publish(admin, { policyId: cscDraft.policy.id, effectiveFrom: future });
    expect(published.userErrors).toEqual([]);
    expect(published.policy.effectiveFrom).toBe(future);
    expect(
      (await t.gql(IN_FORCE, { agencyId: csc }, { token: practitioner })).data.escalationPolicy.agency,
    ).toBeNull();
    expect(
      (await t.gql(VERSIONS, { agencyId: csc }, { token: practitioner })).data.escalationPolicyVersions,
    ).toEqual([{ id: cscDraft.policy.id, version: 1, published: true }]);
  });

  it("answers another partnership's policies and agencies exactly like missing ones", async () => {
    const before = await counts();
    const unknownAgency = Buffer.from(`Agency:${randomUUID()}`).toString('base64url');
    const unknownPolicy = Buffer.from(`EscalationPolicy:${randomUUID()}`).toString('base64url');
    const missingAgency = await save(portsmouth, { agencyId: unknownAgency, stages: ladder() });
    const foreignAgency = await save(portsmouth, { agencyId: csc, stages: ladder() });
    expect(foreignAgency.userErrors).toEqual(missingAgency.userErrors);
    expect(foreignAgency.userErrors).toEqual([
      { code: 'NOT_FOUND', field: ['input', 'agencyId'], message: 'Agency was not found' },
    ]);
    const missingPolicy = await publish(portsmouth, { policyId: unknownPolicy });
    const foreignPolicy = await publish(portsmouth, { policyId: policeDraftId });
    expect(foreignPolicy.userErrors).toEqual(missingPolicy.userErrors);
    expect(foreignPolicy.userErrors[0].code).toBe('NOT_FOUND');
    expect(await counts()).toEqual(before);

    expect(
      (await t.gql(IN_FORCE, { agencyId: csc }, { token: portsmouth })).data.escalationPolicy,
    ).toBeNull();
    expect(
      (await t.gql(VERSIONS, { agencyId: csc }, { token: portsmouth })).data.escalationPolicyVersions,
    ).toEqual([]);
    const preview = await t.gql(
      PREVIEW,
      { input: { urgency: 'STANDARD', raisingAgencyId: csc } },
      { token: portsmouth },
    );
    expect(preview.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('rejects bad drafts with userErrors naming the fields, writing nothing', async () => {
    const before = await counts();
    const cases: [Record<string, unknown>, { code: string; field: string[] }[]][] = [
      [
        { stages: ladder().filter((s) => s.number !== 3) },
        [{ code: 'VALIDATION', field: ['input', 'stages'] }],
      ],
      [
        { stages: ladder({ 1: { standardWorkingDays: 0 } }) },
        [{ code: 'VALIDATION', field: ['input', 'stages', '1', 'standardWorkingDays'] }],
      ],
      [
        { stages: ladder({ 2: { urgentWorkingDays: -1 } }) },
        [{ code: 'VALIDATION', field: ['input', 'stages', '2', 'urgentWorkingDays'] }],
      ],
      [
        { stages: ladder({ 4: { standardWorkingDays: 61 } }) },
        [{ code: 'VALIDATION', field: ['input', 'stages', '4', 'standardWorkingDays'] }],
      ],
      [
        { stages: ladder({ 3: { roleType: 'AGENCY_ADMIN' } }) },
        [{ code: 'VALIDATION', field: ['input', 'stages', '3', 'roleType'] }],
      ],
      [{ stages: [] }, [{ code: 'VALIDATION', field: ['input', 'stages'] }]],
      // An agency may only shorten, never lengthen or drop, the partnership's stages.
      [
        { agencyId: police, stages: ladder({ 2: { standardWorkingDays: 6 } }) },
        [{ code: 'POLICY_VIOLATION', field: ['input', 'stages', '2', 'standardWorkingDays'] }],
      ],
      [
        { agencyId: police, stages: ladder().filter((s) => s.number !== 0) },
        [{ code: 'POLICY_VIOLATION', field: ['input', 'stages'] }],
      ],
    ];
    for (const [input, expected] of cases) {
      const res = await save(admin, input);
      expect(res.policy).toBeNull();
      expect(res.userErrors.map(({ code, field }: any) => ({ code, field }))).toEqual(expected);
      expect(res.userErrors.every((e: any) => e.message.length > 0)).toBe(true);
    }
    expect(await counts()).toEqual(before);
  });

  it('versions the partnership default: a new published version is in force and listed with the old one', async () => {
    // Hampshire's CPC_DISSENT default is shared: assert relative to the version in force now, and publish its
    // stages back afterwards. Spec files run one at a time (--runInBand), so no other spec raises a Hampshire
    // CPC_DISSENT case meanwhile.
    const previous = await defaultInForce(admin, 'CPC_DISSENT');
    const before = await t.gql(VERSIONS, { type: 'CPC_DISSENT' }, { token: practitioner });
    const otherBefore = await defaultInForce(portsmouth, 'CPC_DISSENT');
    const draft = await save(admin, {
      type: 'CPC_DISSENT',
      stages: ladder({ 1: { standardWorkingDays: 4, breachAction: 'RECOMMEND_ESCALATION' } }, 'CPC_DISSENT'),
    });
    try {
      expect(draft.userErrors).toEqual([]);
      const next = previous.version + 1;
      expect(draft.policy).toMatchObject({
        version: next,
        published: false,
        agency: null,
        type: 'CPC_DISSENT',
      });
      const published = await publish(admin, { policyId: draft.policy.id });
      expect(published.userErrors).toEqual([]);
      const inForce = await t.gql(IN_FORCE, { type: 'CPC_DISSENT' }, { token: practitioner });
      expect(inForce.data.escalationPolicy).toMatchObject({ id: draft.policy.id, version: next });
      expect(inForce.data.escalationPolicy.stages[0]).toMatchObject({
        standardWorkingDays: 4,
        breachAction: 'RECOMMEND_ESCALATION',
      });
      const versions = await t.gql(VERSIONS, { type: 'CPC_DISSENT' }, { token: practitioner });
      expect(versions.data.escalationPolicyVersions).toEqual([
        { id: draft.policy.id, version: next, published: true },
        ...before.data.escalationPolicyVersions,
      ]);
      expect(before.data.escalationPolicyVersions[0]).toEqual({
        id: previous.id,
        version: previous.version,
        published: true,
      });
      // Other partnerships keep the version they had.
      expect(await defaultInForce(portsmouth, 'CPC_DISSENT')).toEqual(otherBefore);
    } finally {
      if (draft.userErrors.length === 0) {
        // Saving again edits the draft if it was not published; either way the previous stages are in force again.
        const restore = await save(admin, { type: 'CPC_DISSENT', stages: previous.stages });
        expect(restore.userErrors).toEqual([]);
        expect((await publish(admin, { policyId: restore.policy.id })).userErrors).toEqual([]);
        expect((await defaultInForce(admin, 'CPC_DISSENT')).stages).toEqual(previous.stages);
      }
    }
  });

  it('isolates the new tables by row-level security for the application role', async () => {
    const [{ id: hampshire }] = await t.owner.query(`select id from partnerships where code = 'HAMPSHIRE'`);
    const seen = (tenant: string | null) =>
      t.owner.transaction(async (em) => {
        await em.query('set local role hips_app');
        if (tenant) await em.query(`select set_config('app.partnership_id', $1, true)`, [tenant]);
        const [row] = await em.query(
          `select (select count(*) from escalation_policies where partnership_id <> $1)::int as foreign_policies,
                  (select count(*) from escalation_policies)::int as policies,
                  (select count(*) from calendar_versions)::int as calendars,
                  (select count(*) from calendar_closure_days where partnership_id <> $1)::int as foreign_days`,
          [hampshire],
        );
        return row;
      });
    expect(await seen(null)).toEqual({ foreign_policies: 0, policies: 0, calendars: 0, foreign_days: 0 });
    const own = await seen(hampshire);
    expect(own.foreign_policies).toBe(0);
    expect(own.foreign_days).toBe(0);
    expect(own.policies).toBeGreaterThanOrEqual(2);
    expect(own.calendars).toBeGreaterThanOrEqual(1);
  });
});
