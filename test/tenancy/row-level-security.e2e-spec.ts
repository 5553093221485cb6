import { DataSource } from 'typeorm';
import { loadConfig } from '@hips/config';
import { createAppDataSource, TenantDb } from '@hips/database';
import { RoleAssignmentEntity, PersonEntity } from '@hips/directory';
import { startTestApp, TestApp } from '../support/app';

/** Tenancy fails closed: the application role sees nothing without a tenant and only its tenant with one. */
describe('row-level security', () => {
  let t: TestApp;
  let app: DataSource;
  let partnerships: Record<string, string>;

  beforeAll(async () => {
    t = await startTestApp();
    app = await createAppDataSource(loadConfig(), 'rls-spec').initialize();
    const rows: { id: string; code: string }[] = await t.owner.query('select id, code from partnerships');
    partnerships = Object.fromEntries(rows.map((r) => [r.code, r.id]));
  });
  afterAll(async () => {
    await app.destroy();
    await t.close();
  });

  it('connects as a role that owns nothing and cannot bypass RLS', async () => {
    const [role]: { rolsuper: boolean; rolbypassrls: boolean }[] = await app.query(
      'select rolsuper, rolbypassrls from pg_roles where rolname = current_user',
    );
    expect(role).toEqual({ rolsuper: false, rolbypassrls: false });
    const owned: unknown[] = await app.query(
      `select tablename from pg_tables where schemaname = 'public' and tableowner = current_user`,
    );
    expect(owned).toEqual([]);
    const forced: { relname: string }[] = await t.owner.query(
      `select relname from pg_class where relname = any($1) and relforcerowsecurity`,
      [
        [
          'agency_memberships',
          'role_assignments',
          'api_keys',
          'refresh_tokens',
          'audit_log',
          'agencies',
          'people',
          'org_units',
        ],
      ],
    );
    expect(forced).toHaveLength(8);
  });

  it('returns no rows when no tenant is set', async () => {
    const [owner]: { count: number }[] = await t.owner.query(
      'select count(*)::int as count from role_assignments',
    );
    expect(owner.count).toBeGreaterThan(100);
    for (const table of [
      'role_assignments',
      'agency_memberships',
      'people',
      'agencies',
      'org_units',
      'audit_log',
    ]) {
      const [{ count }]: { count: number }[] = await app.query(`select count(*)::int as count from ${table}`);
      expect({ table, count }).toEqual({ table, count: 0 });
    }
    // The same, inside a transaction whose setting was cleared (an empty string, not NULL).
    const rows = await app.transaction(async (em) => {
      await em.query(`select set_config('app.partnership_id', '', true)`);
      return em.query('select * from role_assignments');
    });
    expect(rows).toEqual([]);
  });

  it('still cannot read another partnership’s rows when a repository call forgets the tenant filter', async () => {
    const db = new TenantDb(app);
    const portsmouth = partnerships.PORTSMOUTH;
    const [{ count: expected }]: { count: number }[] = await t.owner.query(
      'select count(*)::int as count from role_assignments where partnership_id = $1',
      [portsmouth],
    );
    const rows = await db.run({ partnershipId: portsmouth }, (em) =>
      em.getRepository(RoleAssignmentEntity).find(),
    );
    expect(rows.length).toBe(expected);
    expect(new Set(rows.map((r) => r.partnershipId))).toEqual(new Set([portsmouth]));

    // People of Hampshire only (home and posts there) are invisible from Portsmouth.
    const hampshireOnly: { id: string }[] = await t.owner.query(
      `select p.id from people p where p.email = 'practitioner.csc.hampshire@demo.hips.test'`,
    );
    const seen = await db.run({ partnershipId: portsmouth }, (em) =>
      em.getRepository(PersonEntity).findBy({ id: hampshireOnly[0].id }),
    );
    expect(seen).toEqual([]);
  });

  it('refuses to write a row for another partnership', async () => {
    const db = new TenantDb(app);
    const [unit]: { id: string; person_id: string }[] = await t.owner.query(
      `select r.org_unit_id as id, r.person_id from role_assignments r join partnerships p on p.id = r.partnership_id
       where p.code = 'PORTSMOUTH' limit 1`,
    );
    await expect(
      db.run({ partnershipId: partnerships.PORTSMOUTH }, (em) =>
        em.query(
          `insert into role_assignments (partnership_id, person_id, org_unit_id, role_type) values ($1, $2, $3, 'ANALYST')`,
          [partnerships.HAMPSHIRE, unit.person_id, unit.id],
        ),
      ),
    ).rejects.toThrow(/row-level security/);
  });

  it('never leaks between interleaved requests of two partnerships on a pool of one connection', async () => {
    const single = await createAppDataSource(
      { ...loadConfig(), databasePoolSize: 1 },
      'rls-pool-1',
    ).initialize();
    try {
      const db = new TenantDb(single);
      const codes = ['PORTSMOUTH', 'SOUTHAMPTON'];
      const work = Array.from({ length: 60 }, (_, i) => {
        const code = codes[i % 2];
        return db.run({ partnershipId: partnerships[code] }, async (em) => {
          await new Promise((r) => setTimeout(r, i % 3)); // let the requests interleave on the queue
          const seen: { partnership_id: string }[] = await em.query(
            'select distinct partnership_id from role_assignments',
          );
          return { code, seen: seen.map((r) => r.partnership_id) };
        });
      });
      // Plain queries between the transactions, on the same single connection, must see nothing.
      const between = Array.from({ length: 10 }, () =>
        single.query('select count(*)::int as count from role_assignments'),
      );
      const [results, plain] = await Promise.all([Promise.all(work), Promise.all(between)]);
      for (const result of results) expect(result.seen).toEqual([partnerships[result.code]]);
      for (const [row] of plain as { count: number }[][]) expect(row.count).toBe(0);
    } finally {
      await single.destroy();
    }
  });
});
