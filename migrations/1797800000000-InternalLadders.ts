import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An agency's internal ladder is a version of its escalation policy of type INTERNAL
 * (docs/decisions/0010-internal-ladders.md): same table, versions, drafts and immutability trigger. Only an
 * agency row may carry it; the partnership default (no agency) never does.
 */
export class InternalLadders1797800000000 implements MigrationInterface {
  name = 'InternalLadders1797800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE "escalation_policies" DROP CONSTRAINT "CHK_escalation_policies_type"');
    await q.query(
      `ALTER TABLE "escalation_policies" ADD CONSTRAINT "CHK_escalation_policies_type" CHECK ("type" in ('GENERAL', 'CPC_DISSENT', 'INTERNAL'))`,
    );
    await q.query(
      `ALTER TABLE "escalation_policies" ADD CONSTRAINT "CHK_escalation_policies_internal_agency" CHECK ("type" <> 'INTERNAL' OR "agency_id" IS NOT NULL)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`delete from escalation_policies where type = 'INTERNAL' and published_at is null`);
    await q.query(
      'ALTER TABLE "escalation_policies" DROP CONSTRAINT "CHK_escalation_policies_internal_agency"',
    );
    await q.query('ALTER TABLE "escalation_policies" DROP CONSTRAINT "CHK_escalation_policies_type"');
    await q.query(
      `ALTER TABLE "escalation_policies" ADD CONSTRAINT "CHK_escalation_policies_type" CHECK ("type" in ('GENERAL', 'CPC_DISSENT'))`,
    );
  }
}
