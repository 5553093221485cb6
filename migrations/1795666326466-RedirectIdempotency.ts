import type { MigrationInterface, QueryRunner } from 'typeorm';

export class RedirectIdempotency1795666326466 implements MigrationInterface {
  name = 'RedirectIdempotency1795666326466';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "escalations" ADD "request_fingerprint" text');
    await queryRunner.query('ALTER TABLE "redirected_intakes" ADD "idempotency_key" text');
    await queryRunner.query('ALTER TABLE "redirected_intakes" ADD "request_fingerprint" text');
    await queryRunner.query(
      'CREATE UNIQUE INDEX "IDX_f4be4b13320ed81853ac1fa9c2" ON "redirected_intakes"  ("partnership_id", "idempotency_key") ',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "public"."IDX_f4be4b13320ed81853ac1fa9c2"');
    await queryRunner.query('ALTER TABLE "redirected_intakes" DROP COLUMN "request_fingerprint"');
    await queryRunner.query('ALTER TABLE "redirected_intakes" DROP COLUMN "idempotency_key"');
    await queryRunner.query('ALTER TABLE "escalations" DROP COLUMN "request_fingerprint"');
  }
}
