import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Row-level security (fail closed) and grants for pending role grants. No DELETE: decided and expired requests
 * are kept as the record of who asked and who approved.
 */
export class RoleGrantRequestsSecurity1796000004100 implements MigrationInterface {
  name = 'RoleGrantRequestsSecurity1796000004100';

  async up(q: QueryRunner): Promise<void> {
    await q.query('alter table role_grant_requests enable row level security');
    await q.query('alter table role_grant_requests force row level security');
    await q.query(`create policy tenant_isolation on role_grant_requests
      using (partnership_id = (select app_current_partnership()))
      with check (partnership_id = (select app_current_partnership()))`);
    await q.query('grant select, insert, update on role_grant_requests to hips_app');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('revoke all on role_grant_requests from hips_app');
    await q.query('drop policy tenant_isolation on role_grant_requests');
    await q.query('alter table role_grant_requests disable row level security');
  }
}
