import { idOf } from '@hips/common';
import { computeDue, WorkingCalendar } from '@hips/core';
import { startTestApp, TestApp } from '../support/app';
import { createOwnAgency, OwnAgency } from '../support/fixtures';
import { agencyId, email, ESCALATE, RAISE, raiseInput } from './support';

/**
 * A case takes its timescales from the raising agency's published policy, its due dates from the partnership's
 * calendar, and its owners from the org structure (absent holder → deputy). Isle of Wight. The policy, the deputy
 * and the absence belong to two agencies of this spec's own; the closure day is the one change to shared data a
 * partnership calendar allows, and it is removed again (docs/testing/test-practice.md).
 */
describe('a case pins the policy and calendar in force and routes owners through the structure', () => {
  let t: TestApp;
  let admin: { token: string };
  let csc: string;
  let raising: OwnAgency;
  let responding: OwnAgency;
  let policyVersion: number;
  const area = 'isle-of-wight';
  const as = async (who: string) => ({ token: await t.login(who) });
  const raise = async (who: string, respondingAgencyId = csc) => {
    const input = raiseInput(respondingAgencyId, {
      child: { initials: 'WX', dateOfBirth: '2017-02-03', localAuthority: 'ISLE_OF_WIGHT' },
    });
    const res = await t.gql(RAISE, { input }, await as(who));
    expect(res.errors).toBeUndefined();
    expect(res.data.raiseEscalation.userErrors).toEqual([]);
    return res.data.raiseEscalation.escalation;
  };

  beforeAll(async () => {
    t = await startTestApp();
    admin = await as(`admin.${area}@demo.hips.test`);
    csc = await agencyId(t, 'Isle of Wight Council Children%');
    raising = await createOwnAgency(t, {
      adminEmail: `admin.${area}@demo.hips.test`,
      partnership: 'ISLE_OF_WIGHT',
      label: 'Pinned policy raising agency',
      people: [
        { key: 'lead', roleType: 'SAFEGUARDING_LEAD' },
        { key: 'practitioner', roleType: 'PRACTITIONER', manager: 'lead' },
      ],
    });
    responding = await createOwnAgency(t, {
      adminEmail: `admin.${area}@demo.hips.test`,
      partnership: 'ISLE_OF_WIGHT',
      label: 'Pinned policy responding agency',
      people: [
        { key: 'head', roleType: 'SENIOR_MANAGER' },
        { key: 'lead', roleType: 'SAFEGUARDING_LEAD', manager: 'head' },
        { key: 'practitioner', roleType: 'PRACTITIONER', manager: 'lead' },
      ],
    });
    // The raising agency's own policy: stage 1 in 3 working days, stage 2 owned by the safeguarding lead.
    const stages = [
      { number: 0, roleType: 'PRACTITIONER', standardWorkingDays: 10, urgentWorkingDays: 0 },
      { number: 1, roleType: 'PRACTITIONER', standardWorkingDays: 3, urgentWorkingDays: 1 },
      { number: 2, roleType: 'SAFEGUARDING_LEAD', standardWorkingDays: 4, urgentWorkingDays: 1 },
      { number: 3, roleType: 'SENIOR_MANAGER', standardWorkingDays: 5, urgentWorkingDays: 1 },
      { number: 4, roleType: 'PARTNERSHIP_MANAGER', standardWorkingDays: 10, urgentWorkingDays: 2 },
    ];
    const draft = await t.gql(
      `mutation($input: SavePolicyDraftInput!) { saveEscalationPolicyDraft(input: $input) { policy { id version } userErrors { code field message } } }`,
      { input: { agencyId: raising.agencyId, type: 'GENERAL', stages } },
      admin,
    );
    expect(draft.data.saveEscalationPolicyDraft.userErrors).toEqual([]);
    const published = await t.gql(
      `mutation($input: PublishPolicyInput!) { publishEscalationPolicy(input: $input) { policy { version published } userErrors { code message } } }`,
      { input: { policyId: draft.data.saveEscalationPolicyDraft.policy.id } },
      admin,
    );
    expect(published.data.publishEscalationPolicy.userErrors).toEqual([]);
    policyVersion = published.data.publishEscalationPolicy.policy.version;
  }, 120_000);
  afterAll(() => t.close());

  it('counts working days around the partnership’s closure days', async () => {
    const [{ now }]: { now: Date }[] = await t.owner.query('select now() as now');
    const calendar = new WorkingCalendar();
    const probe = computeDue(calendar, now, 5);
    // Close the first working day after the opening day: the due date must move by one working day.
    const closed = calendar.nextWorkingDay(
      new Date(probe.dueAt.getTime() - 4 * 86_400_000).toISOString().slice(0, 10),
    );
    const added = await t.gql(
      `mutation($input: AddClosureDayInput!) { addClosureDay(input: $input) { closureDates userErrors { code message } } }`,
      { input: { date: closed, reason: 'Island-wide training day' } },
      admin,
    );
    expect(added.data.addClosureDay.userErrors).toEqual([]);
    try {
      const c = await raise(email('practitioner', 'police', area));
      const expected = computeDue(
        new WorkingCalendar({ closureDays: [closed] }),
        new Date(c.currentStage.due.start),
        5,
      );
      expect(new Date(c.currentStage.dueAt).toISOString()).toBe(expected.dueAt.toISOString());
      expect(c.currentStage.due.skippedDates).toContain(closed);
      expect(c.currentStage.due.explanation).toContain('closure');
    } finally {
      const removed = await t.gql(
        `mutation($input: RemoveClosureDayInput!) { removeClosureDay(input: $input) { userErrors { code message } } }`,
        { input: { date: closed, reason: 'Test over' } },
        admin,
      );
      expect(removed.data.removeClosureDay.userErrors).toEqual([]);
    }
  });

  it('uses the raising agency’s published policy and pins its version', async () => {
    const c = await raise(raising.emails.practitioner, responding.agencyId);
    expect(c.policyVersion).toBe(policyVersion);
    expect(c.currentStage.workingDays).toBe(3);
  });

  it('routes the next stage to a deputy while the holder is absent', async () => {
    const c = await raise(raising.emails.practitioner, responding.agencyId);
    // The raising agency's policy maps stage 2 to SAFEGUARDING_LEAD; the responding one's is absent, with a deputy.
    const holder = responding.people.lead;
    const deputy = responding.people.head;
    const deputyRes = await t.gql(
      `mutation($input: AddDeputyInput!) { addDeputy(input: $input) { userErrors { code message } } }`,
      {
        input: {
          personId: holder,
          orgUnitId: responding.unitId,
          roleType: 'SAFEGUARDING_LEAD',
          deputyPersonId: deputy,
        },
      },
      admin,
    );
    expect(deputyRes.data.addDeputy.userErrors).toEqual([]);
    const [{ today, later }]: { today: string; later: string }[] = await t.owner.query(
      `select to_char(now() at time zone 'Europe/London', 'YYYY-MM-DD') as today,
              to_char((now() at time zone 'Europe/London') + interval '10 days', 'YYYY-MM-DD') as later`,
    );
    const absence = await t.gql(
      `mutation($input: RecordAbsenceInput!) { recordAbsence(input: $input) { userErrors { code message } } }`,
      { input: { personId: holder, from: today, to: later, reason: 'annual leave' } },
      admin,
    );
    expect(absence.data.recordAbsence.userErrors).toEqual([]);

    const escalated = await t.gql(
      ESCALATE,
      { input: { escalationId: c.id, rationale: 'No reply', expectedVersion: c.version } },
      await as(raising.emails.practitioner),
    );
    expect(escalated.data.escalateEscalation.userErrors).toEqual([]);
    const stage = escalated.data.escalateEscalation.escalation.currentStage;
    expect(stage.number).toBe(2);
    expect(stage.workingDays).toBe(4);
    const [{ responder }]: { responder: string }[] = await t.owner.query(
      `select responder_owner_person_id as responder from escalation_stages where escalation_id = $1 and number = 2`,
      [idOf(c.id, 'Escalation')],
    );
    expect(responder).toBe(idOf(deputy, 'Person'));
  });
});
