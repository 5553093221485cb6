import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { AuditLogRepository, AuditService } from '@hips/audit';
import { idOf } from '@hips/common';
import { loadConfig } from '@hips/config';
import { createAppDataSource, TenantDb } from '@hips/database';
import { RetentionService, sealChild } from '@hips/escalations';
import { agencyId, RAISE, raiseInput, WITHDRAW } from '../escalations/support';
import { startTestApp, TestApp } from '../support/app';

const AREA = 'ISLE_OF_WIGHT';
const CASES = 205; // more than one batch of 200
const UNREADABLE = [100, 199]; // mid-batch, and the last case of the first batch
const CHILD = {
  initials: 'RB',
  dateOfBirth: '2000-01-01', // 25 on 2025-01-01
  localAuthority: AREA,
  nhsNumber: null,
  localAuthorityCaseId: null,
};

/**
 * The retention purge over more cases than one batch, with children that will not open among them. The cases are
 * copies, made as the owner, of one case raised and withdrawn through the API, closed 8 years ago a few
 * milliseconds apart (with microseconds, as PostgreSQL keeps them); the purge runs as the worker runs it.
 */
describe('retention purge in batches', () => {
  let t: TestApp;
  let app: DataSource;
  let clones: string[] = [];

  beforeAll(async () => {
    t = await startTestApp();
    app = await createAppDataSource(loadConfig(), 'retention-batches-spec').initialize();
    const who = { token: await t.login('practitioner.police.isle-of-wight@demo.hips.test', AREA) };
    const csc = await agencyId(t, 'Isle of Wight Council Children%');
    const raised = await t.gql(
      RAISE,
      { input: raiseInput(csc, { child: { ...CHILD, nhsNumber: undefined } }) },
      who,
    );
    expect(raised.data.raiseEscalation.userErrors).toEqual([]);
    const source = idOf(raised.data.raiseEscalation.escalation.id, 'Escalation')!;
    const withdrawn = await t.gql(
      WITHDRAW,
      { input: { escalationId: raised.data.raiseEscalation.escalation.id, reason: 'Fixture' } },
      who,
    );
    expect(withdrawn.data.withdrawEscalation.userErrors).toEqual([]);

    const key = loadConfig().identifierEncryptionKey;
    clones = Array.from({ length: CASES }, () => randomUUID());
    await t.owner.transaction(async (em) => {
      for (const [i, id] of clones.entries()) {
        await em.query(
          `insert into escalations
           select (jsonb_populate_record(null::escalations, to_jsonb(e) || jsonb_build_object(
             'id', $2::uuid, 'reference', e.reference || '-RB' || $3::text, 'idempotency_key', null,
             'request_fingerprint', null,
             'closed_at', now() - interval '8 years' + $3::int * interval '1 millisecond'
               + interval '123 microseconds'))).*
             from escalations e where e.id = $1`,
          [source, id, i],
        );
        // A child sealed for another case does not open for this one.
        const sealed = sealChild(key, UNREADABLE.includes(i) ? randomUUID() : id, CHILD);
        await em.query(
          `insert into escalation_children (partnership_id, escalation_id, ciphertext, iv, tag)
           select partnership_id, $1, $2, $3, $4 from escalations where id = $1`,
          [id, sealed.ciphertext, sealed.iv, sealed.tag],
        );
      }
    });
  }, 60_000);
  afterAll(async () => {
    await t.owner.query('delete from escalation_children where escalation_id = any($1)', [clones]);
    await t.owner.query('delete from escalations where id = any($1)', [clones]);
    await app.destroy();
    await t.close();
  });

  const purge = async () => {
    const errors: unknown[] = [];
    const logger = { error: (o: unknown) => errors.push(o), info: () => undefined } as unknown as Logger;
    const service = new RetentionService(
      new TenantDb(app),
      new AuditService(new AuditLogRepository()),
      loadConfig(),
    );
    const results = await service.purgeExpired(logger);
    return { result: results.find((r) => r.partnership === AREA), errors };
  };

  it('purges every case over several batches, and a child that will not open stops nothing', async () => {
    const { result, errors } = await purge();
    expect(result).toEqual({
      partnership: AREA,
      examined: CASES,
      purged: CASES - UNREADABLE.length,
      unreadable: UNREADABLE.length,
    });
    // Each unreadable child is reported once, by case id only.
    expect(errors).toEqual(UNREADABLE.map((i) => ({ escalationId: clones[i] })));
    const [left]: { purged: number; children: number }[] = await t.owner.query(
      `select count(*) filter (where child_purged_at is not null)::int as purged,
              (select count(*) from escalation_children where escalation_id = any($1))::int as children
         from escalations where id = any($1)`,
      [clones],
    );
    expect(left).toEqual({ purged: CASES - UNREADABLE.length, children: UNREADABLE.length });
    const [{ audits }]: { audits: number }[] = await t.owner.query(
      `select count(*)::int as audits from audit_log where action = 'CHILD_IDENTIFIERS_PURGED' and entity_id = any($1)`,
      [clones],
    );
    expect(audits).toBe(CASES - UNREADABLE.length);
  }, 60_000);

  it('finds only the unreadable children on the next run', async () => {
    const { result } = await purge();
    expect(result).toEqual({ partnership: AREA, examined: 2, purged: 0, unreadable: 2 });
  });
});
