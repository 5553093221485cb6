import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Row-level security (fail closed) and grants for webhook endpoints and deliveries. The application role may not
 * delete either: endpoints are disabled, and the delivery log is kept.
 */
export class WebhooksTenancy1795653297100 implements MigrationInterface {
  name = 'WebhooksTenancy1795653297100';

  async up(q: QueryRunner): Promise<void> {
    for (const table of ['webhook_endpoints', 'webhook_deliveries']) {
      await q.query(`alter table ${table} enable row level security`);
      await q.query(`alter table ${table} force row level security`);
      await q.query(`create policy tenant_isolation on ${table}
        using (partnership_id = (select app_current_partnership()))
        with check (partnership_id = (select app_current_partnership()))`);
      await q.query(`grant select, insert, update on ${table} to hips_app`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['webhook_deliveries', 'webhook_endpoints']) {
      await q.query(`revoke all on ${table} from hips_app`);
      await q.query(`drop policy tenant_isolation on ${table}`);
      await q.query(`alter table ${table} disable row level security`);
    }
  }
}
