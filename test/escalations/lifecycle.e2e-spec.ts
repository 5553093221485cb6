import { idOf } from '@hips/common';
import {
  DECIDE,
  email,
  ESCALATE,
  EXTEND,
  REOPEN,
  RESOLVE,
  RESPOND,
  useCaseHarness,
  WITHDRAW,
} from './support';

describe('escalation case lifecycle', () => {
  const h = useCaseHarness();

  it('walks a case through every stage to a partnership decision', async () => {
    const pp = email('practitioner', 'police');
    const raised = await h.raise(pp);
    expect(raised.userErrors).toEqual([]);
    const c = raised.escalation;
    expect(c.reference).toMatch(/^[A-Z]+-\d{4}-\d{6}$/);
    expect(c).toMatchObject({ status: 'OPEN', version: 1, policyVersion: 1, type: 'GENERAL' });
    expect(c.currentStage).toMatchObject({
      number: 1,
      status: 'AWAITING_RESPONSE',
      workingDays: 5,
      overdue: false,
    });
    expect(c.currentStage.raiserOwner.displayName).toMatch(
      /^Practitioner, Hampshire and Isle of Wight Constabulary/,
    );
    expect(c.currentStage.responderOwner.displayName).toMatch(/^Practitioner, Portsmouth City Council/);
    expect(c.currentStage.due.explanation).toMatch(/counted 5 working days/);

    const responded = await h.run(RESPOND, email('practitioner', 'csc'), {
      escalationId: c.id,
      response: 'We stand by the threshold decision',
      expectedVersion: 1,
    });
    expect(responded.userErrors).toEqual([]);
    expect(responded.escalation.currentStage.status).toBe('RESPONDED');

    const s2 = await h.run(ESCALATE, pp, {
      escalationId: c.id,
      rationale: 'Risk is escalating',
      expectedVersion: 2,
    });
    expect(s2.userErrors).toEqual([]);
    expect(s2.escalation.currentStage.number).toBe(2);
    expect(s2.escalation.currentStage.raiserOwner.displayName).toMatch(/^Team Manager, Hampshire and Isle/);
    expect(s2.escalation.currentStage.responderOwner.displayName).toMatch(/^Team Manager, Portsmouth City/);

    // Extension: by the raiser side owner's manager, once.
    const before = s2.escalation.currentStage.dueAt;
    const notManager = await h.run(EXTEND, email('practitioner', 'police'), {
      escalationId: c.id,
      workingDays: 2,
      reason: 'x',
    });
    expect(notManager.userErrors[0].code).toBe('FORBIDDEN');
    const extended = await h.run(EXTEND, email('safeguarding-lead', 'police'), {
      escalationId: c.id,
      workingDays: 2,
      reason: 'Awaiting the strategy meeting',
    });
    expect(extended.userErrors).toEqual([]);
    expect(extended.escalation.currentStage).toMatchObject({ extended: true, workingDays: 7 });
    expect(new Date(extended.escalation.currentStage.dueAt).getTime()).toBeGreaterThan(
      new Date(before).getTime(),
    );
    expect(extended.escalation.currentStage.due.explanation).toMatch(/extended from/);
    const twice = await h.run(EXTEND, email('safeguarding-lead', 'police'), {
      escalationId: c.id,
      workingDays: 1,
      reason: 'again',
    });
    expect(twice.userErrors[0]).toMatchObject({
      code: 'INVALID_STATE',
      message: expect.stringMatching(/Allowed now: .*ESCALATE/),
    });
    const tooLong = await h.run(EXTEND, email('safeguarding-lead', 'police'), {
      escalationId: c.id,
      workingDays: 6,
      reason: 'x',
    });
    expect(tooLong.userErrors[0]).toMatchObject({ code: 'VALIDATION', field: ['input', 'workingDays'] });

    const s3 = await h.run(ESCALATE, email('line-manager', 'police'), {
      escalationId: c.id,
      rationale: 'No movement',
    });
    expect(s3.escalation.currentStage.number).toBe(3);
    expect(s3.escalation.currentStage.raiserOwner.displayName).toMatch(
      /^Head of Service, Hampshire and Isle/,
    );
    const early = await h.run(DECIDE, 'partnership-manager.portsmouth@demo.hips.test', {
      escalationId: c.id,
      statement: 'x',
    });
    expect(early.userErrors[0].code).toBe('INVALID_STATE');

    const s4 = await h.run(ESCALATE, email('senior-manager', 'police'), {
      escalationId: c.id,
      rationale: 'Partnership view needed',
    });
    expect(s4.escalation.currentStage).toMatchObject({ number: 4, name: 'Partnership', workingDays: 10 });
    expect(s4.escalation.currentStage.responderOwner.displayName).toMatch(
      /^Partnership business manager \(Portsmouth\)/,
    );
    const beyond = await h.run(ESCALATE, email('senior-manager', 'police'), {
      escalationId: c.id,
      rationale: 'more',
    });
    expect(beyond.userErrors[0].code).toBe('INVALID_STATE');

    const notPm = await h.run(DECIDE, email('senior-manager', 'csc'), { escalationId: c.id, statement: 'x' });
    expect(notPm.userErrors[0].code).toBe('FORBIDDEN');
    const decided = await h.run(DECIDE, 'partnership-manager.portsmouth@demo.hips.test', {
      escalationId: c.id,
      statement: 'The partners agree a strategy discussion is convened within 2 days',
    });
    expect(decided.userErrors).toEqual([]);
    expect(decided.escalation).toMatchObject({
      status: 'CLOSED_BY_PARTNERSHIP',
      outcome: { code: 'PARTNERSHIP_DECISION' },
    });
    expect(decided.escalation.closedAt).not.toBeNull();
    expect(decided.escalation.stages.map((s: any) => [s.number, s.status])).toEqual([
      [1, 'CLOSED'],
      [2, 'CLOSED'],
      [3, 'CLOSED'],
      [4, 'CLOSED'],
    ]);

    const id = idOf(c.id, 'Escalation');
    const events: { kind: string }[] = await h.t.owner.query(
      'select kind from escalation_events where escalation_id = $1 order by at, id',
      [id],
    );
    expect(events.map((e) => e.kind)).toEqual([
      'RAISED',
      'RESPONDED',
      'ESCALATED',
      'EXTENDED',
      'ESCALATED',
      'ESCALATED',
      'PARTNERSHIP_DECISION',
    ]);
    // Deadlines: every stage's rows written, none left armed on a closed case.
    const armed: unknown[] = await h.t.owner.query(
      'select 1 from deadlines where escalation_id = $1 and fired_at is null and cancelled_at is null',
      [id],
    );
    expect(armed).toEqual([]);
    const [{ n }]: { n: number }[] = await h.t.owner.query(
      `select count(*)::int as n from deadlines where escalation_id = $1 and kind = 'DUE'`,
      [id],
    );
    expect(n).toBe(4);
    const outbox: { topic: string; dedupe_key: string }[] = await h.t.owner.query(
      `select topic, dedupe_key from outbox where payload->>'escalationId' = $1::text or payload->>'deadlineId' in
         (select id::text from deadlines where escalation_id = $1::uuid)`,
      [id],
    );
    expect(new Set(outbox.map((o) => o.topic))).toEqual(
      new Set(['ESCALATION_EVENT', 'DEADLINE_SCHEDULED', 'DEADLINE_CANCELLED']),
    );
    // Stage 3 and 4 openings and the partnership decision are queued for the LSCP mailbox; stage 4 and the
    // decision for the partnership manager too (docs/procedure.md §8).
    const told: { kind: string; recipient_email: string; subject: string }[] = await h.t.owner.query(
      `select kind, recipient_email, subject from notifications where escalation_id = $1 order by created_at`,
      [id],
    );
    const to = (address: string) => told.filter((n) => n.recipient_email === address).map((n) => n.subject);
    expect(to('pscp@portsmouthcc.gov.uk')).toEqual([
      expect.stringMatching(/stage 3 opened$/),
      expect.stringMatching(/stage 4 opened$/),
      expect.stringMatching(/partnership decision recorded$/),
    ]);
    expect(to('partnership-manager.portsmouth@demo.hips.test')).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/stage 4 opened$/),
        expect.stringMatching(/partnership decision recorded$/),
      ]),
    );
    for (const n of told) expect(`${n.subject}`).not.toMatch(/QZ|2018-05-04|9434765919/);
    expect(outbox.every((o) => !o.dedupe_key.includes(':'))).toBe(true);
    const audit: { action: string }[] = await h.t.owner.query(
      `select action from audit_log where entity_id = $1 order by seq`,
      [id],
    );
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining([
        'ESCALATION_RAISED',
        'ESCALATION_RESPONDED',
        'ESCALATION_STAGE_EXTENDED',
        'ESCALATION_PARTNERSHIP_DECISION',
      ]),
    );
    const [{ broken }]: { broken: string | null }[] = await h.t.owner.query(
      `select audit_verify_chain(id) as broken from partnerships where code = 'PORTSMOUTH'`,
    );
    expect(broken).toBeNull();
  });

  it('resolves, reopens within 20 working days, and not after', async () => {
    const pp = email('practitioner', 'police');
    const { escalation: c } = await h.raise(pp);
    const notOwner = await h.run(RESOLVE, email('practitioner', 'csc'), {
      escalationId: c.id,
      outcome: 'DECISION_CHANGED',
      statement: 'x',
    });
    expect(notOwner.userErrors[0].code).toBe('FORBIDDEN');
    const badOutcome = await h.run(RESOLVE, pp, {
      escalationId: c.id,
      outcome: 'RESOLVED_BY_REFLECTIVE_STEP',
      statement: 'x',
    });
    expect(badOutcome.userErrors[0]).toMatchObject({ code: 'VALIDATION', field: ['input', 'outcome'] });
    const resolved = await h.run(RESOLVE, pp, {
      escalationId: c.id,
      outcome: 'PARTIAL_ACTION_AGREED',
      statement: 'CSC will complete a single assessment',
      agreedActions: [{ description: 'Single assessment', ownerAgencyId: h.csc, dueDate: '2030-01-31' }],
      learningThemes: ['thresholds'],
      systemicIssue: true,
    });
    expect(resolved.userErrors).toEqual([]);
    expect(resolved.escalation).toMatchObject({
      status: 'RESOLVED',
      outcome: {
        code: 'PARTIAL_ACTION_AGREED',
        learningThemes: ['thresholds'],
        systemicIssue: true,
        agreedActions: [{ description: 'Single assessment', done: false }],
      },
    });
    const again = await h.run(RESOLVE, pp, {
      escalationId: c.id,
      outcome: 'DECISION_CHANGED',
      statement: 'x',
    });
    expect(again.userErrors[0]).toMatchObject({
      code: 'INVALID_STATE',
      message: expect.stringMatching(/Allowed now: REOPEN, ADD_NOTE/),
    });
    const stale = await h.run(REOPEN, pp, {
      escalationId: c.id,
      reason: 'not delivered',
      expectedVersion: 1,
    });
    expect(stale.userErrors[0]).toMatchObject({ code: 'CONFLICT', field: ['input', 'expectedVersion'] });
    const reopened = await h.run(REOPEN, pp, { escalationId: c.id, reason: 'Assessment not started' });
    expect(reopened.userErrors).toEqual([]);
    expect(reopened.escalation).toMatchObject({ status: 'OPEN', outcome: null, closedAt: null });
    expect(reopened.escalation.currentStage).toMatchObject({ number: 1, status: 'AWAITING_RESPONSE' });

    // Resolved long ago: the window has closed.
    await h.run(RESOLVE, pp, { escalationId: c.id, outcome: 'DECISION_CHANGED', statement: 'done' });
    await h.t.owner.query(`update escalations set closed_at = now() - interval '40 days' where id = $1`, [
      idOf(c.id, 'Escalation'),
    ]);
    const late = await h.run(REOPEN, pp, { escalationId: c.id, reason: 'late' });
    expect(late.userErrors[0]).toMatchObject({
      code: 'INVALID_STATE',
      message: expect.stringMatching(/within 20 working days/),
    });
  });

  it('withdraws, only by the raiser side', async () => {
    const { escalation: c } = await h.raise(email('practitioner', 'police'));
    const other = await h.run(WITHDRAW, email('practitioner', 'csc'), { escalationId: c.id, reason: 'x' });
    expect(other.userErrors[0].code).toBe('FORBIDDEN');
    const done = await h.run(WITHDRAW, email('practitioner', 'police'), {
      escalationId: c.id,
      reason: 'Resolved informally',
    });
    expect(done.escalation).toMatchObject({ status: 'WITHDRAWN', outcome: { code: 'WITHDRAWN' } });
    const reopen = await h.run(REOPEN, email('practitioner', 'police'), { escalationId: c.id, reason: 'x' });
    expect(reopen.userErrors[0].code).toBe('INVALID_STATE');
  });
});
