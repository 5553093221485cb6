import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The notification outbox is tenant-owned: FORCE row-level security, like every tenant table. */
export class NotificationsTenancy1795653298100 implements MigrationInterface {
  name = 'NotificationsTenancy1795653298100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`alter table notifications enable row level security`);
    await q.query(`alter table notifications force row level security`);
    await q.query(`create policy tenant_isolation on notifications
      using (partnership_id = (select app_current_partnership()))
      with check (partnership_id = (select app_current_partnership()))`);
    await q.query(`grant select, insert, update on notifications to hips_app`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`revoke all on notifications from hips_app`);
    await q.query(`drop policy tenant_isolation on notifications`);
    await q.query(`alter table notifications disable row level security`);
  }
}
