import { DataSource, EntityManager } from 'typeorm';
import { loadConfig } from '@hips/config';
import { createAppDataSource, TenantDb } from '@hips/database';
import { RoleAssignmentEntity, PersonEntity } from '@hips/directory';
import { ALL_ENTITIES } from '../../apps/entities';
import { startTestApp, TestApp } from '../support/app';
import { seedEveryTenantTable, tenantTables } from './tenant-rows';

/** Shared reference data the application role may read without a tenant: it carries no partnership's rows. */
const TENANT_FREE = ['partnerships', 'analytics_agencies'];

const countIn = async (em: EntityManager | DataSource, table: string): Promise<number> =>
  (await em.query<{ n: number }[]>(`select count(*)::int as n from ${table}`))[0].n;

/**
 * Tenancy fails closed: the application role sees nothing without a tenant and only its tenant with one. The
 * tables are discovered from the catalogue (every table with a partnership_id column), not listed, so a new
 * tenant table is covered the day it is created.
 */
describe('row-level security', () => {
  let t: TestApp;
  let app: DataSource;
  let partnerships: Record<string, string>;
  let tables: string[];
  let undo: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    t = await startTestApp();
    app = await createAppDataSource(loadConfig(), 'rls-spec', ALL_ENTITIES).initialize();
    const rows: { id: string; code: string }[] = await t.owner.query('select id, code from partnerships');
    partnerships = Object.fromEntries(rows.map((r) => [r.code, r.id]));
    undo = (await seedEveryTenantTable(t)).undo;
    tables = (await tenantTables(t)).map((r) => r.name);
  }, 120_000);
  afterAll(async () => {
    await undo?.();
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
  });

  it('enables and forces row-level security on every table with a partnership_id column', async () => {
    const found = await tenantTables(t);
    expect(found.length).toBeGreaterThanOrEqual(20);
    // Views and materialized views would read their tables with their owner's rights, past the policies.
    expect(found.filter((r) => !['r', 'p'].includes(r.kind)).map((r) => r.name)).toEqual([]);
    expect(found.filter((r) => !r.rls || !r.forced).map((r) => r.name)).toEqual([]);
    // Every other table the application role may read is shared reference data or protected as well.
    const readable: { name: string }[] = await t.owner.query(
      `select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'public' and c.relkind in ('r', 'p', 'v', 'm', 'f')
          and (has_table_privilege('hips_app', c.oid, 'select')
               or has_any_column_privilege('hips_app', c.oid, 'select'))
          and not (c.relrowsecurity and c.relforcerowsecurity)
        order by 1`,
    );
    expect(readable.map((r) => r.name).filter((name) => !TENANT_FREE.includes(name))).toEqual([]);
  });

  it('has a row in every tenant table to test with', async () => {
    const empty: string[] = [];
    for (const table of tables) if ((await countIn(t.owner, table)) === 0) empty.push(table);
    // A new tenant table needs a fixture in test/tenancy/tenant-rows.ts.
    expect(empty).toEqual([]);
  });

  it('returns no row of any tenant table when no tenant is set, or an empty one', async () => {
    const seen: Record<string, number> = {};
    for (const table of tables) {
      seen[`${table} (no tenant)`] = await countIn(app, table);
      seen[`${table} (no tenant, in a transaction)`] = await app.transaction((em) => countIn(em, table));
      seen[`${table} (empty tenant)`] = await app.transaction(async (em) => {
        await em.query(`select set_config('app.partnership_id', '', true)`);
        return countIn(em, table);
      });
    }
    expect(Object.entries(seen).filter(([, n]) => n !== 0)).toEqual([]);
  });

  it('returns no analytics row to the analytics role without its partnerships', async () => {
    const readable: { name: string }[] = await t.owner.query(
      `select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'public' and c.relname = any($1)
          and (has_table_privilege('hips_analytics', c.oid, 'select')
               or has_column_privilege('hips_analytics', c.oid, 'partnership_id', 'select'))`,
      [tables],
    );
    expect(readable.length).toBeGreaterThan(0);
    const seen = await t.owner.transaction(async (em) => {
      await em.query('set local role hips_analytics');
      const out: [string, number][] = [];
      for (const { name } of readable) {
        const [{ n }] = await em.query(`select count(partnership_id)::int as n from ${name}`);
        out.push([name, n]);
      }
      return out;
    });
    expect(seen.filter(([, n]) => n !== 0)).toEqual([]);
  });

  it('shows each partnership only its own rows, in every tenant table', async () => {
    const db = new TenantDb(app);
    const wrong: string[] = [];
    for (const [code, id] of Object.entries(partnerships)) {
      for (const table of tables) {
        const [{ own }]: { own: number }[] = await t.owner.query(
          `select count(*)::int as own from ${table} where partnership_id = $1`,
          [id],
        );
        const [seen]: { mine: number; others: number }[] = await db.run({ partnershipId: id }, (em) =>
          em.query(
            `select count(*) filter (where partnership_id = $1)::int as mine,
                    count(*) filter (where partnership_id is distinct from $1)::int as others from ${table}`,
            [id],
          ),
        );
        if (seen.others !== 0 || seen.mine !== own) {
          wrong.push(`${code} ${table}: ${seen.others} foreign rows, ${seen.mine} of ${own} own`);
        }
      }
    }
    expect(wrong).toEqual([]);
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

  describe('on a pool of one connection', () => {
    let single: DataSource;
    let db: TenantDb;
    /** What the next user of the connection sees, as a plain query and in a transaction that sets no tenant. */
    const afterwards = async () => ({
      plain: await countIn(single, 'role_assignments'),
      transaction: await single.transaction((em) => countIn(em, 'role_assignments')),
      setting: (
        await single.query<{ s: string | null }[]>(`select current_setting('app.partnership_id', true) as s`)
      )[0].s,
      pid: (await single.query<{ pid: number }[]>('select pg_backend_pid() as pid'))[0].pid,
    });

    beforeAll(async () => {
      single = await createAppDataSource(
        { ...loadConfig(), databasePoolSize: 1 },
        'rls-pool-1',
        ALL_ENTITIES,
      ).initialize();
      db = new TenantDb(single);
    });
    afterAll(() => single.destroy());

    it('carries no tenant from a committed tenant transaction into the next use of the connection', async () => {
      const during = await db.run({ partnershipId: partnerships.PORTSMOUTH }, async (em) => ({
        count: await countIn(em, 'role_assignments'),
        pid: (await em.query<{ pid: number }[]>('select pg_backend_pid() as pid'))[0].pid,
      }));
      expect(during.count).toBeGreaterThan(0);
      const after = await afterwards();
      expect(after.pid).toBe(during.pid); // the very same connection
      expect([null, '']).toContain(after.setting);
      expect(after).toMatchObject({ plain: 0, transaction: 0 });
    });

    it('carries no tenant from a transaction that failed after setting it', async () => {
      let pid = 0;
      await expect(
        db.run({ partnershipId: partnerships.SOUTHAMPTON }, async (em) => {
          pid = (await em.query<{ pid: number }[]>('select pg_backend_pid() as pid'))[0].pid;
          expect(await countIn(em, 'role_assignments')).toBeGreaterThan(0);
          throw new Error('the unit of work failed');
        }),
      ).rejects.toThrow('the unit of work failed');
      await expect(
        db.run({ partnershipId: partnerships.SOUTHAMPTON }, (em) => em.query('select 1 / 0')),
      ).rejects.toThrow(/division by zero/);
      const after = await afterwards();
      expect(after.pid).toBe(pid);
      expect(after).toMatchObject({ plain: 0, transaction: 0 });
    });
  });
});
