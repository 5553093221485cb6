import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The retention purge (worker, as hips_app under row-level security) deletes a closed case's sealed child row.
 * The child table was append-only for the application; it may now delete (its tenant's rows only, by RLS).
 */
export class RetentionSecurity1795668708500 implements MigrationInterface {
  name = 'RetentionSecurity1795668708500';

  async up(q: QueryRunner): Promise<void> {
    await q.query('grant delete on escalation_children to hips_app');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('revoke delete on escalation_children from hips_app');
  }
}
