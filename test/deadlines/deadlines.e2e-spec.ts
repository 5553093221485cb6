import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { startTestApp, TestApp } from '../support/app';
import { RunningProcess, stopProcess } from '../support/processes';
import { bringForward, events, raiseCase, startWorker, waitFor } from './support';

describe('deadline enforcement by the worker', () => {
  let t: TestApp;
  let worker: { proc: RunningProcess; dataDir: string };

  beforeAll(async () => {
    t = await startTestApp();
    worker = startWorker();
  });
  afterAll(async () => {
    await stopProcess(worker.proc);
    await t.close();
  });

  it('sends the reminder, then marks the stage breached and tells the owners, each exactly once', async () => {
    const c = await raiseCase(t);
    await bringForward(t, c, 'REMINDER_HALF', 300);
    await waitFor('the reminder', async () => (await events(t, c.id, 'REMINDER_SENT')) === 1);
    await bringForward(t, c, 'DUE', 300);
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
    // Firing again (a duplicate job) changes nothing.
    await new Promise((r) => setTimeout(r, 1500));
    expect(await events(t, c.id, 'STAGE_BREACHED')).toBe(1);
    expect(await events(t, c.id, 'REMINDER_SENT')).toBe(1);
  });

  it('fires a deadline once even when its job is enqueued three times and run by two workers', async () => {
    const second = startWorker();
    try {
      const c = await raiseCase(t);
      const d = await bringForward(t, c, 'DUE', 800, false);
      const connection = new Redis(process.env.REDIS_URL!, { maxRetriesPerRequest: null });
      const queue = new Queue('deadlines', { connection, prefix: process.env.REDIS_PREFIX });
      const data = { partnershipId: c.partnershipId, deadlineId: d.id, version: d.version };
      await queue.add('fire-deadline', data, { jobId: `deadline-${d.id}-${d.version}`, delay: 800 });
      await queue.add('fire-deadline', data, { jobId: `deadline-${d.id}-${d.version}`, delay: 800 });
      await queue.add('fire-deadline', data, { jobId: `dup-${d.id}`, delay: 800 });
      await waitFor('the breach', async () => (await events(t, c.id, 'STAGE_BREACHED')) >= 1);
      await new Promise((r) => setTimeout(r, 1500));
      expect(await events(t, c.id, 'STAGE_BREACHED')).toBe(1);
      await queue.close();
      await connection.quit();
    } finally {
      await stopProcess(second.proc);
    }
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
