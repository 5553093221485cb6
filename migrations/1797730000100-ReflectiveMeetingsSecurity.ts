import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Row-level security (FORCE, by partnership) and grants for the reflective step's record, like the other case
 * tables. Append-only for the application: a record is never rewritten.
 */
export class ReflectiveMeetingsSecurity1797730000100 implements MigrationInterface {
  name = 'ReflectiveMeetingsSecurity1797730000100';

  async up(q: QueryRunner): Promise<void> {
    await q.query('alter table reflective_meetings enable row level security');
    await q.query('alter table reflective_meetings force row level security');
    await q.query(`create policy tenant_isolation on reflective_meetings
      using (partnership_id = (select app_current_partnership()))
      with check (partnership_id = (select app_current_partnership()))`);
    await q.query('grant select, insert on reflective_meetings to hips_app');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('revoke all on reflective_meetings from hips_app');
    await q.query('drop policy tenant_isolation on reflective_meetings');
    await q.query('alter table reflective_meetings no force row level security');
    await q.query('alter table reflective_meetings disable row level security');
  }
}
