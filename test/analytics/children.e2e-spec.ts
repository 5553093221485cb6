import { idOf } from '@hips/common';
import { agencyId, email, PORTSMOUTH_CSC, RAISE, raiseInput } from '../escalations/support';
import { startTestApp, TestApp } from '../support/app';
import { refreshPartnership } from '@hips/analytics';
import { refresh, withTenantDb } from './support';

const TRENDS = `query($input: EscalationTrendsInput!) { escalationTrends(input: $input) {
  buckets { periodStart raised { value suppressed display } children { value suppressed display } } } }`;

/**
 * The children measure (docs/api/analytics.md): a case concerns one or more children, counted from the number
 * stored when it was raised (so the count survives the retention purge of the child rows), and suppressed like
 * a count of people wherever it, or the bucket's case count, is 1 to 5.
 */
describe('analytics: children of the cases raised', () => {
  let t: TestApp;
  const uuids: string[] = [];
  const sibling = (i: number) => ({
    initials: `K${'ABCDE'[i]}`,
    dateOfBirth: `201${i}-01-02`,
    localAuthority: 'PORTSMOUTH',
  });

  /** Raises a case about `children` children through the API and back-dates it to `raisedAt` (a year no spec uses). */
  const raise = async (children: number, raisedAt: string) => {
    const [child, ...siblings] = Array.from({ length: children }, (_, i) => sibling(i));
    const input = raiseInput(await agencyId(t, PORTSMOUTH_CSC), { child, siblings });
    const res = await t.gql(RAISE, { input }, { token: await t.login(email('practitioner', 'police')) });
    expect(res.errors).toBeUndefined();
    expect(res.data.raiseEscalation.userErrors).toEqual([]);
    const uuid = idOf(res.data.raiseEscalation.escalation.id, 'Escalation')!;
    uuids.push(uuid);
    await t.owner.query('update escalations set raised_at = $2 where id = $1', [uuid, raisedAt]);
    return uuid;
  };
  const month = async (from: string, to: string) => {
    const token = await t.login('analyst.portsmouth@demo.hips.test');
    const res = await t.gql(TRENDS, { input: { from, to, interval: 'MONTH' } }, { token });
    expect(res.errors).toBeUndefined();
    return res.data.escalationTrends.buckets as Record<string, any>[];
  };

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.owner.query('delete from escalations where id = any($1::uuid[])', [uuids]);
    await refresh({ full: true });
    await t.close();
  });

  it('stores the number of children on the case when it is raised', async () => {
    const one = await raise(1, '2016-03-07T10:00:00Z');
    const three = await raise(3, '2016-03-08T10:00:00Z');
    const rows = await t.owner.query<{ id: string; child_count: number }[]>(
      'select id, child_count from escalations where id = any($1::uuid[])',
      [[one, three]],
    );
    expect(Object.fromEntries(rows.map((r) => [r.id, r.child_count]))).toEqual({ [one]: 1, [three]: 3 });
  });

  it('counts cases and children; a bucket of 1 to 5 cases shows neither', async () => {
    for (let i = 0; i < 4; i++) await raise(1, `2016-03-0${i + 1}T10:00:00Z`);
    await raise(3, '2016-04-05T10:00:00Z');
    await refresh({ full: true });

    // March: 6 cases, 1 + 3 + 4 × 1 = 8 children.
    expect(await month('2016-03-01', '2016-03-31')).toEqual([
      {
        periodStart: '2016-03-01',
        raised: { value: 6, suppressed: false, display: '6' },
        children: { value: 8, suppressed: false, display: '8' },
      },
    ]);
    // April: one case of three children. Three children alone would be hidden; so is their case.
    expect(await month('2016-04-01', '2016-04-30')).toEqual([
      {
        periodStart: '2016-04-01',
        raised: { value: null, suppressed: true, display: 'c' },
        children: { value: null, suppressed: true, display: 'c' },
      },
    ]);
    // Both months: April's 1 and 3 cannot be had from the year's total less March.
    const both = await month('2016-03-01', '2016-04-30');
    expect(both.map((b) => b.children.suppressed)).toEqual([true, true]);
    expect(both.map((b) => b.raised.suppressed)).toEqual([true, true]);
  });

  it('keeps counting the children after their rows are purged', async () => {
    await t.owner.query('delete from escalation_children where escalation_id = any($1::uuid[])', [uuids]);
    await t.owner.query('update escalations set child_purged_at = now() where id = any($1::uuid[])', [uuids]);
    await refresh({ full: true });
    const [march] = await month('2016-03-01', '2016-03-31');
    expect(march.children).toEqual({ value: 8, suppressed: false, display: '8' });
  });

  it('finds nothing new since its watermark when nothing happened (event times have microseconds)', async () => {
    await raise(1, '2016-05-02T10:00:00Z');
    // A whole millisecond would hide the bug, so the raise's own events are stamped off the millisecond (a clock
    // lands on one a thousandth of the time).
    const [{ id, micros }] = await t.owner.query<{ id: string; micros: number }[]>(
      `with stamped as (
         update escalation_events set at = date_trunc('milliseconds', at) + interval '123 microseconds'
          where escalation_id = $1 returning at)
       select e.partnership_id as id, (select max(extract(microseconds from at))::int % 1000 from stamped) as micros
         from escalations e where e.id = $1`,
      [uuids[uuids.length - 1]],
    );
    expect(micros).toBe(123);
    await withTenantDb((db) => refreshPartnership(db, id, { overlapMs: 0 }));
    const again = await withTenantDb((db) => refreshPartnership(db, id, { overlapMs: 0 }));
    expect(again.casesRefreshed).toBe(0);
  });
});
