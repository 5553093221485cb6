import { startTestApp, TestApp } from '../support/app';
import { raiseCase } from './support';

const OVERDUE = `query($late: Int, $first: Int) {
  overdueDeadlines(lateByMinutes: $late, first: $first) { totalCount nodes { escalationId kind dueAt minutesOverdue } }
}`;

/** No worker runs in this spec: a deadline moved into the past stays unfired, as under a stalled runner. */
describe('overdueDeadlines (partnership admins, their own partnership only)', () => {
  let t: TestApp;
  const raised: string[] = [];
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    // A later spec's worker would otherwise fire these years-old deadlines on its clock.
    await t.owner.query(
      'update deadlines set cancelled_at = now() where escalation_id = any($1) and fired_at is null',
      [raised],
    );
    await t.close();
  });

  it("lists the caller's partnership's unfired past-due deadlines and none of another partnership", async () => {
    const southampton = await raiseCase(t, {}, 'southampton');
    const portsmouth = await raiseCase(t, {}, 'portsmouth');
    raised.push(southampton.id, portsmouth.id);
    // Years overdue, so they sort before anything another spec left behind.
    await t.owner.query(
      `update deadlines set due_at = now() - interval '3650 days' where escalation_id = any($1) and kind = 'DUE'`,
      [[southampton.id, portsmouth.id]],
    );

    const token = await t.login('admin.southampton@demo.hips.test');
    const res = await t.gql(OVERDUE, { late: 60, first: 100 }, { token });
    expect(res.errors).toBeUndefined();
    const nodes = res.data.overdueDeadlines.nodes as {
      escalationId: string;
      kind: string;
      minutesOverdue: number;
    }[];
    const ids = nodes.map((n) => n.escalationId);
    expect(ids).toContain(southampton.globalId);
    expect(ids).not.toContain(portsmouth.globalId);
    expect(nodes.find((n) => n.escalationId === southampton.globalId)).toMatchObject({ kind: 'DUE' });
    expect(nodes[0].minutesOverdue).toBeGreaterThanOrEqual(3650 * 24 * 60);
    expect(res.data.overdueDeadlines.totalCount).toBeGreaterThanOrEqual(nodes.length);

    // Every listed case is Southampton's.
    const partnerships: { code: string }[] = await t.owner.query(
      `select distinct p.code from escalations e join partnerships p on p.id = e.partnership_id
        where e.id = any($1)`,
      [nodes.map((n) => Buffer.from(n.escalationId, 'base64url').toString('utf8').split(':')[1])],
    );
    expect(partnerships).toEqual([{ code: 'SOUTHAMPTON' }]);

    const portsmouthAdmin = await t.login('admin.portsmouth@demo.hips.test');
    const theirs = await t.gql(OVERDUE, { late: 60, first: 100 }, { token: portsmouthAdmin });
    const theirIds = (theirs.data.overdueDeadlines.nodes as { escalationId: string }[]).map(
      (n) => n.escalationId,
    );
    expect(theirIds).toContain(portsmouth.globalId);
    expect(theirIds).not.toContain(southampton.globalId);
  });

  it('is for partnership admins only, and bounds its arguments', async () => {
    const practitioner = await t.login('practitioner.police.southampton@demo.hips.test');
    const refused = await t.gql(OVERDUE, {}, { token: practitioner });
    expect(refused.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const admin = await t.login('admin.southampton@demo.hips.test');
    const tooMany = await t.gql(OVERDUE, { first: 1000 }, { token: admin });
    expect(tooMany.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });
});
