import { startTestApp, TestApp } from '../support/app';
import { RunningProcess, stopProcess } from '../support/processes';
import { bringForward, raiseCase, startWorker, waitFor, workerRunning } from '../deadlines/support';
import { CASE_FIELDS, email, ESCALATE, EXTEND } from './support';

/** Extension by both owners agreeing (docs/procedure.md §4, docs/api/escalations.md). */
const PROPOSAL =
  'proposal { id status workingDays reason proposedBySide proposedBy { displayName } decidedBy { displayName } }';
const decision = (name: string, input: string) =>
  `mutation($input: ${input}!) { ${name}(input: $input) { ${PROPOSAL} escalation { ${CASE_FIELDS}
    currentStage { extensionProposal { status workingDays proposedBySide } } } userErrors { code field message } } }`;
const PROPOSE = decision('proposeStageExtension', 'ProposeStageExtensionInput');
const ACCEPT = decision('acceptStageExtension', 'DecideStageExtensionInput');
const DECLINE = decision('declineStageExtension', 'DecideStageExtensionInput');

const AREA = 'southampton';
const raiserOwner = email('practitioner', 'police', AREA);
const responderOwner = email('practitioner', 'csc', AREA);
const raiserManager = email('line-manager', 'police', AREA);

describe('extension by both owners agreeing', () => {
  let t: TestApp;
  const run = async (mutation: string, who: string, input: Record<string, unknown>) => {
    const res = await t.gql(mutation, { input }, { token: await t.login(who) });
    expect(res.errors).toBeUndefined();
    return Object.values(res.data)[0] as {
      proposal: any;
      escalation: any;
      userErrors: { code: string; message: string }[];
    };
  };
  const kinds = async (id: string): Promise<string[]> =>
    (
      await t.owner.query<{ kind: string }[]>(
        `select kind from escalation_events where escalation_id = $1 and kind like 'EXTEN%' order by at, id`,
        [id],
      )
    ).map((e) => e.kind);
  const audit = async (id: string): Promise<string[]> =>
    (
      await t.owner.query<{ action: string }[]>(
        `select action from audit_log where entity_id = $1 and action like 'ESCALATION_%EXTEN%' order by seq`,
        [id],
      )
    ).map((a) => a.action);
  const told = async (id: string, kind: string) =>
    t.owner.query<{ recipient_email: string; subject: string; body: string }[]>(
      `select recipient_email, subject, body from notifications where escalation_id = $1 and kind = $2`,
      [id, kind],
    );
  const propose = (c: { globalId: string }, who = raiserOwner, workingDays = 3) =>
    run(PROPOSE, who, {
      escalationId: c.globalId,
      workingDays,
      reason: 'Awaiting the health visitor report',
    });

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('one owner proposes, the other accepts: the due date moves by the working days, once', async () => {
    const c = await raiseCase(t, {}, AREA);
    const proposed = await propose(c);
    expect(proposed.userErrors).toEqual([]);
    expect(proposed.proposal).toMatchObject({
      status: 'PROPOSED',
      workingDays: 3,
      proposedBySide: 'RAISING',
    });
    expect(proposed.escalation.currentStage.extensionProposal).toMatchObject({ status: 'PROPOSED' });
    expect(proposed.escalation.currentStage.extended).toBe(false);
    const before = proposed.escalation.currentStage;

    const toDecider = await told(c.id, 'EXTENSION_PROPOSED');
    expect(toDecider.map((n) => n.recipient_email)).toEqual([responderOwner]);
    expect(toDecider[0].body).not.toMatch(/health visitor|DL|2015/);

    const accepted = await run(ACCEPT, responderOwner, { escalationId: c.globalId });
    expect(accepted.userErrors).toEqual([]);
    expect(accepted.proposal).toMatchObject({ status: 'ACCEPTED' });
    expect(accepted.proposal.decidedBy.displayName).toMatch(/^Practitioner, Southampton City Council/);
    const stage = accepted.escalation.currentStage;
    expect(stage).toMatchObject({
      extended: true,
      workingDays: before.workingDays + 3,
      extensionProposal: null,
    });
    expect(new Date(stage.dueAt).getTime()).toBeGreaterThan(new Date(before.dueAt).getTime());
    expect(stage.due.explanation).toMatch(/extended from/);
    const [deadline]: { due_at: Date }[] = await t.owner.query(
      `select due_at from deadlines where stage_id = $1 and kind = 'DUE'`,
      [c.stageId],
    );
    expect(deadline.due_at.toISOString()).toBe(new Date(stage.dueAt).toISOString());

    expect(await kinds(c.id)).toEqual(['EXTENSION_PROPOSED', 'EXTENSION_ACCEPTED', 'EXTENDED']);
    expect(await audit(c.id)).toEqual([
      'ESCALATION_EXTENSION_PROPOSED',
      'ESCALATION_STAGE_EXTENDED',
      'ESCALATION_EXTENSION_ACCEPTED',
    ]);
    expect((await told(c.id, 'EXTENSION_ACCEPTED')).map((n) => n.recipient_email)).toEqual([raiserOwner]);

    // Extended once, whichever route: neither a new proposal nor the manager's extendStage.
    expect((await propose(c, responderOwner)).userErrors[0].code).toBe('INVALID_STATE');
    const manager = await run(EXTEND, raiserManager, {
      escalationId: c.globalId,
      workingDays: 1,
      reason: 'x',
    });
    expect(manager.userErrors[0].code).toBe('INVALID_STATE');
  });

  it('the other owner declines: nothing moves', async () => {
    const c = await raiseCase(t, {}, AREA);
    const proposed = await propose(c, responderOwner, 2);
    expect(proposed.proposal.proposedBySide).toBe('RESPONDING');
    const declined = await run(DECLINE, raiserOwner, { escalationId: c.globalId });
    expect(declined.userErrors).toEqual([]);
    expect(declined.proposal.status).toBe('DECLINED');
    expect(declined.escalation.currentStage).toMatchObject({
      extended: false,
      dueAt: proposed.escalation.currentStage.dueAt,
      extensionProposal: null,
    });
    expect(await kinds(c.id)).toEqual(['EXTENSION_PROPOSED', 'EXTENSION_DECLINED']);
    expect(await audit(c.id)).toEqual(['ESCALATION_EXTENSION_PROPOSED', 'ESCALATION_EXTENSION_DECLINED']);
    expect((await told(c.id, 'EXTENSION_DECLINED')).map((n) => n.recipient_email)).toEqual([responderOwner]);
    // Nothing open to decide any more; a new proposal may follow.
    expect((await run(ACCEPT, raiserOwner, { escalationId: c.globalId })).userErrors[0].code).toBe(
      'INVALID_STATE',
    );
    expect((await propose(c)).userErrors).toEqual([]);
  });

  it('refuses the proposer, the proposer’s side, non-owners, a second open proposal and bad input', async () => {
    const c = await raiseCase(t, {}, AREA);
    expect((await propose(c, raiserManager)).userErrors[0].code).toBe('FORBIDDEN');
    const badDays = await run(PROPOSE, raiserOwner, {
      escalationId: c.globalId,
      workingDays: 6,
      reason: 'x',
    });
    expect(badDays.userErrors[0]).toMatchObject({ code: 'VALIDATION', field: ['input', 'workingDays'] });
    const longReason = await run(PROPOSE, raiserOwner, {
      escalationId: c.globalId,
      workingDays: 1,
      reason: 'x'.repeat(5001),
    });
    expect(longReason.userErrors[0]).toMatchObject({ code: 'VALIDATION', field: ['input', 'reason'] });
    expect((await propose(c)).userErrors).toEqual([]);
    expect((await propose(c, responderOwner)).userErrors[0].code).toBe('INVALID_STATE');
    expect((await run(ACCEPT, raiserOwner, { escalationId: c.globalId })).userErrors[0].code).toBe(
      'FORBIDDEN',
    );
    expect((await run(ACCEPT, raiserManager, { escalationId: c.globalId })).userErrors[0].code).toBe(
      'FORBIDDEN',
    );
    expect(await kinds(c.id)).toEqual(['EXTENSION_PROPOSED']);
  });

  it('lapses when the stage is escalated, and when the manager extends it', async () => {
    const c = await raiseCase(t, {}, AREA);
    await propose(c);
    const escalated = await run(ESCALATE, raiserOwner, {
      escalationId: c.globalId,
      rationale: 'No progress',
    });
    expect(escalated.userErrors).toEqual([]);
    expect(await kinds(c.id)).toEqual(['EXTENSION_PROPOSED', 'EXTENSION_LAPSED']);
    expect(await audit(c.id)).toContain('ESCALATION_EXTENSION_LAPSED');
    expect((await told(c.id, 'EXTENSION_LAPSED')).map((n) => n.recipient_email)).toEqual([raiserOwner]);
    expect((await run(ACCEPT, responderOwner, { escalationId: c.globalId })).userErrors[0].code).toBe(
      'INVALID_STATE',
    );

    const d = await raiseCase(t, {}, AREA);
    await propose(d, responderOwner);
    const manager = await run(EXTEND, raiserManager, {
      escalationId: d.globalId,
      workingDays: 1,
      reason: 'y',
    });
    expect(manager.userErrors).toEqual([]);
    expect(await kinds(d.id)).toEqual(['EXTENSION_PROPOSED', 'EXTENDED', 'EXTENSION_LAPSED']);
  });

  describe('at the due time', () => {
    let worker: RunningProcess;
    beforeAll(async () => {
      worker = startWorker({ LOG_LEVEL: 'info' }).proc;
      await workerRunning(worker);
    }, 90_000);
    afterAll(() => stopProcess(worker));

    it('lapses when the worker fires the stage’s DUE deadline', async () => {
      const c = await raiseCase(t, {}, AREA);
      expect((await propose(c)).userErrors).toEqual([]);
      await bringForward(t, c, 'DUE', 300);
      await waitFor('the proposal to lapse', async () => (await kinds(c.id)).includes('EXTENSION_LAPSED'));
      const [p]: { status: string }[] = await t.owner.query(
        'select status from stage_extension_proposals where stage_id = $1',
        [c.stageId],
      );
      expect(p.status).toBe('LAPSED');
      expect(await audit(c.id)).toContain('ESCALATION_EXTENSION_LAPSED');
      const read = await t.gql(
        `query($id: ID!) { escalation(id: $id) { currentStage { extended extensionProposal { status } } } }`,
        { id: c.globalId },
        { token: await t.login(responderOwner) },
      );
      expect(read.data.escalation.currentStage).toEqual({ extended: false, extensionProposal: null });
      expect((await run(ACCEPT, responderOwner, { escalationId: c.globalId })).userErrors[0].code).toBe(
        'INVALID_STATE',
      );
    });
  });
});
