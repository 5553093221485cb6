import { randomUUID } from 'node:crypto';
import { idOf, toGlobalId } from '@hips/common';
import { loadConfig } from '@hips/config';
import { refresh } from '../analytics/support';
import { scheduledRunsSince, startWorker, waitFor } from '../deadlines/support';
import {
  agencyId,
  email,
  PORTSMOUTH_CSC,
  RAISE,
  raiseInput,
  REOPEN,
  RESOLVE,
  WITHDRAW,
} from '../escalations/support';
import { startTestApp, TestApp } from '../support/app';
import { RunningProcess, stopProcess } from '../support/processes';

const HOLD_FIELDS = `escalationId version legalHold { reason placedAt placedBy { displayName } }
  escalation { id version legalHold { reason } } userErrors { code field message }`;
const PLACE = `mutation($input: PlaceLegalHoldInput!) { placeLegalHold(input: $input) { ${HOLD_FIELDS} } }`;
const LIFT = `mutation($input: LiftLegalHoldInput!) { liftLegalHold(input: $input) { ${HOLD_FIELDS} } }`;
const READ = `query($id: ID!) { escalation(id: $id) { id status version closedAt childPurgedAt
  legalHold { reason placedBy { displayName } }
  child { initials dateOfBirth nhsNumber localAuthorityCaseId }
  outcome { code statement } stages { number status } } }`;

const ADULT_BY_NOW = '2000-01-01'; // 25 on 2025-01-01
const YOUNG = '2015-09-09'; // 25 on 2040-09-09
const pp = email('practitioner', 'police');
const MANAGER = 'partnership-manager.portsmouth@demo.hips.test';
const ADMIN = 'admin.portsmouth@demo.hips.test';

describe('retention of child identifiers (docs/procedure.md §7)', () => {
  let t: TestApp;
  let csc: string;
  let worker: { proc: RunningProcess; dataDir: string } | null = null;

  const gql = async (query: string, variables: Record<string, unknown>, who: string) => {
    const res = await t.gql(query, variables, { token: await t.login(who) });
    expect(res.errors).toBeUndefined();
    return Object.values(res.data)[0] as Record<string, any>;
  };

  /** Raises a Portsmouth case (police → CSC) for a child born on `dateOfBirth`; returns its global id and uuid. */
  const raise = async (dateOfBirth: string) => {
    const input = raiseInput(csc, {
      child: {
        initials: 'RT',
        dateOfBirth,
        localAuthority: 'PORTSMOUTH',
        nhsNumber: '9434765919',
        localAuthorityCaseId: 'LA-RET-1',
      },
    });
    const r = await gql(RAISE, { input }, pp);
    expect(r.userErrors).toEqual([]);
    return { id: r.escalation.id as string, uuid: idOf(r.escalation.id, 'Escalation')! };
  };

  /** Withdrawn by the raiser, then the closure moved `yearsAgo` into the past (there is no fake clock). */
  const closedYearsAgo = async (dateOfBirth: string, yearsAgo: number) => {
    const c = await raise(dateOfBirth);
    const w = await gql(WITHDRAW, { input: { escalationId: c.id, reason: 'No longer needed' } }, pp);
    expect(w.userErrors).toEqual([]);
    await t.owner.query(
      `update escalations set closed_at = now() - ($2 || ' years')::interval,
         outcome_recorded_at = now() - ($2 || ' years')::interval where id = $1`,
      [c.uuid, String(yearsAgo)],
    );
    return c;
  };

  const childRows = async (uuid: string) =>
    (
      await t.owner.query<{ n: number }[]>(
        'select count(*)::int as n from escalation_children where escalation_id = $1',
        [uuid],
      )
    )[0].n;
  const purgeAudits = (uuid: string) =>
    t.owner.query<{ actor_type: string; detail: Record<string, unknown> }[]>(
      `select actor_type, detail from audit_log where action = 'CHILD_IDENTIFIERS_PURGED' and entity_id = $1`,
      [uuid],
    );
  const caseRow = async (uuid: string) =>
    (
      await t.owner.query<
        {
          status: string;
          version: number;
          child_purged_at: Date | null;
          request_fingerprint: string | null;
        }[]
      >('select status, version, child_purged_at, request_fingerprint from escalations where id = $1', [uuid])
    )[0];

  beforeAll(async () => {
    t = await startTestApp();
    csc = await agencyId(t, PORTSMOUTH_CSC);
  });
  afterAll(async () => {
    if (worker) await stopProcess(worker.proc);
    await t.close();
  });

  describe('legal hold mutations', () => {
    it('are for a partnership admin or manager only, with a reason, and check expectedVersion', async () => {
      const c = await raise(YOUNG);
      for (const who of [pp, email('practitioner', 'csc'), 'scrutineer.portsmouth@demo.hips.test']) {
        const r = await gql(PLACE, { input: { escalationId: c.id, reason: 'Proceedings' } }, who);
        expect(r.userErrors[0]).toMatchObject({ code: 'FORBIDDEN' });
      }
      const blank = await gql(PLACE, { input: { escalationId: c.id, reason: '   ' } }, ADMIN);
      expect(blank.userErrors[0]).toMatchObject({ code: 'VALIDATION', field: ['input', 'reason'] });
      const long = await gql(PLACE, { input: { escalationId: c.id, reason: 'x'.repeat(2001) } }, ADMIN);
      expect(long.userErrors[0]).toMatchObject({ code: 'VALIDATION', field: ['input', 'reason'] });
      const stale = await gql(
        PLACE,
        { input: { escalationId: c.id, reason: 'Proceedings', expectedVersion: 7 } },
        ADMIN,
      );
      expect(stale.userErrors[0]).toMatchObject({ code: 'CONFLICT', field: ['input', 'expectedVersion'] });
      const missing = await gql(
        PLACE,
        { input: { escalationId: toGlobalId('Escalation', randomUUID()), reason: 'Proceedings' } },
        ADMIN,
      );
      expect(missing.userErrors[0]).toMatchObject({ code: 'NOT_FOUND', field: ['input', 'escalationId'] });
      // Another partnership's admin does not see the case at all (row-level security).
      const other = await gql(
        PLACE,
        { input: { escalationId: c.id, reason: 'Proceedings' } },
        'admin.southampton@demo.hips.test',
      );
      expect(other.userErrors[0]).toMatchObject({ code: 'NOT_FOUND' });
      const liftNone = await gql(LIFT, { input: { escalationId: c.id, reason: 'Done' } }, MANAGER);
      expect(liftNone.userErrors[0]).toMatchObject({ code: 'INVALID_STATE' });
      expect((await caseRow(c.uuid)).version).toBe(1); // nothing changed so far

      // The admin places it: the answer carries the hold, but not the case (outside the admin's oversight).
      const placed = await gql(
        PLACE,
        { input: { escalationId: c.id, reason: ' Care proceedings, PO-123 ', expectedVersion: 1 } },
        ADMIN,
      );
      expect(placed.userErrors).toEqual([]);
      expect(placed).toMatchObject({
        escalationId: c.id,
        version: 2,
        legalHold: { reason: 'Care proceedings, PO-123', placedBy: { displayName: expect.any(String) } },
        escalation: null,
      });
      const twice = await gql(PLACE, { input: { escalationId: c.id, reason: 'again' } }, MANAGER);
      expect(twice.userErrors[0]).toMatchObject({ code: 'INVALID_STATE' });
      // Visible on the case to those who read it.
      const read = await gql(READ, { id: c.id }, pp);
      expect(read).toMatchObject({ version: 2, legalHold: { reason: 'Care proceedings, PO-123' } });

      // The manager lifts it (and, in oversight, gets the case back).
      const lifted = await gql(
        LIFT,
        { input: { escalationId: c.id, reason: 'Proceedings concluded', expectedVersion: 2 } },
        MANAGER,
      );
      expect(lifted.userErrors).toEqual([]);
      expect(lifted).toMatchObject({
        version: 3,
        legalHold: null,
        escalation: { version: 3, legalHold: null },
      });

      const audits: { action: string; actor_type: string; detail: Record<string, unknown> }[] =
        await t.owner.query(
          `select action, actor_type, detail from audit_log where entity_id = $1 and action like 'LEGAL_HOLD_%' order by seq`,
          [c.uuid],
        );
      expect(audits).toEqual([
        { action: 'LEGAL_HOLD_PLACED', actor_type: 'PERSON', detail: { reason: 'Care proceedings, PO-123' } },
        {
          action: 'LEGAL_HOLD_LIFTED',
          actor_type: 'PERSON',
          detail: { reason: 'Proceedings concluded', placedAt: expect.any(String) },
        },
      ]);
    });
  });

  describe('the purge in the worker', () => {
    it('purges closed cases past both dates, keeps the others, respects legal hold, and is idempotent', async () => {
      const due = await closedYearsAgo(ADULT_BY_NOW, 8);
      const young = await closedYearsAgo(YOUNG, 8); // closure + 7 years passed, 25th birthday not yet
      const recent = await closedYearsAgo(ADULT_BY_NOW, 6); // 25 already, closure + 7 years not yet
      const held = await closedYearsAgo(ADULT_BY_NOW, 8);
      const open = await raise(ADULT_BY_NOW);
      // Resolved and reopened: open again, so its identifiers stay whatever the dates.
      const reopened = await raise(ADULT_BY_NOW);
      const res = await gql(
        RESOLVE,
        { input: { escalationId: reopened.id, outcome: 'DECISION_CHANGED', statement: 'Agreed' } },
        pp,
      );
      expect(res.userErrors).toEqual([]);
      const re = await gql(REOPEN, { input: { escalationId: reopened.id, reason: 'Not delivered' } }, pp);
      expect(re.userErrors).toEqual([]);
      // Resolved, reopened and resolved again today: retention runs from the latest closure.
      const reclosed = await raise(ADULT_BY_NOW);
      await gql(
        RESOLVE,
        { input: { escalationId: reclosed.id, outcome: 'DECISION_CHANGED', statement: 'a' } },
        pp,
      );
      await gql(REOPEN, { input: { escalationId: reclosed.id, reason: 'again' } }, pp);
      await gql(
        RESOLVE,
        { input: { escalationId: reclosed.id, outcome: 'DECISION_CHANGED', statement: 'b' } },
        pp,
      );

      const hold = await gql(PLACE, { input: { escalationId: held.id, reason: 'Litigation' } }, MANAGER);
      expect(hold.userErrors).toEqual([]);

      // The API's key (its DATA_DIR's generated key): the worker opens the sealed children the API wrote.
      worker = startWorker({
        RETENTION_PURGE_MS: '1000',
        IDENTIFIER_ENCRYPTION_KEY: loadConfig().identifierEncryptionKey.toString('base64'),
      });
      await waitFor('the purge', async () => (await purgeAudits(due.uuid)).length === 1, 30_000).catch(
        (error: Error) => {
          throw new Error(`${error.message}\n${worker!.proc.output()}`);
        },
      );

      // Gone at rest: the sealed child row and the request fingerprint; the case is marked.
      expect(await childRows(due.uuid)).toBe(0);
      const purgedRow = await caseRow(due.uuid);
      expect(purgedRow).toMatchObject({ status: 'WITHDRAWN', request_fingerprint: null });
      expect(purgedRow.child_purged_at).not.toBeNull();
      // The audit row: the system, the closure it ran from, no identifiers.
      const [audit] = await purgeAudits(due.uuid);
      expect(audit).toMatchObject({ actor_type: 'SYSTEM', detail: { rule: 'RETENTION_ENDED' } });
      const auditText = JSON.stringify(audit);
      for (const identifier of ['2000-01-01', '2025-01-01', 'RT', '9434765919', 'LA-RET-1'])
        expect(auditText).not.toContain(identifier);

      // A few more runs (begun after the purge was seen, run to completion) change nothing.
      await scheduledRunsSince('maintenance', 'purge-child-identifiers', Date.now(), 2);
      expect(await purgeAudits(due.uuid)).toHaveLength(1);
      expect((await caseRow(due.uuid)).version).toBe(purgedRow.version);
      for (const kept of [young, recent, held, open, reopened, reclosed]) {
        expect(await childRows(kept.uuid)).toBe(1);
        expect(await purgeAudits(kept.uuid)).toHaveLength(0);
        expect((await caseRow(kept.uuid)).child_purged_at).toBeNull();
      }

      // Reads after the purge: the case, its stages and outcome as before; child null, with childPurgedAt.
      for (const who of [pp, MANAGER]) {
        const read = await gql(READ, { id: due.id }, who);
        expect(read).toMatchObject({
          status: 'WITHDRAWN',
          child: null,
          childPurgedAt: expect.any(String),
          outcome: { code: 'WITHDRAWN', statement: 'No longer needed' },
          stages: [{ number: 1, status: 'CLOSED' }],
        });
      }
      const keptRead = await gql(READ, { id: young.id }, pp);
      expect(keptRead).toMatchObject({ childPurgedAt: null, child: { initials: 'RT', dateOfBirth: YOUNG } });
      // Nothing to hold any more.
      const late = await gql(PLACE, { input: { escalationId: due.id, reason: 'Too late' } }, MANAGER);
      expect(late.userErrors[0]).toMatchObject({ code: 'INVALID_STATE' });

      // Analytics keep the anonymous record (refreshed here: the worker refreshes only once a minute).
      await refresh();
      const facts: { status: string; outcome_code: string | null }[] = await t.owner.query(
        'select status, outcome_code from analytics_case_facts where escalation_id = $1',
        [due.uuid],
      );
      expect(facts).toEqual([{ status: 'WITHDRAWN', outcome_code: 'WITHDRAWN' }]);

      // The hold lifted: the next run purges.
      const lifted = await gql(LIFT, { input: { escalationId: held.id, reason: 'Settled' } }, ADMIN);
      expect(lifted.userErrors).toEqual([]);
      await waitFor(
        'the purge after the hold',
        async () => (await purgeAudits(held.uuid)).length === 1,
        30_000,
      );
      expect(await childRows(held.uuid)).toBe(0);

      const [{ broken }]: { broken: string | null }[] = await t.owner.query(
        `select audit_verify_chain(id) as broken from partnerships where code = 'PORTSMOUTH'`,
      );
      expect(broken).toBeNull();
    }, 90_000);
  });
});
