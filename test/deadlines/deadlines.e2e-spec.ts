import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { startTestApp, TestApp } from '../support/app';
import { RunningProcess, stopProcess } from '../support/processes';
import { bringForward, events, jobFinished, raiseCase, startWorker, waitFor } from './support';

describe('deadline enforcement by the worker', () => {
  let t: TestApp;
  let worker: { proc: RunningProcess; dataDir: string };

  beforeAll(async () => {
    t = await startTestApp();
    worker = startWorker({ LOG_LEVEL: 'info' });
    // Running before the first test's clock starts: a slow start-up is not a late deadline.
    await waitFor(
      'the worker to start',
      () => Promise.resolve(worker.proc.output().includes('HIPS Resolve worker running')),
      60_000,
    );
  }, 90_000);
  afterAll(async () => {
    await stopProcess(worker.proc);
    await t.close();
  });

  it('sends the reminder, then marks the stage breached and tells the owners, each exactly once', async () => {
    const c = await raiseCase(t);
    const half = await bringForward(t, c, 'REMINDER_HALF', 300);
    await waitFor('the reminder', async () => (await events(t, c.id, 'REMINDER_SENT')) === 1);
    const due = await bringForward(t, c, 'DUE', 300);
    await waitFor('the breach', async () => (await events(t, c.id, 'STAGE_BREACHED')) === 1);
    const [stage]: { breached_at: Date | null }[] = await t.owner.query(
      'select breached_at from escalation_stages where id = $1',
      [c.stageId],
    );
    expect(stage.breached_at).not.toBeNull();
    const sent = await waitFor('the breach e-mails', async () => {
      const rows: { recipient_email: string; subject: string; body: string; status: string }[] =
        await t.owner.query(
          `select recipient_email, subject, body, status from notifications where escalation_id = $1 and kind = 'STAGE_BREACHED'`,
          [c.id],
        );
      return rows.length >= 2 && rows.every((r) => r.status === 'SENT') ? rows : null;
    });
    expect(sent.map((r) => r.recipient_email)).toEqual(
      expect.arrayContaining([
        'practitioner.police.southampton@demo.hips.test',
        'practitioner.csc.southampton@demo.hips.test',
      ]),
    );
    // The raiser side's next-stage role (stage 2, LINE_MANAGER of the police team) is told too.
    expect(sent.map((r) => r.recipient_email)).toContain('line-manager.police.southampton@demo.hips.test');
    const mail = readdirSync(join(worker.dataDir, 'mail')).map((f) =>
      readFileSync(join(worker.dataDir, 'mail', f), 'utf8'),
    );
    const breachMail = mail.filter((m) => m.includes('is overdue'));
    expect(breachMail.length).toBeGreaterThanOrEqual(2);
    for (const m of mail) {
      expect(m).not.toContain('DL'); // the child's initials
      expect(m).not.toContain('2015-09-09');
      expect(m).not.toContain('Referral about neglect'); // no free-text summary
    }
    // Firing again (a duplicate job of each, which the worker runs to completion) changes nothing.
    const connection = new Redis(process.env.REDIS_URL!, { maxRetriesPerRequest: null });
    const queue = new Queue('deadlines', { connection, prefix: process.env.REDIS_PREFIX });
    try {
      for (const d of [half, due]) {
        const jobId = `again-${d.id}-${d.version}`;
        const data = { partnershipId: c.partnershipId, deadlineId: d.id, version: d.version };
        await queue.add('fire-deadline', data, { jobId });
        expect(await jobFinished(queue, jobId)).toBe('completed');
      }
    } finally {
      await queue.close();
      await connection.quit();
    }
    expect(await events(t, c.id, 'STAGE_BREACHED')).toBe(1);
    expect(await events(t, c.id, 'REMINDER_SENT')).toBe(1);
  });

  it('fires a burst in batches: every reminder and breach once, in order, with its notifications and audit', async () => {
    const cases = await Promise.all(Array.from({ length: 6 }, () => raiseCase(t)));
    const withReminder = cases.slice(0, 3);
    // Found by the sweeper (no outbox rows), which claims whatever is due in batches: the reminders first, then,
    // a few sweeps later, all six breaches due together.
    for (const c of withReminder) await bringForward(t, c, 'REMINDER_HALF', 300, false);
    for (const c of cases) await bringForward(t, c, 'DUE', 2500, false);
    for (const c of cases) {
      await waitFor('the breaches', async () => (await events(t, c.id, 'STAGE_BREACHED')) === 1);
    }
    const ids = cases.map((c) => c.id);
    const chronology: { escalation_id: string; kind: string; id: string }[] = await t.owner.query(
      `select escalation_id, kind, id from escalation_events
        where escalation_id = any($1) and kind in ('REMINDER_SENT', 'STAGE_BREACHED') order by at`,
      [ids],
    );
    for (const c of cases) {
      const kinds = chronology.filter((e) => e.escalation_id === c.id).map((e) => e.kind);
      expect(kinds).toEqual(
        withReminder.includes(c) ? ['REMINDER_SENT', 'STAGE_BREACHED'] : ['STAGE_BREACHED'],
      );
    }
    // Each event left through the outbox and told the stage's owners; each breach is audited with its deadline.
    const outbox: { n: number }[] = await t.owner.query(
      `select count(*)::int as n from outbox where topic = 'ESCALATION_EVENT' and payload->>'eventId' = any($1)`,
      [chronology.map((e) => e.id)],
    );
    expect(outbox[0].n).toBe(chronology.length);
    const told: { kind: string; escalation_id: string; n: number }[] = await t.owner.query(
      `select kind, escalation_id, count(*)::int as n from notifications
        where escalation_id = any($1) and kind in ('REMINDER_SENT', 'STAGE_BREACHED') group by kind, escalation_id`,
      [ids],
    );
    for (const c of cases) {
      const breach = told.find((r) => r.escalation_id === c.id && r.kind === 'STAGE_BREACHED');
      expect(breach?.n).toBeGreaterThanOrEqual(3); // both owners and the next stage's owner
      const reminder = told.find((r) => r.escalation_id === c.id && r.kind === 'REMINDER_SENT');
      expect(reminder?.n ?? 0).toBe(withReminder.includes(c) ? 2 : 0);
    }
    const audited: { n: number }[] = await t.owner.query(
      `select count(*)::int as n from audit_log
        where action = 'STAGE_BREACHED' and entity_id = any($1) and detail ? 'deadline'`,
      [ids],
    );
    expect(audited[0].n).toBe(cases.length);
  });

  it('sends no reminder once the stage has breached (both overdue, fired apart)', async () => {
    const c = await raiseCase(t);
    await bringForward(t, c, 'DUE', 200);
    await waitFor('the breach', async () => (await events(t, c.id, 'STAGE_BREACHED')) === 1);
    await bringForward(t, c, 'REMINDER_HALF', 100);
    await waitFor('the reminder deadline to fire', async () => {
      const [d]: { fired_at: Date | null }[] = await t.owner.query(
        `select fired_at from deadlines where stage_id = $1 and kind = 'REMINDER_HALF'`,
        [c.stageId],
      );
      return d.fired_at !== null;
    });
    expect(await events(t, c.id, 'REMINDER_SENT')).toBe(0);
  });

  it('fires a deadline once even when its job is enqueued three times and run by two workers', async () => {
    const second = startWorker();
    try {
      const c = await raiseCase(t);
      const d = await bringForward(t, c, 'DUE', 800, false);
      const connection = new Redis(process.env.REDIS_URL!, { maxRetriesPerRequest: null });
      const queue = new Queue('deadlines', { connection, prefix: process.env.REDIS_PREFIX });
      try {
        const data = { partnershipId: c.partnershipId, deadlineId: d.id, version: d.version };
        const jobIds = [`deadline-${d.id}-${d.version}`, `deadline-${d.id}-${d.version}`, `dup-${d.id}`];
        for (const jobId of jobIds) await queue.add('fire-deadline', data, { jobId, delay: 800 });
        await waitFor('the breach', async () => (await events(t, c.id, 'STAGE_BREACHED')) >= 1);
        // Both distinct jobs have run (not merely "some time has passed") before counting.
        for (const jobId of new Set(jobIds)) expect(await jobFinished(queue, jobId)).toBe('completed');
        expect(await events(t, c.id, 'STAGE_BREACHED')).toBe(1);
      } finally {
        await queue.close();
        await connection.quit();
      }
    } finally {
      await stopProcess(second.proc);
    }
  });

  const setBreachAction = (escalationId: string, action: string) =>
    t.owner.query(
      `update escalations set ladder = (
         select jsonb_agg(case when (s->>'number')::int = 1 then s || jsonb_build_object('breachAction', $2::text) else s end)
         from jsonb_array_elements(ladder) s)
       where id = $1`,
      [escalationId, action],
    );

  it('opens the next stage with its own deadline when the policy says AUTO_ESCALATE', async () => {
    const c = await raiseCase(t);
    await setBreachAction(c.id, 'AUTO_ESCALATE');
    await bringForward(t, c, 'DUE', 300);
    await waitFor('the automatic escalation', async () => (await events(t, c.id, 'ESCALATED')) === 1);
    const stages: { number: number; status: string; due_at: Date | null }[] = await t.owner.query(
      'select number, status, due_at from escalation_stages where escalation_id = $1 order by number',
      [c.id],
    );
    expect(stages.map((x) => [x.number, x.status])).toEqual([
      [1, 'CLOSED'],
      [2, 'AWAITING_RESPONSE'],
    ]);
    expect(stages[1].due_at!.getTime()).toBeGreaterThan(Date.now());
    const pending: { kind: string }[] = await t.owner.query(
      `select d.kind from deadlines d join escalation_stages s on s.id = d.stage_id
       where s.escalation_id = $1 and s.number = 2 and d.fired_at is null and d.cancelled_at is null`,
      [c.id],
    );
    expect(pending.map((p) => p.kind)).toContain('DUE');
    expect(await events(t, c.id, 'STAGE_BREACHED')).toBe(1);
  });

  it('flags the case when the policy says RECOMMEND_ESCALATION', async () => {
    const c = await raiseCase(t);
    await setBreachAction(c.id, 'RECOMMEND_ESCALATION');
    await bringForward(t, c, 'DUE', 300);
    await waitFor('the recommendation', async () => (await events(t, c.id, 'ESCALATION_RECOMMENDED')) === 1);
    const token = await t.login('practitioner.police.southampton@demo.hips.test');
    const res = await t.gql(
      `query($id: ID!) { escalation(id: $id) { escalationRecommended currentStage { number overdue breachedAt } } }`,
      { id: c.globalId },
      { token },
    );
    expect(res.data.escalation).toMatchObject({
      escalationRecommended: true,
      currentStage: { number: 1, overdue: true, breachedAt: expect.any(String) },
    });
  });

  it('cancels pending deadlines when the case is resolved', async () => {
    const c = await raiseCase(t);
    const token = await t.login('practitioner.police.southampton@demo.hips.test');
    const res = await t.gql(
      `mutation($input: ResolveInput!) { resolveEscalation(input: $input) { userErrors { code message } } }`,
      { input: { escalationId: c.globalId, outcome: 'DECISION_CHANGED', statement: 'Assessment agreed' } },
      { token },
    );
    expect(res.data.resolveEscalation.userErrors).toEqual([]);
    const pending: unknown[] = await t.owner.query(
      'select 1 from deadlines where escalation_id = $1 and fired_at is null and cancelled_at is null',
      [c.id],
    );
    expect(pending).toEqual([]);
    const resolvedMail = await waitFor('the resolution e-mails', async () => {
      const rows: { body: string }[] = await t.owner.query(
        `select body from notifications where escalation_id = $1 and kind = 'RESOLVED' and status = 'SENT'`,
        [c.id],
      );
      return rows.length > 0 ? rows : null;
    });
    expect(resolvedMail[0].body).toContain('Assessment agreed');
  });
});
