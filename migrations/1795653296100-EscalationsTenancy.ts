import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The escalation tables' tenancy: FORCE row-level security by partnership_id, and the application role's grants. */
const TABLES = [
  'escalations',
  'escalation_children',
  'escalation_stages',
  'escalation_events',
  'escalation_notes',
  'deadlines',
  'outbox',
  'redirected_intakes',
  'reference_counters',
];

export class EscalationsTenancy1795653296100 implements MigrationInterface {
  name = 'EscalationsTenancy1795653296100';

  async up(q: QueryRunner): Promise<void> {
    for (const table of TABLES) {
      await q.query(`alter table ${table} enable row level security`);
      await q.query(`alter table ${table} force row level security`);
      await q.query(`create policy tenant_isolation on ${table}
        using (partnership_id = (select app_current_partnership()))
        with check (partnership_id = (select app_current_partnership()))`);
    }
    // Cases, stages, deadlines and the outbox change; the chronology, children, notes and redirects are
    // append-only for the application (no update, no delete).
    await q.query(`grant select, insert, update on escalations, escalation_stages, deadlines, outbox,
      reference_counters to hips_app`);
    await q.query(`grant select, insert on escalation_children, escalation_events, escalation_notes,
      redirected_intakes to hips_app`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`revoke all on ${TABLES.join(', ')} from hips_app`);
    for (const table of TABLES) {
      await q.query(`drop policy tenant_isolation on ${table}`);
      await q.query(`alter table ${table} no force row level security`);
      await q.query(`alter table ${table} disable row level security`);
    }
  }
}
