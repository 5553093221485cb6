import { randomUUID } from 'node:crypto';
import { idOf, toGlobalId } from '@hips/common';
import { computeDue, WorkingCalendar } from '@hips/core';
import { startTestApp, TestApp } from '../support/app';
import { agencyId, CASE_FIELDS, email, PORTSMOUTH_CSC, RAISE, raiseInput } from './support';

/**
 * The reflective step's record (docs/procedure.md §3, docs/api/escalations.md): a case raised at stage 0 records
 * its meeting, and the outcome either opens stage 1 with its own deadline or resolves the case.
 */
describe('the reflective step’s record', () => {
  let t: TestApp;
  let csc: string;
  const raiser = email('practitioner', 'police');
  const responder = email('practitioner', 'csc');
  const RECORD = `mutation($input: RecordReflectiveMeetingInput!) { recordReflectiveMeeting(input: $input) {
    escalation { ${CASE_FIELDS} } userErrors { code field message } } }`;
  const MEETING = `query($id: ID!) { escalation(id: $id) {
    events(first: 20) { edges { node { kind stage detail } } }
    reflectiveMeeting { heldAt outcome recordedAt recordedBy { displayName }
      facilitator { role person { id displayName } } attendees { role person { id displayName } } } } }`;

  const as = async (who: string) => ({ token: await t.login(who, 'PORTSMOUTH') });
  const personId = async (who: string) => {
    const [row]: { id: string }[] = await t.owner.query('select id from people where email = $1', [who]);
    return toGlobalId('Person', row.id);
  };
  const raiseAtStageZero = async () => {
    const res = await t.gql(
      RAISE,
      { input: raiseInput(csc, { startWithReflectiveStep: true }) },
      await as(raiser),
    );
    expect(res.data.raiseEscalation.userErrors).toEqual([]);
    const c = res.data.raiseEscalation.escalation;
    expect(c.currentStage).toMatchObject({ number: 0, status: 'AWAITING_RESPONSE' });
    return c as { id: string; version: number };
  };
  const record = async (who: string, input: Record<string, unknown>) => {
    const res = await t.gql(RECORD, { input }, await as(who));
    expect(res.errors).toBeUndefined();
    return res.data.recordReflectiveMeeting as {
      escalation: any;
      userErrors: { code: string; field: string[] | null; message: string }[];
    };
  };
  const meeting = (escalationId: string, patch: Record<string, unknown> = {}) => ({
    escalationId,
    heldAt: new Date().toISOString(),
    facilitator: { role: 'Independent chair' },
    attendees: [{ role: 'Designated nurse' }],
    outcome: 'PROCEED_TO_STAGE_1',
    ...patch,
  });

  beforeAll(async () => {
    t = await startTestApp();
    csc = await agencyId(t, PORTSMOUTH_CSC);
  });
  afterAll(() => t.close());

  it('records the meeting and opens stage 1 with its own deadline from the working-day clock', async () => {
    const c = await raiseAtStageZero();
    const [raiserId, responderId] = [await personId(raiser), await personId(responder)];
    const before = Date.now();
    // The responding side's owner of stage 0 may record a meeting that proceeds to stage 1.
    const done = await record(
      responder,
      meeting(c.id, {
        facilitator: { personId: raiserId },
        attendees: [{ personId: raiserId }, { personId: responderId }, { role: 'Designated nurse' }],
        expectedVersion: c.version,
      }),
    );
    const after = Date.now();
    expect(done.userErrors).toEqual([]);
    const stage1 = done.escalation.currentStage;
    expect(done.escalation.status).toBe('OPEN');
    expect(stage1).toMatchObject({ number: 1, status: 'AWAITING_RESPONSE', workingDays: 5, overdue: false });
    expect(done.escalation.stages).toEqual([
      expect.objectContaining({ number: 0, status: 'CLOSED' }),
      expect.objectContaining({ number: 1, status: 'AWAITING_RESPONSE' }),
    ]);
    // Stage 1 starts when the meeting was recorded, and is due 5 working days on (Europe/London, closures skipped).
    const start = new Date(stage1.due.start).getTime();
    expect(start).toBeGreaterThanOrEqual(before - 2000);
    expect(start).toBeLessThanOrEqual(after + 2000);
    const calendar = new WorkingCalendar({ closureDays: stage1.due.skippedDates });
    expect(stage1.dueAt).toBe(computeDue(calendar, new Date(stage1.due.start), 5).dueAt.toISOString());
    const deadlines: { kind: string }[] = await t.owner.query(
      `select d.kind from deadlines d join escalation_stages s on s.id = d.stage_id
        where s.escalation_id = $1 and s.number = 1 and d.cancelled_at is null`,
      [idOf(c.id, 'Escalation')],
    );
    expect(deadlines.map((d) => d.kind)).toContain('DUE');

    const read = (await t.gql(MEETING, { id: c.id }, await as(raiser))).data.escalation;
    expect(read.reflectiveMeeting).toMatchObject({
      outcome: 'PROCEED_TO_STAGE_1',
      facilitator: { role: null, person: { id: raiserId } },
      recordedBy: { displayName: expect.stringMatching(/^Practitioner, Portsmouth City Council/) },
    });
    expect(read.reflectiveMeeting.attendees).toEqual([
      { role: null, person: expect.objectContaining({ id: raiserId }) },
      { role: null, person: expect.objectContaining({ id: responderId }) },
      { role: 'Designated nurse', person: null },
    ]);
    const kinds = read.events.edges.map((e: any) => e.node.kind);
    expect(kinds).toEqual(['RAISED', 'REFLECTIVE_MEETING_RECORDED', 'ESCALATED']);
    const recorded = read.events.edges[1].node;
    expect(recorded).toMatchObject({ stage: 0, detail: expect.stringMatching(/: PROCEED_TO_STAGE_1$/) });
    expect(recorded.detail).not.toContain('Designated nurse');
    // The event leaves through the outbox (subscriptions, webhooks) carrying ids and codes only.
    const outbox: { payload: Record<string, unknown> }[] = await t.owner.query(
      `select payload from outbox where topic = 'ESCALATION_EVENT' and payload->>'escalationId' = $1
          and payload->>'kind' = 'REFLECTIVE_MEETING_RECORDED'`,
      [idOf(c.id, 'Escalation')],
    );
    expect(outbox).toHaveLength(1);
    expect(JSON.stringify(outbox[0].payload)).not.toMatch(/nurse|Practitioner/i);
    const audit: unknown[] = await t.owner.query(
      `select 1 from audit_log where entity_id = $1 and action = 'ESCALATION_REFLECTIVE_MEETING_RECORDED'`,
      [idOf(c.id, 'Escalation')],
    );
    expect(audit).toHaveLength(1);

    // Stage 0 is over: a second record is refused.
    const again = await record(raiser, meeting(c.id));
    expect(again.userErrors[0]).toMatchObject({ code: 'INVALID_STATE' });
    expect(again.userErrors[0].message).toMatch(/stage 0; the case is at stage 1/);
  });

  it('resolves the case when the meeting resolved it (the raising side only)', async () => {
    const c = await raiseAtStageZero();
    const refused = await record(responder, meeting(c.id, { outcome: 'RESOLVED' }));
    expect(refused.userErrors).toEqual([expect.objectContaining({ code: 'FORBIDDEN' })]);
    // Someone of the responding agency who owns no side of stage 0 sees the case but may not record.
    const bystander = await record(email('senior-manager', 'csc'), meeting(c.id));
    expect(bystander.userErrors).toEqual([expect.objectContaining({ code: 'FORBIDDEN' })]);

    const resolved = await record(raiser, meeting(c.id, { outcome: 'RESOLVED' }));
    expect(resolved.userErrors).toEqual([]);
    expect(resolved.escalation).toMatchObject({ status: 'RESOLVED', currentStage: { number: 0 } });
    expect(resolved.escalation.outcome).toMatchObject({
      code: 'RESOLVED_BY_REFLECTIVE_STEP',
      statement: expect.stringMatching(
        /^Resolved by the reflective step \(Rethink\) held \d{4}-\d{2}-\d{2}\.$/,
      ),
    });
    const read = (await t.gql(MEETING, { id: c.id }, await as(responder))).data.escalation;
    expect(read.reflectiveMeeting).toMatchObject({
      outcome: 'RESOLVED',
      facilitator: { role: 'Independent chair' },
    });
    expect(read.events.edges.map((e: any) => e.node.kind)).toEqual([
      'RAISED',
      'REFLECTIVE_MEETING_RECORDED',
      'RESOLVED',
    ]);
    // Closed: nothing more to record.
    const closed = await record(raiser, meeting(c.id, { outcome: 'RESOLVED' }));
    expect(closed.userErrors[0]).toMatchObject({ code: 'INVALID_STATE' });
  });

  it('refuses a meeting in the future or before stage 0, unknown people, too many attendees, child identifiers', async () => {
    const c = await raiseAtStageZero();
    const refuse = async (patch: Record<string, unknown>) =>
      (await record(raiser, meeting(c.id, patch))).userErrors;

    expect(await refuse({ heldAt: new Date(Date.now() + 86400_000).toISOString() })).toEqual([
      expect.objectContaining({
        code: 'VALIDATION',
        field: ['input', 'heldAt'],
        message: expect.stringMatching(/future/),
      }),
    ]);
    expect(await refuse({ heldAt: new Date(Date.now() - 86400_000).toISOString() })).toEqual([
      expect.objectContaining({
        code: 'VALIDATION',
        field: ['input', 'heldAt'],
        message: expect.stringMatching(/before/),
      }),
    ]);
    expect(await refuse({ attendees: [{ personId: toGlobalId('Person', randomUUID()) }] })).toEqual([
      expect.objectContaining({ code: 'NOT_FOUND', field: ['input', 'attendees', '0', 'personId'] }),
    ]);
    // A person of another partnership is unknown here (tenancy).
    const elsewhere = await personId('practitioner.csc.southampton@demo.hips.test');
    expect(await refuse({ facilitator: { personId: elsewhere } })).toEqual([
      expect.objectContaining({ code: 'NOT_FOUND', field: ['input', 'facilitator', 'personId'] }),
    ]);
    const crowd = Array.from({ length: 31 }, (_, i) => ({ role: `Professional ${i}` }));
    expect(await refuse({ attendees: crowd })).toEqual([
      expect.objectContaining({ code: 'VALIDATION', field: ['input', 'attendees'] }),
    ]);
    expect(await refuse({ attendees: [] })).toEqual([
      expect.objectContaining({ code: 'VALIDATION', field: ['input', 'attendees'] }),
    ]);
    const identifiers = await refuse({
      facilitator: { role: 'Chair for 943 476 5919' },
      attendees: [
        { role: 'Mother of child born 04/05/2018' },
        { role: 'x'.repeat(101) },
        { personId: await personId(raiser), role: 'Both' },
      ],
    });
    expect(identifiers.map((e) => e.field)).toEqual([
      ['input', 'facilitator', 'role'],
      ['input', 'attendees', '0', 'role'],
      ['input', 'attendees', '1', 'role'],
      ['input', 'attendees', '2'],
    ]);
    // Nothing was recorded and the case is still at stage 0.
    const read = (await t.gql(MEETING, { id: c.id }, await as(raiser))).data.escalation;
    expect(read.reflectiveMeeting).toBeNull();
    expect(read.events.edges.map((e: any) => e.node.kind)).toEqual(['RAISED']);
  });

  it('refuses a case raised at stage 1 (no reflective step) and a stale version', async () => {
    const res = await t.gql(RAISE, { input: raiseInput(csc) }, await as(raiser));
    const c = res.data.raiseEscalation.escalation;
    const refused = await record(raiser, meeting(c.id));
    expect(refused.userErrors).toEqual([
      expect.objectContaining({
        code: 'INVALID_STATE',
        message: expect.stringMatching(/stage 0; the case is at stage 1/),
      }),
    ]);
    const zero = await raiseAtStageZero();
    const stale = await record(raiser, meeting(zero.id, { expectedVersion: zero.version + 1 }));
    expect(stale.userErrors[0]).toMatchObject({ code: 'CONFLICT' });
  });
});
