import { defaultInternalLadder } from '@hips/core';
import { startTestApp, type TestApp } from '../support/app';
import { createOwnAgency } from '../support/fixtures';

const LADDER_FIELDS = `id version published effectiveFrom agency { id }
  stages { number name roleType standardWorkingDays urgentWorkingDays breachAction }`;
const SAVE = `mutation($input: SaveInternalLadderDraftInput!) {
  saveInternalLadderDraft(input: $input) { ladder { ${LADDER_FIELDS} } userErrors { code field message } } }`;
const PUBLISH = `mutation($input: PublishInternalLadderInput!) {
  publishInternalLadder(input: $input) { ladder { ${LADDER_FIELDS} } userErrors { code field message } } }`;
const VERSIONS = `query($agencyId: ID!) { internalLadderVersions(agencyId: $agencyId) { id version published } }`;
const PREVIEW = `query($input: PreviewInternalLadderInput!) {
  previewInternalLadder(input: $input) { workingDays dueAt explanation } }`;

type Stage = ReturnType<typeof defaultInternalLadder>[number];
const asInput = (stages: Stage[]) =>
  stages.map(({ number, name, roleType, standardWorkingDays, urgentWorkingDays, breachAction }) => ({
    number,
    name,
    roleType,
    standardWorkingDays,
    urgentWorkingDays,
    breachAction,
  }));

/** Internal ladders are written for agencies of the spec's own (docs/testing/test-practice.md). */
describe('internal ladders', () => {
  let t: TestApp;
  let partnershipAdmin: string;
  let policeAdmin: string;
  let otherAdmin: string;
  let police: string;

  beforeAll(async () => {
    t = await startTestApp();
    partnershipAdmin = await t.login('admin.hampshire@demo.hips.test');
    const own = await createOwnAgency(t, {
      adminEmail: 'admin.hampshire@demo.hips.test',
      partnership: 'HAMPSHIRE',
      label: 'Ladder police',
      type: 'POLICE',
      people: [{ key: 'admin', roleType: 'AGENCY_ADMIN' }],
    });
    police = own.agencyId;
    policeAdmin = await t.login(own.emails.admin);
    const other = await createOwnAgency(t, {
      adminEmail: 'admin.hampshire@demo.hips.test',
      partnership: 'HAMPSHIRE',
      label: 'Ladder school',
      type: 'EDUCATION',
      people: [{ key: 'admin', roleType: 'AGENCY_ADMIN' }],
    });
    otherAdmin = await t.login(other.emails.admin);
  });

  afterAll(async () => {
    await t.close();
  });

  const save = (token: string, input: Record<string, unknown>) =>
    t.gql(SAVE, { input }, { token }).then((r) => r.data.saveInternalLadderDraft);
  const publish = (token: string, input: Record<string, unknown>) =>
    t.gql(PUBLISH, { input }, { token }).then((r) => r.data.publishInternalLadder);

  it('offers the default for the agency type, starts a draft from it, and the agency admin edits and publishes it', async () => {
    const defaults = await t.gql(
      `{ defaultInternalLadder(agencyType: POLICE) { number name roleType } }`,
      {},
      {
        token: policeAdmin,
      },
    );
    expect(defaults.errors).toBeUndefined();
    expect(defaults.data.defaultInternalLadder.map((s: Stage) => s.roleType)).toEqual([
      'PRACTITIONER',
      'LINE_MANAGER',
      'SAFEGUARDING_LEAD',
      'SENIOR_MANAGER',
    ]);

    const seeded = await save(policeAdmin, { agencyId: police });
    expect(seeded.userErrors).toEqual([]);
    expect(seeded.ladder).toMatchObject({ version: 1, published: false, agency: { id: police } });
    expect(seeded.ladder.stages.map((s: Stage) => s.name)).toEqual(
      defaultInternalLadder('POLICE').map((s) => s.name),
    );

    const edited = asInput(defaultInternalLadder('POLICE'));
    edited[1].standardWorkingDays = 3;
    const saved = await save(policeAdmin, { agencyId: police, stages: edited });
    expect(saved.userErrors).toEqual([]);
    expect(saved.ladder.id).toBe(seeded.ladder.id);
    expect(saved.ladder.stages[1].standardWorkingDays).toBe(3);

    const published = await publish(policeAdmin, { ladderId: saved.ladder.id });
    expect(published.userErrors).toEqual([]);
    expect(published.ladder).toMatchObject({ version: 1, published: true });

    const again = await publish(policeAdmin, { ladderId: saved.ladder.id });
    expect(again.userErrors).toEqual([expect.objectContaining({ code: 'INVALID_STATE' })]);
  });

  it('refuses an invalid ladder with codes and field paths', async () => {
    const stages = asInput(defaultInternalLadder('POLICE'));
    stages[2].roleType = 'PRACTITIONER';
    stages[3].breachAction = 'AUTO_ESCALATE';
    stages[0].urgentWorkingDays = 0;
    const refused = await save(policeAdmin, { agencyId: police, stages });
    expect(refused.ladder).toBeNull();
    expect(refused.userErrors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ code: 'VALIDATION', field: ['input', 'stages', '0', 'urgentWorkingDays'] }),
        expect.objectContaining({ code: 'VALIDATION', field: ['input', 'stages', '2', 'roleType'] }),
        expect.objectContaining({
          code: 'POLICY_VIOLATION',
          field: ['input', 'stages', '3', 'breachAction'],
        }),
      ]),
    );
    const single = await save(policeAdmin, { agencyId: police, stages: stages.slice(0, 1) });
    expect(single.userErrors).toEqual(
      expect.arrayContaining([expect.objectContaining({ code: 'VALIDATION', field: ['input', 'stages'] })]),
    );
    const partnershipRole = asInput(defaultInternalLadder('POLICE'));
    partnershipRole[3].roleType = 'PARTNERSHIP_MANAGER';
    const outside = await save(policeAdmin, { agencyId: police, stages: partnershipRole });
    expect(outside.userErrors).toEqual([
      expect.objectContaining({ code: 'VALIDATION', field: ['input', 'stages', '3', 'roleType'] }),
    ]);
  });

  it("refuses another agency's admin and lets the partnership admin manage it", async () => {
    const refused = await save(otherAdmin, { agencyId: police });
    expect(refused.userErrors).toEqual([
      expect.objectContaining({ code: 'FORBIDDEN', field: ['input', 'agencyId'] }),
    ]);
    const drafted = await save(partnershipAdmin, {
      agencyId: police,
      stages: asInput(defaultInternalLadder('POLICE')).slice(0, 3),
    });
    expect(drafted.userErrors).toEqual([]);
    expect(drafted.ladder).toMatchObject({ version: 2, published: false });
    const byOther = await publish(otherAdmin, { ladderId: drafted.ladder.id });
    expect(byOther.userErrors).toEqual([expect.objectContaining({ code: 'FORBIDDEN' })]);

    const asEditor = await t.gql(VERSIONS, { agencyId: police }, { token: partnershipAdmin });
    expect(asEditor.data.internalLadderVersions).toEqual([
      expect.objectContaining({ version: 2, published: false }),
      expect.objectContaining({ version: 1, published: true }),
    ]);
    const asOther = await t.gql(VERSIONS, { agencyId: police }, { token: otherAdmin });
    expect(asOther.data.internalLadderVersions).toEqual([expect.objectContaining({ version: 1 })]);

    const published = await publish(partnershipAdmin, { ladderId: drafted.ladder.id });
    expect(published.userErrors).toEqual([]);
    expect(published.ladder).toMatchObject({ version: 2, published: true });
  });

  it('previews the deadlines of a version', async () => {
    const versions = await t.gql(VERSIONS, { agencyId: police }, { token: policeAdmin });
    const [latest] = versions.data.internalLadderVersions;
    const preview = await t.gql(
      PREVIEW,
      { input: { ladderId: latest.id, urgency: 'URGENT', raisedAt: '2026-03-02T09:00:00Z' } },
      { token: policeAdmin },
    );
    expect(preview.errors).toBeUndefined();
    expect(preview.data.previewInternalLadder).toHaveLength(3);
    expect(preview.data.previewInternalLadder[0]).toMatchObject({ workingDays: 1 });
    expect(preview.data.previewInternalLadder[0].explanation).toMatch(/^stage 1 \(/);
  });

  it('is never read or published as an escalation policy', async () => {
    const drafted = await save(policeAdmin, { agencyId: police });
    const uuid = Buffer.from(drafted.ladder.id, 'base64url').toString('utf8').split(':')[1];
    const asPolicy = Buffer.from(`EscalationPolicy:${uuid}`, 'utf8').toString('base64url');
    const node = await t.gql(
      `query($id: ID!) { node(id: $id) { id } }`,
      { id: asPolicy },
      { token: policeAdmin },
    );
    expect(node.data.node).toBeNull();
    const published = await t.gql(
      `mutation($input: PublishPolicyInput!) { publishEscalationPolicy(input: $input) { userErrors { code } } }`,
      { input: { policyId: asPolicy } },
      { token: policeAdmin },
    );
    expect(published.data.publishEscalationPolicy.userErrors).toEqual([{ code: 'NOT_FOUND' }]);
  });
});
