import { idOf } from '@hips/common';
import { computeDue, WorkingCalendar } from '@hips/core';
import { startTestApp, TestApp } from '../support/app';
import { createOwnAgency } from '../support/fixtures';
import { agencyId, CASE_FIELDS, RAISE, raiseInput, RESOLVE } from './support';

/**
 * publishEscalationPolicy(applyToOpenCases: true) after a dry run, for the policy of an agency of this spec's own
 * (docs/testing/test-practice.md), so that no other spec's cases, policies or partnership defaults move.
 */
describe('re-timing open cases under a new policy version', () => {
  let t: TestApp;
  let admin: { token: string };
  let raiser: { token: string };
  let csc: string;
  let school: string;

  beforeAll(async () => {
    t = await startTestApp();
    admin = { token: await t.login('admin.southampton@demo.hips.test') };
    const own = await createOwnAgency(t, {
      adminEmail: 'admin.southampton@demo.hips.test',
      partnership: 'SOUTHAMPTON',
      label: 'Retiming school',
      type: 'EDUCATION',
      people: [{ key: 'practitioner', roleType: 'PRACTITIONER' }],
    });
    raiser = { token: await t.login(own.emails.practitioner) };
    csc = await agencyId(t, 'Southampton City Council Children%');
    school = own.agencyId;
  }, 60_000);
  afterAll(() => t.close());

  const raise = async () => {
    const input = raiseInput(csc, {
      child: { initials: 'HR', dateOfBirth: '2016-01-01', localAuthority: 'SOUTHAMPTON' },
    });
    const res = await t.gql(RAISE, { input }, raiser);
    expect(res.data.raiseEscalation.userErrors).toEqual([]);
    return res.data.raiseEscalation.escalation;
  };

  it('lists the open cases whose due date would move, then moves them and only them', async () => {
    const open = await raise();
    const closed = await raise();
    const resolved = await t.gql(
      RESOLVE,
      { input: { escalationId: closed.id, outcome: 'DECISION_CHANGED', statement: 'Agreed' } },
      raiser,
    );
    expect(resolved.data.resolveEscalation.userErrors).toEqual([]);
    const closedBefore: { due_at: Date }[] = await t.owner.query(
      'select due_at from escalation_stages where escalation_id = $1',
      [idOf(closed.id, 'Escalation')],
    );

    const stages = [
      { number: 0, roleType: 'PRACTITIONER', standardWorkingDays: 10, urgentWorkingDays: 0 },
      { number: 1, roleType: 'PRACTITIONER', standardWorkingDays: 3, urgentWorkingDays: 1 },
      { number: 2, roleType: 'LINE_MANAGER', standardWorkingDays: 5, urgentWorkingDays: 1 },
      { number: 3, roleType: 'SENIOR_MANAGER', standardWorkingDays: 5, urgentWorkingDays: 1 },
      { number: 4, roleType: 'PARTNERSHIP_MANAGER', standardWorkingDays: 10, urgentWorkingDays: 2 },
    ];
    const draft = await t.gql(
      `mutation($input: SavePolicyDraftInput!) { saveEscalationPolicyDraft(input: $input) { policy { id } userErrors { code message } } }`,
      { input: { agencyId: school, type: 'GENERAL', stages } },
      admin,
    );
    expect(draft.data.saveEscalationPolicyDraft.userErrors).toEqual([]);
    const policyId = draft.data.saveEscalationPolicyDraft.policy.id;

    const expected = computeDue(
      new WorkingCalendar(),
      new Date(open.currentStage.due.start),
      3,
    ).dueAt.toISOString();
    const preview = await t.gql(
      `query($id: ID!) { openCaseRetimingPreview(policyId: $id) { escalationId reference stage fromDueAt toDueAt } }`,
      { id: policyId },
      admin,
    );
    expect(preview.errors).toBeUndefined();
    const mine = preview.data.openCaseRetimingPreview.find((m: any) => m.escalationId === open.id);
    expect(mine).toEqual({
      escalationId: open.id,
      reference: open.reference,
      stage: 1,
      fromDueAt: open.currentStage.dueAt,
      toDueAt: expected,
    });
    expect(preview.data.openCaseRetimingPreview.map((m: any) => m.escalationId)).not.toContain(closed.id);
    const denied = await t.gql(
      `query($id: ID!) { openCaseRetimingPreview(policyId: $id) { stage } }`,
      { id: policyId },
      raiser,
    );
    expect(denied.errors?.[0].extensions?.code).toBe('FORBIDDEN');

    const published = await t.gql(
      `mutation($input: PublishPolicyInput!) { publishEscalationPolicy(input: $input) { policy { version } userErrors { code message } } }`,
      { input: { policyId, applyToOpenCases: true } },
      admin,
    );
    expect(published.data.publishEscalationPolicy.userErrors).toEqual([]);
    const version = published.data.publishEscalationPolicy.policy.version;

    const after = await t.gql(
      `query($id: ID!) { escalation(id: $id) { ${CASE_FIELDS} } }`,
      { id: open.id },
      raiser,
    );
    expect(after.data.escalation.currentStage.dueAt).toBe(expected);
    expect(after.data.escalation.currentStage.workingDays).toBe(3);
    expect(after.data.escalation.policyVersion).toBe(version);
    const [deadline]: { due_at: Date; version: number }[] = await t.owner.query(
      `select d.due_at, d.version from deadlines d join escalation_stages s on s.id = d.stage_id
       where s.escalation_id = $1 and d.kind = 'DUE'`,
      [idOf(open.id, 'Escalation')],
    );
    expect(deadline.due_at.toISOString()).toBe(expected);
    expect(deadline.version).toBeGreaterThan(1);
    const [{ n }]: { n: number }[] = await t.owner.query(
      `select count(*)::int as n from escalation_events where escalation_id = $1 and kind = 'RETIMED'`,
      [idOf(open.id, 'Escalation')],
    );
    expect(n).toBe(1);
    const closedAfter: { due_at: Date }[] = await t.owner.query(
      'select due_at from escalation_stages where escalation_id = $1',
      [idOf(closed.id, 'Escalation')],
    );
    expect(closedAfter).toEqual(closedBefore);
  });
});
