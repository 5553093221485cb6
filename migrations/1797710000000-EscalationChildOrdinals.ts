import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A case concerns one or more children (docs/procedure.md §7): `escalation_children` already holds one row per
 * child; each row now has its place in the case. Existing rows (one per case) become the first child, ordinal 0,
 * untouched otherwise: the ciphertext, its IV and tag, and the case id as associated data stay as they are.
 */
export class EscalationChildOrdinals1797710000000 implements MigrationInterface {
  name = 'EscalationChildOrdinals1797710000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "escalation_children" ADD "ordinal" integer NOT NULL DEFAULT \'0\'');
    await queryRunner.query(
      'CREATE UNIQUE INDEX "IDX_0a548bbb06528ef61a151fd05e" ON "escalation_children" ("escalation_id", "ordinal") ',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "public"."IDX_0a548bbb06528ef61a151fd05e"');
    await queryRunner.query('ALTER TABLE "escalation_children" DROP COLUMN "ordinal"');
  }
}
