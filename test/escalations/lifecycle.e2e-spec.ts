import { idOf } from '@hips/common';
import { startTestApp, TestApp } from '../support/app';
import {
  agencyId,
  DECIDE,
  email,
  NO_SCREENING,
  ESCALATE,
  EXTEND,
  POLICE,
  PORTSMOUTH_CSC,
  RAISE,
  raiseInput,
  REOPEN,
  RESOLVE,
  RESPOND,
  WITHDRAW,
} from './support';

describe('escalation case lifecycle', () => {
  let t: TestApp;
  let csc: string;
  let police: string;
  const as = async (who: string) => ({ token: await t.login(who, 'PORTSMOUTH') });
  const raise = async (who: string, patch: Record<string, unknown> = {}) => {
    const res = await t.gql(RAISE, { input: raiseInput(csc, patch) }, await as(who));
    expect(res.errors).toBeUndefined();
    return res.data.raiseEscalation;
  };
  const run = async (mutation: string, who: string, input: Record<string, unknown>) => {
    const res = await t.gql(mutation, { input }, await as(who));
    expect(res.errors).toBeUndefined();
    return Object.values(res.data)[0] as { escalation: any; userErrors: { code: string; message: string }[] };
  };

  beforeAll(async () => {
    t = await startTestApp();
    csc = await agencyId(t, PORTSMOUTH_CSC);
    police = await agencyId(t, POLICE);
  });
  afterAll(() => t.close());

  it('walks a case through every stage to a partnership decision', async () => {
    const pp = email('practitioner', 'police');
    const raised = await raise(pp);
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

    const responded = await run(RESPOND, email('practitioner', 'csc'), {
      escalationId: c.id,
      response: 'We stand by the threshold decision',
      expectedVersion: 1,
    });
    expect(responded.userErrors).toEqual([]);
    expect(responded.escalation.currentStage.status).toBe('RESPONDED');

    const s2 = await run(ESCALATE, pp, {
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
    const notManager = await run(EXTEND, email('practitioner', 'police'), {
      escalationId: c.id,
      workingDays: 2,
      reason: 'x',
    });
    expect(notManager.userErrors[0].code).toBe('FORBIDDEN');
    const extended = await run(EXTEND, email('safeguarding-lead', 'police'), {
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
    const twice = await run(EXTEND, email('safeguarding-lead', 'police'), {
      escalationId: c.id,
      workingDays: 1,
      reason: 'again',
    });
    expect(twice.userErrors[0]).toMatchObject({
      code: 'INVALID_STATE',
      message: expect.stringMatching(/Allowed now: .*ESCALATE/),
    });
    const tooLong = await run(EXTEND, email('safeguarding-lead', 'police'), {
      escalationId: c.id,
      workingDays: 6,
      reason: 'x',
    });
    expect(tooLong.userErrors[0]).toMatchObject({ code: 'VALIDATION', field: ['input', 'workingDays'] });

    const s3 = await run(ESCALATE, email('line-manager', 'police'), {
      escalationId: c.id,
      rationale: 'No movement',
    });
    expect(s3.escalation.currentStage.number).toBe(3);
    expect(s3.escalation.currentStage.raiserOwner.displayName).toMatch(
      /^Head of Service, Hampshire and Isle/,
    );
    const early = await run(DECIDE, 'partnership-manager.portsmouth@demo.hips.test', {
      escalationId: c.id,
      statement: 'x',
    });
    expect(early.userErrors[0].code).toBe('INVALID_STATE');

    const s4 = await run(ESCALATE, email('senior-manager', 'police'), {
      escalationId: c.id,
      rationale: 'Partnership view needed',
    });
    expect(s4.escalation.currentStage).toMatchObject({ number: 4, name: 'Partnership', workingDays: 10 });
    expect(s4.escalation.currentStage.responderOwner.displayName).toMatch(
      /^Partnership business manager \(Portsmouth\)/,
    );
    const beyond = await run(ESCALATE, email('senior-manager', 'police'), {
      escalationId: c.id,
      rationale: 'more',
    });
    expect(beyond.userErrors[0].code).toBe('INVALID_STATE');

    const notPm = await run(DECIDE, email('senior-manager', 'csc'), { escalationId: c.id, statement: 'x' });
    expect(notPm.userErrors[0].code).toBe('FORBIDDEN');
    const decided = await run(DECIDE, 'partnership-manager.portsmouth@demo.hips.test', {
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
    const events: { kind: string }[] = await t.owner.query(
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
    const armed: unknown[] = await t.owner.query(
      'select 1 from deadlines where escalation_id = $1 and fired_at is null and cancelled_at is null',
      [id],
    );
    expect(armed).toEqual([]);
    const [{ n }]: { n: number }[] = await t.owner.query(
      `select count(*)::int as n from deadlines where escalation_id = $1 and kind = 'DUE'`,
      [id],
    );
    expect(n).toBe(4);
    const outbox: { topic: string; dedupe_key: string }[] = await t.owner.query(
      `select topic, dedupe_key from outbox where payload->>'escalationId' = $1::text or payload->>'deadlineId' in
         (select id::text from deadlines where escalation_id = $1::uuid)`,
      [id],
    );
    expect(new Set(outbox.map((o) => o.topic))).toEqual(
      new Set(['ESCALATION_EVENT', 'DEADLINE_SCHEDULED', 'DEADLINE_CANCELLED']),
    );
    // Stage 3 and 4 openings and the partnership decision are queued for the LSCP mailbox; stage 4 and the
    // decision for the partnership manager too (procedure.md §8).
    const told: { kind: string; recipient_email: string; subject: string }[] = await t.owner.query(
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
    const audit: { action: string }[] = await t.owner.query(
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
    const [{ broken }]: { broken: string | null }[] = await t.owner.query(
      `select audit_verify_chain(id) as broken from partnerships where code = 'PORTSMOUTH'`,
    );
    expect(broken).toBeNull();
  });

  it('resolves, reopens within 20 working days, and not after', async () => {
    const pp = email('practitioner', 'police');
    const { escalation: c } = await raise(pp);
    const notOwner = await run(RESOLVE, email('practitioner', 'csc'), {
      escalationId: c.id,
      outcome: 'DECISION_CHANGED',
      statement: 'x',
    });
    expect(notOwner.userErrors[0].code).toBe('FORBIDDEN');
    const badOutcome = await run(RESOLVE, pp, {
      escalationId: c.id,
      outcome: 'RESOLVED_BY_REFLECTIVE_STEP',
      statement: 'x',
    });
    expect(badOutcome.userErrors[0]).toMatchObject({ code: 'VALIDATION', field: ['input', 'outcome'] });
    const resolved = await run(RESOLVE, pp, {
      escalationId: c.id,
      outcome: 'PARTIAL_ACTION_AGREED',
      statement: 'CSC will complete a single assessment',
      agreedActions: [{ description: 'Single assessment', ownerAgencyId: csc, dueDate: '2030-01-31' }],
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
    const again = await run(RESOLVE, pp, { escalationId: c.id, outcome: 'DECISION_CHANGED', statement: 'x' });
    expect(again.userErrors[0]).toMatchObject({
      code: 'INVALID_STATE',
      message: expect.stringMatching(/Allowed now: REOPEN, ADD_NOTE/),
    });
    const stale = await run(REOPEN, pp, { escalationId: c.id, reason: 'not delivered', expectedVersion: 1 });
    expect(stale.userErrors[0]).toMatchObject({ code: 'CONFLICT', field: ['input', 'expectedVersion'] });
    const reopened = await run(REOPEN, pp, { escalationId: c.id, reason: 'Assessment not started' });
    expect(reopened.userErrors).toEqual([]);
    expect(reopened.escalation).toMatchObject({ status: 'OPEN', outcome: null, closedAt: null });
    expect(reopened.escalation.currentStage).toMatchObject({ number: 1, status: 'AWAITING_RESPONSE' });

    // Resolved long ago: the window has closed.
    await run(RESOLVE, pp, { escalationId: c.id, outcome: 'DECISION_CHANGED', statement: 'done' });
    await t.owner.query(`update escalations set closed_at = now() - interval '40 days' where id = $1`, [
      idOf(c.id, 'Escalation'),
    ]);
    const late = await run(REOPEN, pp, { escalationId: c.id, reason: 'late' });
    expect(late.userErrors[0]).toMatchObject({
      code: 'INVALID_STATE',
      message: expect.stringMatching(/within 20 working days/),
    });
  });

  it('withdraws, only by the raiser side', async () => {
    const { escalation: c } = await raise(email('practitioner', 'police'));
    const other = await run(WITHDRAW, email('practitioner', 'csc'), { escalationId: c.id, reason: 'x' });
    expect(other.userErrors[0].code).toBe('FORBIDDEN');
    const done = await run(WITHDRAW, email('practitioner', 'police'), {
      escalationId: c.id,
      reason: 'Resolved informally',
    });
    expect(done.escalation).toMatchObject({ status: 'WITHDRAWN', outcome: { code: 'WITHDRAWN' } });
    const reopen = await run(REOPEN, email('practitioner', 'police'), { escalationId: c.id, reason: 'x' });
    expect(reopen.userErrors[0].code).toBe('INVALID_STATE');
  });

  it('enforces who may act, and skipping needs a manager', async () => {
    const { escalation: c } = await raise(email('practitioner', 'police'));
    const wrongSide = await run(RESPOND, email('practitioner', 'police'), {
      escalationId: c.id,
      response: 'x',
    });
    expect(wrongSide.userErrors[0].code).toBe('FORBIDDEN');
    const responderEscalates = await run(ESCALATE, email('practitioner', 'csc'), {
      escalationId: c.id,
      rationale: 'x',
    });
    expect(responderEscalates.userErrors[0].code).toBe('FORBIDDEN');
    const skipByOwner = await run(ESCALATE, email('practitioner', 'police'), {
      escalationId: c.id,
      rationale: 'x',
      toStage: 3,
    });
    expect(skipByOwner.userErrors[0].code).toBe('FORBIDDEN');
    const skip = await run(ESCALATE, email('line-manager', 'police'), {
      escalationId: c.id,
      rationale: 'Serious drift',
      toStage: 3,
    });
    expect(skip.userErrors).toEqual([]);
    expect(skip.escalation.stages.map((s: any) => s.number)).toEqual([1, 3]);
    const backwards = await run(ESCALATE, email('senior-manager', 'police'), {
      escalationId: c.id,
      rationale: 'x',
      toStage: 2,
    });
    expect(backwards.userErrors[0]).toMatchObject({ code: 'INVALID_STATE', field: ['input', 'toStage'] });
    // Another agency of the partnership does not see the case at all.
    const outsider = await run(RESPOND, email('practitioner', 'school'), {
      escalationId: c.id,
      response: 'x',
    });
    expect(outsider.userErrors[0]).toMatchObject({ code: 'NOT_FOUND', field: ['input', 'escalationId'] });
    const analyst = await t.gql(
      RAISE,
      { input: raiseInput(csc) },
      await as('analyst.portsmouth@demo.hips.test'),
    );
    expect(analyst.data.raiseEscalation.userErrors[0].code).toBe('FORBIDDEN');
  });

  it('lets exactly one of two concurrent escalations of the same stage win', async () => {
    const { escalation: c } = await raise(email('practitioner', 'police'));
    const input = { escalationId: c.id, rationale: 'Both at once', expectedVersion: 1 };
    const [a, b] = await Promise.all([
      run(ESCALATE, email('practitioner', 'police'), input),
      run(ESCALATE, email('line-manager', 'police'), input),
    ]);
    const results = [a, b];
    expect(results.filter((r) => r.userErrors.length === 0)).toHaveLength(1);
    expect(results.filter((r) => r.userErrors[0]?.code === 'CONFLICT')).toHaveLength(1);
    const stages: unknown[] = await t.owner.query(
      'select 1 from escalation_stages where escalation_id = $1',
      [idOf(c.id, 'Escalation')],
    );
    expect(stages).toHaveLength(2);
  });

  it('screens intakes out without keeping the child', async () => {
    const [{ n: before }]: { n: number }[] = await t.owner.query(
      'select count(*)::int as n from escalations',
    );
    const risk = await raise(email('practitioner', 'police'), {
      screening: {
        immediateRisk: true,
        systemicIssue: false,
        complaint: false,
        allegationAgainstStaff: false,
        whistleblowing: false,
      },
    });
    expect(risk).toMatchObject({ escalation: null, redirect: 'IMMEDIATE_RISK', userErrors: [] });
    expect(risk.guidance).toMatch(/999/);
    const intra = await t.gql(
      RAISE,
      { input: raiseInput(police) },
      await as(email('practitioner', 'police')),
    );
    expect(intra.data.raiseEscalation).toMatchObject({ escalation: null, redirect: 'INTRA_AGENCY' });
    const [{ n: after }]: { n: number }[] = await t.owner.query('select count(*)::int as n from escalations');
    expect(after).toBe(before);
    const intakes: { reason: string }[] = await t.owner.query('select * from redirected_intakes order by at');
    expect(intakes.map((i) => i.reason)).toEqual(expect.arrayContaining(['IMMEDIATE_RISK', 'INTRA_AGENCY']));
    expect(Object.keys(intakes[0]).sort()).toEqual(
      [
        'at',
        'id',
        'idempotency_key',
        'partnership_id',
        'raised_by_api_key_id',
        'raised_by_person_id',
        'raising_agency_id',
        'reason',
        'request_fingerprint',
      ].sort(),
    );
  });

  it('answers a retried redirect with the same key once, and refuses the key for a different request', async () => {
    const pp = email('practitioner', 'police');
    const risky = {
      idempotencyKey: 'redirect-retry-1',
      screening: { ...NO_SCREENING, immediateRisk: true },
    };
    const counts = async () =>
      (
        await t.owner.query(`select
          (select count(*) from redirected_intakes where idempotency_key = 'redirect-retry-1')::int as keyed,
          (select count(*) from redirected_intakes)::int as intakes,
          (select count(*) from escalations)::int as cases,
          (select count(*) from audit_log)::int as audit`)
      )[0];
    const first = await raise(pp, risky);
    expect(first).toMatchObject({ escalation: null, redirect: 'IMMEDIATE_RISK', userErrors: [] });
    const after = await counts();
    expect(after.keyed).toBe(1);

    // Retries (one after the other, then three at once) answer the same and write nothing.
    const again = await raise(pp, risky);
    expect(again).toEqual(first);
    const together = await Promise.all([1, 2, 3].map(() => raise(pp, risky)));
    for (const r of together) expect(r).toEqual(first);
    expect(await counts()).toEqual(after);

    // The same key for a different request: a clear userError, nothing written (not even a case).
    for (const [who, patch] of [
      [pp, { screening: { ...NO_SCREENING, complaint: true } }],
      [pp, { screening: NO_SCREENING }],
      [pp, { summary: 'another summary' }],
      [email('line-manager', 'police'), {}],
    ] as const) {
      const reused = await raise(who, { ...risky, ...patch });
      expect(reused).toMatchObject({ escalation: null, redirect: null });
      expect(reused.userErrors).toEqual([
        {
          code: 'IDEMPOTENCY_KEY_REUSED',
          field: ['input', 'idempotencyKey'],
          message: expect.stringMatching(/different request/),
        },
      ]);
    }
    expect(await counts()).toEqual(after);

    // A key first used by a case is refused for a request that would redirect; the case's retry still answers.
    const raised = await raise(pp, { idempotencyKey: 'redirect-retry-2' });
    expect(raised.userErrors).toEqual([]);
    const redirectedNow = await raise(pp, { idempotencyKey: 'redirect-retry-2', screening: risky.screening });
    expect(redirectedNow.userErrors[0].code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect((await raise(pp, { idempotencyKey: 'redirect-retry-2' })).escalation.id).toBe(
      raised.escalation.id,
    );
  });

  it('refuses bad input and writes nothing', async () => {
    const counts = () =>
      t.owner
        .query(`select (select count(*) from escalations)::int as e, (select count(*) from escalation_children)::int as c,
        (select coalesce(sum(last), 0) from reference_counters)::int as r, (select count(*) from outbox)::int as o`);
    const before = await counts();
    const future = new Date(Date.now() + 400 * 86400_000).toISOString().slice(0, 10);
    const bad = await raise(email('practitioner', 'police'), {
      summary: ' ',
      child: {
        initials: 'ABCDE',
        dateOfBirth: future,
        localAuthority: 'PORTSMOUTH',
        nhsNumber: '9434765918',
      },
    });
    expect(bad.escalation).toBeNull();
    expect(bad.userErrors.map((e: any) => [e.code, e.field.join('.')])).toEqual([
      ['VALIDATION', 'input.summary'],
      ['VALIDATION', 'input.child.initials'],
      ['VALIDATION', 'input.child.dateOfBirth'],
      ['VALIDATION', 'input.child.nhsNumber'],
    ]);
    const scope = await raise(email('practitioner', 'police'), {
      child: { initials: 'AB', dateOfBirth: '2019-01-01', localAuthority: 'SOUTHAMPTON' },
    });
    expect(scope.userErrors[0]).toMatchObject({
      code: 'OUT_OF_SCOPE',
      field: ['input', 'child', 'localAuthority'],
    });
    const cpc = await raise(email('safeguarding-lead', 'police'), { type: 'CPC_DISSENT' });
    expect(cpc.userErrors[0]).toMatchObject({ code: 'VALIDATION', field: ['input', 'conferenceDate'] });
    const farBack = await raise(email('practitioner', 'police'), {
      challengedAt: new Date(Date.now() - 60 * 86400_000).toISOString(),
    });
    expect(farBack.userErrors[0]).toMatchObject({ code: 'VALIDATION', field: ['input', 'challengedAt'] });
    const missing = await raise(email('practitioner', 'police'), { respondingAgencyId: 'nope' });
    expect(missing.userErrors[0]).toMatchObject({
      code: 'NOT_FOUND',
      field: ['input', 'respondingAgencyId'],
    });
    expect(await counts()).toEqual(before);
  });

  it('unborn children, back-dated challenges, the reflective step, CPC dissent and idempotent retries', async () => {
    const pp = email('practitioner', 'police');
    const expected = new Date(Date.now() + 120 * 86400_000).toISOString().slice(0, 10);
    const unborn = await raise(pp, {
      child: { initials: 'U', dateOfBirth: expected, localAuthority: 'PORTSMOUTH' },
    });
    expect(unborn.userErrors).toEqual([]);

    const back = await raise(pp, { challengedAt: new Date(Date.now() - 14 * 86400_000).toISOString() });
    expect(back.userErrors).toEqual([]);
    expect(back.escalation.currentStage).toMatchObject({ number: 1, overdue: true });
    expect(back.escalation.currentStage.breachedAt).not.toBeNull();

    const reflective = await raise(pp, { startWithReflectiveStep: true });
    expect(reflective.escalation.currentStage).toMatchObject({ number: 0, name: 'Rethink', workingDays: 10 });
    const urgent = await raise(pp, { startWithReflectiveStep: true, urgency: 'URGENT' });
    expect(urgent.escalation.currentStage).toMatchObject({ number: 1, workingDays: 1 });

    const today = new Date().toISOString().slice(0, 10);
    const cpc = await raise(email('safeguarding-lead', 'police'), {
      type: 'CPC_DISSENT',
      conferenceDate: today,
    });
    expect(cpc.userErrors).toEqual([]);
    expect(cpc.escalation.currentStage).toMatchObject({ number: 1, name: 'Conference chair review' });

    const first = await raise(pp, { idempotencyKey: 'retry-me-1' });
    const second = await raise(pp, { idempotencyKey: 'retry-me-1' });
    expect(second.escalation.id).toBe(first.escalation.id);
    const different = await raise(pp, { idempotencyKey: 'retry-me-1', summary: 'different' });
    expect(different.escalation).toBeNull();
    expect(different.userErrors[0].code).toBe('IDEMPOTENCY_KEY_REUSED');
    const rows: unknown[] = await t.owner.query(
      `select 1 from escalations where idempotency_key = 'retry-me-1'`,
    );
    expect(rows).toHaveLength(1);
  });
  it('agency systems raise and respond with API keys; the reflective step resolves a case; events page', async () => {
    const CREATE = `mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { apiKey keyId userErrors { code } } }`;
    const REVOKE = `mutation($id: ID!) { revokeApiKey(keyId: $id) { userErrors { code } } }`;
    const admin = await as('admin.portsmouth@demo.hips.test');
    const hospital = await agencyId(t, 'Portsmouth Hospitals%');
    // The keys must act for the demo agencies (their routing names the owners); revoked in `finally`, so no live
    // key is left on a demo agency (docs/testing/test-practice.md).
    const keys: string[] = [];
    const create = async (agency: string, name: string) => {
      const created = (await t.gql(CREATE, { input: { agencyId: agency, name } }, admin)).data.createApiKey;
      expect(created.userErrors).toEqual([]);
      keys.push(created.keyId);
      return created.apiKey as string;
    };
    try {
      const hospitalKey = await create(hospital, 'Cases EPR');
      const cscKey = await create(csc, 'Cases CSC system');
      const raised = await t.gql(RAISE, { input: raiseInput(csc) }, { apiKey: hospitalKey });
      const c = raised.data.raiseEscalation.escalation;
      expect(raised.data.raiseEscalation.userErrors).toEqual([]);
      expect(c.raisedBy).toBeNull();
      expect(c.currentStage.raiserOwner.displayName).toMatch(/^Practitioner, Portsmouth Hospitals/);
      const child = await t.gql(
        `query($id: ID!) { escalation(id: $id) { child { initials } } }`,
        { id: c.id },
        { apiKey: hospitalKey },
      );
      expect(child.data.escalation).toEqual({ child: null });
      const answered = await t.gql(
        RESPOND,
        { input: { escalationId: c.id, response: 'From our system' } },
        { apiKey: cscKey },
      );
      expect(answered.data.respondToEscalation.userErrors).toEqual([]);

      const pp = email('practitioner', 'police');
      const { escalation: r } = await raise(pp, { startWithReflectiveStep: true });
      const resolved = await run(RESOLVE, pp, {
        escalationId: r.id,
        outcome: 'RESOLVED_BY_REFLECTIVE_STEP',
        statement: 'Rethink worked',
      });
      expect(resolved.userErrors).toEqual([]);
      expect(resolved.escalation.outcome.code).toBe('RESOLVED_BY_REFLECTIVE_STEP');

      const EVENTS = `query($id: ID!, $after: String) { escalation(id: $id) { events(first: 1, after: $after) {
      pageInfo { hasNextPage endCursor } edges { node { kind stage actor { displayName } } } } } }`;
      const kinds: string[] = [];
      let after: string | null = null;
      do {
        const page: any = await t.gql(EVENTS, { id: r.id, after }, await as(pp));
        kinds.push(...page.data.escalation.events.edges.map((e: any) => e.node.kind));
        after = page.data.escalation.events.pageInfo.hasNextPage
          ? page.data.escalation.events.pageInfo.endCursor
          : null;
      } while (after);
      expect(kinds).toEqual(['RAISED', 'RESOLVED']);
    } finally {
      for (const id of keys) {
        expect((await t.gql(REVOKE, { id }, admin)).data.revokeApiKey.userErrors).toEqual([]);
      }
    }
  });
});
