import { idOf, toGlobalId } from '@hips/common';
import { computeDue, WorkingCalendar } from '@hips/core';
import { startTestApp, TestApp } from '../support/app';
import { agencyId, email, ESCALATE, POLICE, RAISE, raiseInput } from './support';

/**
 * A case takes its timescales from the raising agency's published policy, its due dates from the partnership's
 * calendar, and its owners from the org structure (absent holder → deputy). Isle of Wight, so no other spec's
 * expectations move.
 */
describe('a case pins the policy and calendar in force and routes owners through the structure', () => {
  let t: TestApp;
  let admin: { token: string };
  let csc: string;
  let police: string;
  const area = 'isle-of-wight';
  const as = async (who: string) => ({ token: await t.login(who) });
  const raise = async (who: string) => {
    const input = raiseInput(csc, {
      child: { initials: 'WX', dateOfBirth: '2017-02-03', localAuthority: 'ISLE_OF_WIGHT' },
    });
    const res = await t.gql(RAISE, { input }, await as(who));
    expect(res.errors).toBeUndefined();
    expect(res.data.raiseEscalation.userErrors).toEqual([]);
    return res.data.raiseEscalation.escalation;
  };
  const personId = async (address: string) =>
    toGlobalId(
      'Person',
      (await t.owner.query<{ id: string }[]>('select id from people where email = $1', [address]))[0].id,
    );

  beforeAll(async () => {
    t = await startTestApp();
    admin = await as(`admin.${area}@demo.hips.test`);
    csc = await agencyId(t, 'Isle of Wight Council Children%');
    police = await agencyId(t, POLICE);
  });
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

    const c = await raise(email('practitioner', 'police', area));
    const expected = computeDue(
      new WorkingCalendar({ closureDays: [closed] }),
      new Date(c.currentStage.due.start),
      5,
    );
    expect(new Date(c.currentStage.dueAt).toISOString()).toBe(expected.dueAt.toISOString());
    expect(c.currentStage.due.skippedDates).toContain(closed);
    expect(c.currentStage.due.explanation).toContain('closure');
  });

  it('uses the raising agency’s published policy and pins its version', async () => {
    const stages = [
      { number: 0, roleType: 'PRACTITIONER', standardWorkingDays: 10, urgentWorkingDays: 0 },
      { number: 1, roleType: 'PRACTITIONER', standardWorkingDays: 3, urgentWorkingDays: 1 },
      { number: 2, roleType: 'SAFEGUARDING_LEAD', standardWorkingDays: 4, urgentWorkingDays: 1 },
      { number: 3, roleType: 'SENIOR_MANAGER', standardWorkingDays: 5, urgentWorkingDays: 1 },
      { number: 4, roleType: 'PARTNERSHIP_MANAGER', standardWorkingDays: 10, urgentWorkingDays: 2 },
    ];
    const draft = await t.gql(
      `mutation($input: SavePolicyDraftInput!) { saveEscalationPolicyDraft(input: $input) { policy { id version } userErrors { code field message } } }`,
      { input: { agencyId: police, type: 'GENERAL', stages } },
      admin,
    );
    expect(draft.data.saveEscalationPolicyDraft.userErrors).toEqual([]);
    const published = await t.gql(
      `mutation($input: PublishPolicyInput!) { publishEscalationPolicy(input: $input) { policy { version published } userErrors { code message } } }`,
      { input: { policyId: draft.data.saveEscalationPolicyDraft.policy.id } },
      admin,
    );
    expect(published.data.publishEscalationPolicy.userErrors).toEqual([]);
    const version = published.data.publishEscalationPolicy.policy.version;

    const c = await raise(email('practitioner', 'police', area));
    expect(c.policyVersion).toBe(version);
    expect(c.currentStage.workingDays).toBe(3);
  });

  it('routes the next stage to a deputy while the holder is absent', async () => {
    const c = await raise(email('practitioner', 'police', area));
    // The police policy above maps stage 2 to SAFEGUARDING_LEAD; make the CSC one absent, with a deputy.
    const [{ id: unit }]: { id: string }[] = await t.owner.query(
      `select ra.org_unit_id as id from role_assignments ra join people p on p.id = ra.person_id
       where p.email = $1 and ra.role_type = 'SAFEGUARDING_LEAD'`,
      [email('safeguarding-lead', 'csc', area)],
    );
    const holder = await personId(email('safeguarding-lead', 'csc', area));
    const deputy = await personId(email('senior-manager', 'csc', area));
    const deputyRes = await t.gql(
      `mutation($input: AddDeputyInput!) { addDeputy(input: $input) { userErrors { code message } } }`,
      {
        input: {
          personId: holder,
          orgUnitId: toGlobalId('OrgUnit', unit),
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
      await as(email('practitioner', 'police', area)),
    );
    expect(escalated.data.escalateEscalation.userErrors).toEqual([]);
    const stage = escalated.data.escalateEscalation.escalation.currentStage;
    expect(stage.number).toBe(2);
    expect(stage.workingDays).toBe(4);
    expect(stage.responderOwner.displayName).toMatch(/^Head of Service, Isle of Wight Council/);
    const [{ responder }]: { responder: string }[] = await t.owner.query(
      `select responder_owner_person_id as responder from escalation_stages where escalation_id = $1 and number = 2`,
      [idOf(c.id, 'Escalation')],
    );
    expect(responder).toBe(idOf(deputy, 'Person'));
  });
});
