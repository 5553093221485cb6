import { computeDue, defaultLadder, WorkingCalendar } from '@hips/core';
import { idOf } from '@hips/common';
import { loadConfig } from '@hips/config';
import { startTestApp, TestApp } from '../support/app';
import { createOwnAgency, OwnAgency } from '../support/fixtures';
import { RunningProcess, stopProcess } from '../support/processes';
import { bringForward, refiringRan, startWorker, workerRunning } from '../deadlines/support';
import { Receiver } from '../webhooks/receiver';
import { agencyId, EXTEND, raiseInput } from './support';

const SAVE = `mutation($input: SavePolicyDraftInput!) {
  saveEscalationPolicyDraft(input: $input) { policy { id } userErrors { code message } } }`;
const PUBLISH = `mutation($input: PublishPolicyInput!) {
  publishEscalationPolicy(input: $input) { policy { version } userErrors { code message } } }`;
const CREATE_ENDPOINT = `mutation($input: CreateWebhookEndpointInput!) {
  createWebhookEndpoint(input: $input) { endpoint { id } userErrors { code message } } }`;
const RAISE_BRIEF = `mutation($input: RaiseEscalationInput!) { raiseEscalation(input: $input) {
  escalation { id escalationRecommended currentStage { number breachedAt } stages { number status } }
  userErrors { code message } } }`;

/**
 * A stage that opens already overdue (a back-dated challenge, or a re-timing that moves its due time into the past)
 * breaches like any other (docs/procedure.md §4): the pinned policy's breach action runs in the same transaction,
 * with the worker's chronology, audit, notifications and webhook deliveries, exactly once, and the worker finds
 * nothing left to fire. Policies are an agency's of this spec's own (docs/testing/test-practice.md).
 */
describe('a stage that opens already overdue runs its breach action', () => {
  let t: TestApp;
  let admin: { token: string };
  let raiser: { token: string };
  let own: OwnAgency;
  let csc: string;
  let receiver: Receiver;
  let worker: { proc: RunningProcess; dataDir: string } | null = null;

  beforeAll(async () => {
    t = await startTestApp();
    admin = { token: await t.login('admin.southampton@demo.hips.test') };
    own = await createOwnAgency(t, {
      adminEmail: 'admin.southampton@demo.hips.test',
      partnership: 'SOUTHAMPTON',
      label: 'Breach school',
      type: 'EDUCATION',
      people: [
        { key: 'manager', roleType: 'LINE_MANAGER' },
        { key: 'practitioner', roleType: 'PRACTITIONER', manager: 'manager' },
      ],
    });
    raiser = { token: await t.login(own.emails.practitioner) };
    csc = await agencyId(t, 'Southampton City Council Children%');
    receiver = new Receiver();
    await receiver.start();
    const hook = await t.gql(
      CREATE_ENDPOINT,
      { input: { agencyId: own.agencyId, url: receiver.on('/breach', () => 200), events: [] } },
      admin,
    );
    expect(hook.data.createWebhookEndpoint.userErrors).toEqual([]);
  }, 60_000);
  afterAll(async () => {
    if (worker) await stopProcess(worker.proc);
    await receiver.stop();
    await t.close();
  });

  /** Publishes this agency's GENERAL policy: the default ladder with stage 1 patched. */
  async function publish(stageOne: { standardWorkingDays: number; breachAction: string }, retime = false) {
    const stages = defaultLadder('GENERAL', 'Professionals Meeting').map((s) => ({
      number: s.number,
      name: s.name,
      roleType: s.roleType,
      standardWorkingDays: s.standardWorkingDays,
      urgentWorkingDays: s.urgentWorkingDays,
      breachAction: s.breachAction,
      ...(s.number === 1 ? stageOne : {}),
    }));
    const draft = await t.gql(SAVE, { input: { agencyId: own.agencyId, type: 'GENERAL', stages } }, admin);
    expect(draft.data.saveEscalationPolicyDraft.userErrors).toEqual([]);
    const policyId = draft.data.saveEscalationPolicyDraft.policy.id;
    const published = await t.gql(PUBLISH, { input: { policyId, applyToOpenCases: retime } }, admin);
    expect(published.data.publishEscalationPolicy.userErrors).toEqual([]);
  }

  /** Raised by the agency's practitioner, the challenge back-dated `daysBack` calendar days (0: not back-dated). */
  async function raise(daysBack: number) {
    const input = raiseInput(csc, {
      child: { initials: 'BO', dateOfBirth: '2016-02-02', localAuthority: 'SOUTHAMPTON' },
      ...(daysBack > 0 ? { challengedAt: new Date(Date.now() - daysBack * 86400_000).toISOString() } : {}),
    });
    const res = await t.gql(RAISE_BRIEF, { input }, raiser);
    expect(res.data.raiseEscalation.userErrors).toEqual([]);
    const escalation = res.data.raiseEscalation.escalation;
    return { ...escalation, uuid: idOf(escalation.id, 'Escalation')! };
  }

  /** Everything a breach leaves behind on a case, counted, in the order it was written. */
  async function trail(escalationId: string) {
    const events: { kind: string; stage: number }[] = await t.owner.query(
      // Ties on `at` (one transaction) are broken by id, so two reads of the same rows list them alike.
      'select kind, stage from escalation_events where escalation_id = $1 order by at, id',
      [escalationId],
    );
    const audit: { action: string; actor_type: string }[] = await t.owner.query(
      `select action, actor_type from audit_log where entity_type = 'Escalation' and entity_id = $1 order by seq`,
      [escalationId],
    );
    const notifications: { kind: string; recipient_email: string; body: string }[] = await t.owner.query(
      'select kind, recipient_email, body from notifications where escalation_id = $1 order by kind, recipient_email, body',
      [escalationId],
    );
    const deliveries: { kind: string; link: string }[] = await t.owner.query(
      `select payload->>'kind' as kind, payload->>'link' as link from webhook_deliveries
        where payload->>'escalationId' = $1 order by payload->>'at', id`,
      [globalIdOf(escalationId)],
    );
    return { events, audit, notifications, deliveries };
  }
  const globalIdOf = (uuid: string) => Buffer.from(`Escalation:${uuid}`, 'utf8').toString('base64url');
  const stageOneOf = async (escalationId: string) => {
    const [stage]: { id: string; partnership_id: string }[] = await t.owner.query(
      'select id, partnership_id from escalation_stages where escalation_id = $1 and number = 1',
      [escalationId],
    );
    return { stageId: stage.id, partnershipId: stage.partnership_id };
  };

  let autoCase: { uuid: string; id: string };
  let recommendedCase: { uuid: string; id: string };
  let retimedCase: { uuid: string; id: string };
  let extendedCase: { uuid: string; id: string };

  it('under AUTO_ESCALATE, a back-dated raise answers the case already at stage 2, breached once', async () => {
    await publish({ standardWorkingDays: 1, breachAction: 'AUTO_ESCALATE' });
    const raised = await raise(7);
    autoCase = raised;
    expect(raised.currentStage.number).toBe(2);
    expect(raised.stages).toEqual(
      expect.arrayContaining([
        { number: 1, status: 'CLOSED' },
        { number: 2, status: 'AWAITING_RESPONSE' },
      ]),
    );
    const { events, audit, notifications, deliveries } = await trail(raised.uuid);
    // The worker's order: raised (stage 1 opened), then the breach, its action, and the next stage.
    expect(events.map((e) => `${e.kind}@${e.stage}`)).toEqual([
      'RAISED@1',
      'STAGE_BREACHED@1',
      'ESCALATED@2',
    ]);
    expect(audit).toEqual([
      { action: 'ESCALATION_RAISED', actor_type: 'PERSON' },
      { action: 'ESCALATION_AUTO_ESCALATED', actor_type: 'SYSTEM' },
    ]);
    const kinds = notifications.map((n) => n.kind);
    expect(kinds.filter((k) => k === 'STAGE_OPENED').length).toBeGreaterThan(0);
    const breachMails = notifications.filter((n) => n.kind === 'STAGE_BREACHED');
    // The owners, and the raising side's next-stage role (the practitioner's line manager), each told once.
    expect(breachMails.map((n) => n.recipient_email)).toEqual(
      expect.arrayContaining([own.emails.practitioner, own.emails.manager]),
    );
    expect(new Set(breachMails.map((n) => n.recipient_email)).size).toBe(breachMails.length);
    expect(deliveries.map((d) => d.kind)).toEqual(['RAISED', 'STAGE_BREACHED', 'ESCALATED']);
  });

  it('links in webhook payloads and notifications point at the console case page by global id', async () => {
    const { notifications, deliveries } = await trail(autoCase.uuid);
    const link = `${loadConfig().publicUrl.replace(/\/+$/, '')}/escalations/${autoCase.id}`;
    expect(autoCase.id).toBe(globalIdOf(autoCase.uuid));
    expect(deliveries.length).toBeGreaterThan(0);
    for (const d of deliveries) expect(d.link).toBe(link);
    expect(notifications.length).toBeGreaterThan(0);
    for (const n of notifications) expect(n.body).toContain(`Open the case: ${link}`);
  });

  it('under RECOMMEND_ESCALATION, a back-dated raise answers the case flagged for escalation', async () => {
    await publish({ standardWorkingDays: 1, breachAction: 'RECOMMEND_ESCALATION' });
    const raised = await raise(7);
    recommendedCase = raised;
    expect(raised.currentStage.number).toBe(1);
    expect(raised.currentStage.breachedAt).not.toBeNull();
    expect(raised.escalationRecommended).toBe(true);
    const { events, audit, notifications } = await trail(raised.uuid);
    expect(events.map((e) => e.kind)).toEqual(['RAISED', 'STAGE_BREACHED', 'ESCALATION_RECOMMENDED']);
    expect(audit.map((a) => a.action)).toEqual(['ESCALATION_RAISED', 'STAGE_BREACHED']);
    expect(notifications.filter((n) => n.kind === 'STAGE_BREACHED').length).toBeGreaterThan(0);
  });

  it('a re-timing that moves an open stage into the past breaches it then, and an old breach not again', async () => {
    // A challenge back-dated so that 5 working days are still running and 1 would have run out.
    const calendar = new WorkingCalendar();
    const daysBack = [2, 3, 4, 5, 6].find((d) => {
      const start = new Date(Date.now() - d * 86400_000);
      return (
        computeDue(calendar, start, 5).dueAt.getTime() > Date.now() + 60_000 &&
        computeDue(calendar, start, 1).dueAt.getTime() < Date.now() - 60_000
      );
    })!;
    await publish({ standardWorkingDays: 5, breachAction: 'NOTIFY' });
    const raised = await raise(daysBack);
    retimedCase = raised;
    expect(raised.currentStage).toEqual({ number: 1, breachedAt: null });
    await publish({ standardWorkingDays: 1, breachAction: 'AUTO_ESCALATE' }, true);
    const { events, audit } = await trail(raised.uuid);
    expect(events.map((e) => `${e.kind}@${e.stage}`)).toEqual([
      'RAISED@1',
      'RETIMED@1',
      'STAGE_BREACHED@1',
      'ESCALATED@2',
    ]);
    expect(audit.map((a) => a.action)).toEqual([
      'ESCALATION_RAISED',
      'ESCALATION_RETIMED',
      'ESCALATION_AUTO_ESCALATED',
    ]);
    // The recommended case is governed by the new version too (its stage 1 still past): its breach already ran.
    const recommended = await trail(recommendedCase.uuid);
    expect(recommended.events.filter((e) => e.kind === 'STAGE_BREACHED')).toHaveLength(1);
    expect(recommended.events.filter((e) => e.kind === 'ESCALATED')).toHaveLength(0);
  });

  it('an extension of an overdue stage the worker has not fired yet that still ends in the past breaches it', async () => {
    // Under the version now in force (stage 1: 1 working day, AUTO_ESCALATE), due long ago and not yet fired.
    const raised = await raise(0);
    extendedCase = raised;
    await bringForward(t, await stageOneOf(raised.uuid), 'DUE', -10 * 86400_000, false);
    const manager = { token: await t.login(own.emails.manager) };
    const res = await t.gql(
      EXTEND,
      { input: { escalationId: raised.id, workingDays: 1, reason: 'Waiting for the strategy meeting' } },
      manager,
    );
    expect(res.data.extendStage.userErrors).toEqual([]);
    expect(res.data.extendStage.escalation.currentStage.number).toBe(2);
    const { events, audit } = await trail(raised.uuid);
    expect(events.map((e) => `${e.kind}@${e.stage}`)).toEqual([
      'RAISED@1',
      'EXTENDED@1',
      'STAGE_BREACHED@1',
      'ESCALATED@2',
    ]);
    expect(audit.map((a) => a.action)).toEqual([
      'ESCALATION_RAISED',
      'ESCALATION_STAGE_EXTENDED',
      'ESCALATION_AUTO_ESCALATED',
    ]);
  });

  it('the worker, sweeping and re-running their deadlines, adds nothing to any of them', async () => {
    const cases = [autoCase, recommendedCase, retimedCase, extendedCase].filter(Boolean);
    expect(cases).toHaveLength(4);
    const before = await Promise.all(cases.map((c) => trail(c.uuid)));
    worker = startWorker({ LOG_LEVEL: 'info' });
    await workerRunning(worker.proc);
    for (const c of cases) await refiringRan(t, await stageOneOf(c.uuid));
    const after = await Promise.all(cases.map((c) => trail(c.uuid)));
    expect(after.map((a) => ({ ...a, deliveries: a.deliveries.map((d) => d.kind) }))).toEqual(
      before.map((b) => ({ ...b, deliveries: b.deliveries.map((d) => d.kind) })),
    );
  }, 120_000);
});
