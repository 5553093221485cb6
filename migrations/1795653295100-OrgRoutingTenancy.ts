import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Row-level security (fail closed) and grants for the organisational-structure tables: deputies and absences. */
export class OrgRoutingTenancy1795653295100 implements MigrationInterface {
  name = 'OrgRoutingTenancy1795653295100';

  async up(q: QueryRunner): Promise<void> {
    for (const table of ['post_deputies', 'absences']) {
      await q.query(`alter table ${table} enable row level security`);
      await q.query(`alter table ${table} force row level security`);
      await q.query(`create policy tenant_isolation on ${table}
        using (partnership_id = (select app_current_partnership()))
        with check (partnership_id = (select app_current_partnership()))`);
      await q.query(`grant select, insert, update, delete on ${table} to hips_app`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['absences', 'post_deputies']) {
      await q.query(`revoke all on ${table} from hips_app`);
      await q.query(`drop policy tenant_isolation on ${table}`);
      await q.query(`alter table ${table} disable row level security`);
    }
  }
}
