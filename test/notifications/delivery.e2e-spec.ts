import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import type { DataSource } from 'typeorm';
import { loadConfig } from '@hips/config';
import { createAppDataSource, TenantDb } from '@hips/database';
import {
  createMailer,
  DEFAULT_DELIVERY,
  deliverNotifications,
  Mailer,
  queueNotifications,
} from '@hips/notifications';
import { startTestApp, TestApp } from '../support/app';

describe('notification delivery', () => {
  let t: TestApp;
  let app: DataSource;
  let db: TenantDb;
  let portsmouth: string;
  const logger = pino({ level: 'silent' });

  beforeAll(async () => {
    t = await startTestApp();
    app = await createAppDataSource(loadConfig(), 'notifications-spec').initialize();
    db = new TenantDb(app);
    [{ id: portsmouth }] = await t.owner.query(`select id from partnerships where code = 'PORTSMOUTH'`);
  });
  afterAll(async () => {
    await app.destroy();
    await t.close();
  });

  const queue = (key: string, email: string) =>
    db.run({ partnershipId: portsmouth }, (em) =>
      queueNotifications(em, portsmouth, [
        {
          dedupeKey: key,
          escalationId: null,
          kind: 'STAGE_OPENED',
          recipientPersonId: null,
          recipientEmail: email,
          subject: 'PSCP-2026-000001: stage 2 opened',
          body: 'Stage 2 of PSCP-2026-000001 is due Thu 3 Dec 2026 17:00.\nhttp://localhost:3000/escalations/x',
        },
      ]),
    );

  it('writes each notification once, as a file a person can open', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'hips-mail-'));
    const mailer = createMailer({ smtpUrl: null, mailFrom: 'HIPS Resolve <no-reply@hips.test>', dataDir });
    expect(await queue('spec-1:a', 'a@demo.hips.test')).toBe(1);
    expect(await queue('spec-1:a', 'a@demo.hips.test')).toBe(0); // same dedupe key: ignored
    // Other specs' notifications may be waiting too: deliver until nothing is due, twice over.
    const first = await deliverNotifications(db, mailer, logger, { ...DEFAULT_DELIVERY, batchSize: 10_000 });
    const second = await deliverNotifications(db, mailer, logger, { ...DEFAULT_DELIVERY, batchSize: 10_000 });
    expect(first.sent).toBeGreaterThanOrEqual(1);
    expect(second.sent).toBe(0);
    const files = readdirSync(join(dataDir, 'mail'));
    const mine = files
      .map((f) => readFileSync(join(dataDir, 'mail', f), 'utf8'))
      .filter((m) => m.includes('a@demo.hips.test'));
    expect(mine).toHaveLength(1);
    expect(mine[0]).toContain('Subject: PSCP-2026-000001: stage 2 opened');
    const [row]: { status: string; sent_at: Date | null }[] = await t.owner.query(
      `select status, sent_at from notifications where dedupe_key = 'spec-1:a'`,
    );
    expect(row.status).toBe('SENT');
    expect(row.sent_at).not.toBeNull();
    mailer.close();
  });

  it('retries a failing transport with backoff and marks the row DEAD after the last attempt', async () => {
    await queue('spec-2:b', 'b@demo.hips.test');
    let calls = 0;
    const failing: Mailer = {
      // Fails for this spec's recipient only; anything else waiting is "sent" (dropped) as usual.
      send: (mail) => {
        if (mail.to !== 'b@demo.hips.test') return Promise.resolve();
        calls += 1;
        return Promise.reject(new Error('SMTP 451 try later'));
      },
      close: () => undefined,
    };
    const options = { batchSize: 50, maxAttempts: 3, backoffMs: 1 };
    for (let i = 0; i < 3; i += 1) {
      await deliverNotifications(db, failing, logger, options);
      await new Promise((r) => setTimeout(r, 20));
    }
    const [row]: { status: string; attempts: number; last_error: string }[] = await t.owner.query(
      `select status, attempts, last_error from notifications where dedupe_key = 'spec-2:b'`,
    );
    expect(row).toEqual({ status: 'DEAD', attempts: 3, last_error: 'SMTP 451 try later' });
    const before = calls;
    await deliverNotifications(db, failing, logger, options);
    expect(calls).toBe(before); // dead rows are not retried
  });

  it('keeps notifications in their partnership', async () => {
    const [{ id: southampton }] = await t.owner.query(
      `select id from partnerships where code = 'SOUTHAMPTON'`,
    );
    const seen: unknown[] = await db.run({ partnershipId: southampton }, (em) =>
      em.query(`select * from notifications where dedupe_key like 'spec-%'`),
    );
    expect(seen).toEqual([]);
  });
});
