import { DEMO_PASSWORD, startTestApp, TestApp } from '../support/app';

describe('audit log', () => {
  let t: TestApp;
  let southampton: string;
  beforeAll(async () => {
    t = await startTestApp();
    [{ id: southampton }] = await t.owner.query(`select id from partnerships where code = 'SOUTHAMPTON'`);
    // Make sure the chain has a few links of its own: four audited logins (t.login would answer from its cache).
    for (const who of ['senior-manager.csc', 'senior-manager.csc', 'senior-manager.csc', 'admin']) {
      const res = await t.gql(
        `mutation($input: LoginInput!) { login(input: $input) { accessToken userErrors { code } } }`,
        { input: { email: `${who}.southampton@demo.hips.test`, password: DEMO_PASSWORD } },
      );
      expect(res.data.login).toEqual({ accessToken: expect.any(String), userErrors: [] });
    }
  });
  afterAll(() => t.close());

  const verify = async (q: { query: (sql: string, p: unknown[]) => Promise<unknown> } = t.owner) =>
    (
      (await q.query('select audit_verify_chain($1) as broken', [southampton])) as { broken: string | null }[]
    )[0].broken;

  it('chains every row to the previous one of its partnership', async () => {
    const rows: { seq: string; prev_hash: string; hash: string }[] = await t.owner.query(
      'select seq, prev_hash, hash from audit_log where partnership_id = $1 order by seq',
      [southampton],
    );
    expect(rows.length).toBeGreaterThanOrEqual(4);
    expect(rows[0]).toMatchObject({ seq: '1', prev_hash: '0'.repeat(64) });
    rows.slice(1).forEach((row, i) => expect(row.prev_hash).toBe(rows[i].hash));
    expect(await verify()).toBeNull();
  });

  it('refuses UPDATE, DELETE and TRUNCATE, even for the owner', async () => {
    await expect(
      t.owner.query(`update audit_log set action = 'X' where partnership_id = $1`, [southampton]),
    ).rejects.toThrow(/append-only/);
    await expect(
      t.owner.query(`delete from audit_log where partnership_id = $1`, [southampton]),
    ).rejects.toThrow(/append-only/);
    await expect(t.owner.query(`truncate audit_log`)).rejects.toThrow(/append-only/);
  });

  it('detects tampering that bypassed the trigger', async () => {
    const runner = t.owner.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    try {
      await runner.query('alter table audit_log disable trigger audit_log_append_only');
      await runner.query(
        `update audit_log set detail = '{"forged": true}' where partnership_id = $1 and seq = 2`,
        [southampton],
      );
      expect(await verify(runner)).toBe('2');
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
    expect(await verify()).toBeNull();
  });

  it('keeps the chain intact under concurrent appends', async () => {
    await Promise.all(
      Array.from({ length: 8 }, () =>
        t.gql(
          `mutation { login(input: { email: "admin.southampton@demo.hips.test", password: "resolve-demo" }) { accessToken } }`,
        ),
      ),
    );
    expect(await verify()).toBeNull();
  });
});
