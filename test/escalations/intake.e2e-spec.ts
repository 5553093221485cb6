import { email, NO_SCREENING, RAISE, raiseInput, useCaseHarness } from './support';

/** Raising a case: screening redirects, idempotent retries, refused input and the special intakes. */
describe('raising a case', () => {
  const h = useCaseHarness();

  it('screens intakes out without keeping the child', async () => {
    const [{ n: before }]: { n: number }[] = await h.t.owner.query(
      'select count(*)::int as n from escalations',
    );
    const risk = await h.raise(email('practitioner', 'police'), {
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
    const intra = await h.t.gql(
      RAISE,
      { input: raiseInput(h.police) },
      await h.as(email('practitioner', 'police')),
    );
    expect(intra.data.raiseEscalation).toMatchObject({ escalation: null, redirect: 'INTRA_AGENCY' });
    const [{ n: after }]: { n: number }[] = await h.t.owner.query(
      'select count(*)::int as n from escalations',
    );
    expect(after).toBe(before);
    const intakes: { reason: string }[] = await h.t.owner.query(
      'select * from redirected_intakes order by at',
    );
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
        await h.t.owner.query(`select
          (select count(*) from redirected_intakes where idempotency_key = 'redirect-retry-1')::int as keyed,
          (select count(*) from redirected_intakes)::int as intakes,
          (select count(*) from escalations)::int as cases,
          (select count(*) from audit_log)::int as audit`)
      )[0];
    // Logins are audited: log in everyone this test raises as before counting, so the counts see the raises only.
    await h.as(email('line-manager', 'police'));
    const first = await h.raise(pp, risky);
    expect(first).toMatchObject({ escalation: null, redirect: 'IMMEDIATE_RISK', userErrors: [] });
    const after = await counts();
    expect(after.keyed).toBe(1);

    // Retries (one after the other, then three at once) answer the same and write nothing.
    const again = await h.raise(pp, risky);
    expect(again).toEqual(first);
    const together = await Promise.all([1, 2, 3].map(() => h.raise(pp, risky)));
    for (const r of together) expect(r).toEqual(first);
    expect(await counts()).toEqual(after);

    // The same key for a different request: a clear userError, nothing written (not even a case).
    for (const [who, patch] of [
      [pp, { screening: { ...NO_SCREENING, complaint: true } }],
      [pp, { screening: NO_SCREENING }],
      [pp, { summary: 'another summary' }],
      [email('line-manager', 'police'), {}],
    ] as const) {
      const reused = await h.raise(who, { ...risky, ...patch });
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
    const raised = await h.raise(pp, { idempotencyKey: 'redirect-retry-2' });
    expect(raised.userErrors).toEqual([]);
    const redirectedNow = await h.raise(pp, {
      idempotencyKey: 'redirect-retry-2',
      screening: risky.screening,
    });
    expect(redirectedNow.userErrors[0].code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect((await h.raise(pp, { idempotencyKey: 'redirect-retry-2' })).escalation.id).toBe(
      raised.escalation.id,
    );
  });

  it('refuses bad input and writes nothing', async () => {
    const counts = () =>
      h.t.owner
        .query(`select (select count(*) from escalations)::int as e, (select count(*) from escalation_children)::int as c,
        (select coalesce(sum(last), 0) from reference_counters)::int as r, (select count(*) from outbox)::int as o`);
    const before = await counts();
    const future = new Date(Date.now() + 400 * 86400_000).toISOString().slice(0, 10);
    const bad = await h.raise(email('practitioner', 'police'), {
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
    const scope = await h.raise(email('practitioner', 'police'), {
      child: { initials: 'AB', dateOfBirth: '2019-01-01', localAuthority: 'SOUTHAMPTON' },
    });
    expect(scope.userErrors[0]).toMatchObject({
      code: 'OUT_OF_SCOPE',
      field: ['input', 'child', 'localAuthority'],
    });
    const cpc = await h.raise(email('safeguarding-lead', 'police'), { type: 'CPC_DISSENT' });
    expect(cpc.userErrors[0]).toMatchObject({ code: 'VALIDATION', field: ['input', 'conferenceDate'] });
    const farBack = await h.raise(email('practitioner', 'police'), {
      challengedAt: new Date(Date.now() - 60 * 86400_000).toISOString(),
    });
    expect(farBack.userErrors[0]).toMatchObject({ code: 'VALIDATION', field: ['input', 'challengedAt'] });
    const missing = await h.raise(email('practitioner', 'police'), { respondingAgencyId: 'nope' });
    expect(missing.userErrors[0]).toMatchObject({
      code: 'NOT_FOUND',
      field: ['input', 'respondingAgencyId'],
    });
    expect(await counts()).toEqual(before);
  });

  it('unborn children, back-dated challenges, the reflective step, CPC dissent and idempotent retries', async () => {
    const pp = email('practitioner', 'police');
    const expected = new Date(Date.now() + 120 * 86400_000).toISOString().slice(0, 10);
    const unborn = await h.raise(pp, {
      child: { initials: 'U', dateOfBirth: expected, localAuthority: 'PORTSMOUTH' },
    });
    expect(unborn.userErrors).toEqual([]);

    const back = await h.raise(pp, { challengedAt: new Date(Date.now() - 14 * 86400_000).toISOString() });
    expect(back.userErrors).toEqual([]);
    expect(back.escalation.currentStage).toMatchObject({ number: 1, overdue: true });
    expect(back.escalation.currentStage.breachedAt).not.toBeNull();

    const reflective = await h.raise(pp, { startWithReflectiveStep: true });
    expect(reflective.escalation.currentStage).toMatchObject({ number: 0, name: 'Rethink', workingDays: 10 });
    const urgent = await h.raise(pp, { startWithReflectiveStep: true, urgency: 'URGENT' });
    expect(urgent.escalation.currentStage).toMatchObject({ number: 1, workingDays: 1 });

    const today = new Date().toISOString().slice(0, 10);
    const cpc = await h.raise(email('safeguarding-lead', 'police'), {
      type: 'CPC_DISSENT',
      conferenceDate: today,
    });
    expect(cpc.userErrors).toEqual([]);
    expect(cpc.escalation.currentStage).toMatchObject({ number: 1, name: 'Conference chair review' });

    const first = await h.raise(pp, { idempotencyKey: 'retry-me-1' });
    const second = await h.raise(pp, { idempotencyKey: 'retry-me-1' });
    expect(second.escalation.id).toBe(first.escalation.id);
    const different = await h.raise(pp, { idempotencyKey: 'retry-me-1', summary: 'different' });
    expect(different.escalation).toBeNull();
    expect(different.userErrors[0].code).toBe('IDEMPOTENCY_KEY_REUSED');
    const rows: unknown[] = await h.t.owner.query(
      `select 1 from escalations where idempotency_key = 'retry-me-1'`,
    );
    expect(rows).toHaveLength(1);
  });
});
