import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Retention1795668708409 implements MigrationInterface {
  name = 'Retention1795668708409';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "escalations" ADD "legal_hold_at" TIMESTAMP WITH TIME ZONE');
    await queryRunner.query('ALTER TABLE "escalations" ADD "legal_hold_reason" text');
    await queryRunner.query('ALTER TABLE "escalations" ADD "legal_hold_by_person_id" uuid');
    await queryRunner.query('ALTER TABLE "escalations" ADD "child_purged_at" TIMESTAMP WITH TIME ZONE');
    await queryRunner.query(
      'CREATE INDEX "IDX_escalations_retention" ON "escalations"  ("partnership_id", "closed_at") WHERE "closed_at" IS NOT NULL AND "child_purged_at" IS NULL',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "public"."IDX_escalations_retention"');
    await queryRunner.query('ALTER TABLE "escalations" DROP COLUMN "child_purged_at"');
    await queryRunner.query('ALTER TABLE "escalations" DROP COLUMN "legal_hold_by_person_id"');
    await queryRunner.query('ALTER TABLE "escalations" DROP COLUMN "legal_hold_reason"');
    await queryRunner.query('ALTER TABLE "escalations" DROP COLUMN "legal_hold_at"');
  }
}
