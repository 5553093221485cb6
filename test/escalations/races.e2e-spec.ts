import { randomBytes } from 'node:crypto';
import { idOf } from '@hips/common';
import { startTestApp, TestApp } from '../support/app';
import { createOwnAgency, OwnAgency } from '../support/fixtures';
import { act, EXTEND, NO_SCREENING, RAISE, raiseInput, RESOLVE, RESPOND } from './support';

/**
 * Identical requests fired at once over HTTP at every guarded update of a case: exactly one wins, the others are
 * refused with CONFLICT (or, for a raise with an idempotency key, answered with the same result), the version moves
 * by one and the action leaves one chronology event and one audit row. The cases belong to two agencies of this
 * spec's own (docs/testing/test-practice.md).
 */
const N = 8;
const MARK = act('markAgreedActionDone', 'MarkAgreedActionDoneInput');
const HOLD_FIELDS = 'escalationId version legalHold { reason } userErrors { code field message }';
const PLACE = `mutation($input: PlaceLegalHoldInput!) { placeLegalHold(input: $input) { ${HOLD_FIELDS} } }`;
const LIFT = `mutation($input: LiftLegalHoldInput!) { liftLegalHold(input: $input) { ${HOLD_FIELDS} } }`;
const ADMIN = 'admin.portsmouth@demo.hips.test';

interface Payload {
  userErrors: { code: string; field: string[] | null; message: string }[];
  [key: string]: any;
}

describe('concurrent identical requests on one case', () => {
  let t: TestApp;
  let raising: OwnAgency;
  let responding: OwnAgency;
  const as = async (who: string) => ({ token: await t.login(who) });

  /** Fires N copies of one mutation at once; every answer is a payload (no top-level errors). */
  const race = async (mutation: string, who: string, input: Record<string, unknown>): Promise<Payload[]> => {
    const auth = await as(who);
    const answers = await Promise.all(Array.from({ length: N }, () => t.gql(mutation, { input }, auth)));
    for (const a of answers) expect(a.errors).toBeUndefined();
    return answers.map((a) => Object.values(a.data)[0] as Payload);
  };
  const once = async (mutation: string, who: string, input: Record<string, unknown>) => {
    const res = await t.gql(mutation, { input }, await as(who));
    expect(res.errors).toBeUndefined();
    const payload = Object.values(res.data)[0] as Payload;
    expect(payload.userErrors).toEqual([]);
    return payload;
  };
  const raise = async () =>
    (
      await once(
        RAISE,
        raising.emails.practitioner,
        raiseInput(responding.agencyId, { idempotencyKey: `race-${randomBytes(6).toString('hex')}` }),
      )
    ).escalation as { id: string; version: number };

  /** The case's version, its chronology event kinds and its audit actions, read behind the API's back. */
  const trail = async (globalId: string) => {
    const id = idOf(globalId, 'Escalation');
    const [{ version }]: { version: number }[] = await t.owner.query(
      'select version from escalations where id = $1',
      [id],
    );
    const events: { kind: string }[] = await t.owner.query(
      'select kind from escalation_events where escalation_id = $1 order by at, id',
      [id],
    );
    const audit: { action: string }[] = await t.owner.query(
      `select action from audit_log where entity_type = 'Escalation' and entity_id = $1 order by seq`,
      [id],
    );
    return { version, events: events.map((e) => e.kind), audit: audit.map((a) => a.action) };
  };

  /** One winner, the rest CONFLICT; the version up by one; exactly the given event and audit row added. */
  const expectOneWinner = async (
    globalId: string,
    before: Awaited<ReturnType<typeof trail>>,
    answers: Payload[],
    added: { events: string[]; audit: string[] },
  ) => {
    const codes = answers.map((a) => a.userErrors.map((e) => e.code).join(',') || 'OK');
    expect(codes.filter((c) => c === 'OK')).toHaveLength(1);
    expect(codes.filter((c) => c === 'CONFLICT')).toHaveLength(N - 1);
    expect(await trail(globalId)).toEqual({
      version: before.version + 1,
      events: [...before.events, ...added.events],
      audit: [...before.audit, ...added.audit],
    });
  };

  beforeAll(async () => {
    t = await startTestApp();
    raising = await createOwnAgency(t, {
      adminEmail: ADMIN,
      partnership: 'PORTSMOUTH',
      label: 'Race raising agency',
      people: [
        { key: 'manager', roleType: 'LINE_MANAGER' },
        { key: 'practitioner', roleType: 'PRACTITIONER', manager: 'manager' },
      ],
    });
    responding = await createOwnAgency(t, {
      adminEmail: ADMIN,
      partnership: 'PORTSMOUTH',
      label: 'Race responding agency',
      people: [{ key: 'practitioner', roleType: 'PRACTITIONER' }],
    });
  }, 120_000);
  afterAll(() => t.close());

  it('respondToEscalation: one response', async () => {
    const c = await raise();
    const before = await trail(c.id);
    const answers = await race(RESPOND, responding.emails.practitioner, {
      escalationId: c.id,
      response: 'We will assess',
      expectedVersion: c.version,
    });
    await expectOneWinner(c.id, before, answers, {
      events: ['RESPONDED'],
      audit: ['ESCALATION_RESPONDED'],
    });
  });

  it('extendStage: one extension', async () => {
    const c = await raise();
    const before = await trail(c.id);
    const answers = await race(EXTEND, raising.emails.manager, {
      escalationId: c.id,
      workingDays: 2,
      reason: 'Awaiting the strategy meeting',
      expectedVersion: c.version,
    });
    await expectOneWinner(c.id, before, answers, {
      events: ['EXTENDED'],
      audit: ['ESCALATION_STAGE_EXTENDED'],
    });
    const winner = answers.find((a) => a.userErrors.length === 0)!;
    expect(winner.escalation.currentStage).toMatchObject({ extended: true, workingDays: 7 });
  });

  it('resolveEscalation: one outcome', async () => {
    const c = await raise();
    const before = await trail(c.id);
    const answers = await race(RESOLVE, raising.emails.practitioner, {
      escalationId: c.id,
      outcome: 'DECISION_CHANGED',
      statement: 'Assessment agreed',
      expectedVersion: c.version,
    });
    await expectOneWinner(c.id, before, answers, {
      events: ['RESOLVED'],
      audit: ['ESCALATION_RESOLVED'],
    });
  });

  it('markAgreedActionDone: the action marked once', async () => {
    const c = await raise();
    const resolved = await once(RESOLVE, raising.emails.practitioner, {
      escalationId: c.id,
      outcome: 'PARTIAL_ACTION_AGREED',
      statement: 'The responding agency will assess',
      agreedActions: [{ description: 'Single assessment', ownerAgencyId: responding.agencyId }],
    });
    const before = await trail(c.id);
    const answers = await race(MARK, responding.emails.practitioner, {
      escalationId: c.id,
      index: 0,
      expectedVersion: resolved.escalation.version,
    });
    await expectOneWinner(c.id, before, answers, {
      events: ['AGREED_ACTION_DONE'],
      audit: ['ESCALATION_AGREED_ACTION_DONE'],
    });
  });

  it('placeLegalHold and liftLegalHold: one hold, one lift (a hold is audited, not a chronology event)', async () => {
    const c = await raise();
    const before = await trail(c.id);
    const placed = await race(PLACE, ADMIN, {
      escalationId: c.id,
      reason: 'Care proceedings',
      expectedVersion: c.version,
    });
    await expectOneWinner(c.id, before, placed, { events: [], audit: ['LEGAL_HOLD_PLACED'] });

    const held = await trail(c.id);
    const lifted = await race(LIFT, ADMIN, {
      escalationId: c.id,
      reason: 'Proceedings concluded',
      expectedVersion: held.version,
    });
    await expectOneWinner(c.id, held, lifted, { events: [], audit: ['LEGAL_HOLD_LIFTED'] });
  });

  it('raiseEscalation with one idempotency key: one case, one stage with its deadlines, the same answer to all', async () => {
    const key = `race-raise-${randomBytes(6).toString('hex')}`;
    const counter = async (): Promise<number> =>
      (
        await t.owner.query(
          `select coalesce(sum(last), 0)::int as n from reference_counters r join partnerships p on p.id = r.partnership_id
            where p.code = 'PORTSMOUTH'`,
        )
      )[0].n;
    const referencesBefore = await counter();
    const answers = await race(RAISE, raising.emails.practitioner, {
      ...raiseInput(responding.agencyId),
      idempotencyKey: key,
    });
    for (const a of answers) expect(a.userErrors).toEqual([]);
    const ids = new Set(answers.map((a) => a.escalation.id));
    expect(ids.size).toBe(1);
    for (const a of answers) expect(a.escalation).toEqual(answers[0].escalation);

    const cases: { id: string }[] = await t.owner.query(
      'select id from escalations where idempotency_key = $1',
      [key],
    );
    expect(cases).toEqual([{ id: idOf(answers[0].escalation.id, 'Escalation') }]);
    const id = cases[0].id;
    const [rows] = await t.owner.query(
      `select (select count(*) from escalation_stages where escalation_id = $1)::int as stages,
              (select count(*) from escalation_children where escalation_id = $1)::int as children,
              (select array_agg(kind order by kind) from deadlines where escalation_id = $1) as deadlines`,
      [id],
    );
    expect(rows).toEqual({
      stages: 1,
      children: 1,
      deadlines: ['DUE', 'REMINDER_DAY_BEFORE', 'REMINDER_HALF'],
    });
    expect(await trail(answers[0].escalation.id)).toEqual({
      version: 1,
      events: ['RAISED'],
      audit: ['ESCALATION_RAISED'],
    });
    expect(await counter()).toBe(referencesBefore + 1);
  });

  it('raiseEscalation with one idempotency key that redirects: one intake, one audit row', async () => {
    const key = `race-redirect-${randomBytes(6).toString('hex')}`;
    const answers = await race(RAISE, raising.emails.practitioner, {
      ...raiseInput(responding.agencyId),
      idempotencyKey: key,
      screening: { ...NO_SCREENING, complaint: true },
    });
    for (const a of answers) {
      expect(a).toMatchObject({ escalation: null, redirect: 'COMPLAINT', userErrors: [] });
    }
    const intakes: { id: string }[] = await t.owner.query(
      'select id from redirected_intakes where idempotency_key = $1',
      [key],
    );
    expect(intakes).toHaveLength(1);
    const audit: { action: string }[] = await t.owner.query(
      `select action from audit_log where entity_id = $1`,
      [intakes[0].id],
    );
    expect(audit).toEqual([{ action: 'INTAKE_REDIRECTED' }]);
    const cases: unknown[] = await t.owner.query('select 1 from escalations where idempotency_key = $1', [
      key,
    ]);
    expect(cases).toEqual([]);
  });
});
