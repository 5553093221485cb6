import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AnalyticsTrendCells1795663031258 implements MigrationInterface {
  name = 'AnalyticsTrendCells1795663031258';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "analytics_trend_cells" ("partnership_id" uuid NOT NULL, "grouping" smallint NOT NULL, "month" date NOT NULL, "basis" text NOT NULL, "k1" text NOT NULL, "k2" text NOT NULL, "counts" integer array NOT NULL, "hist" integer array NOT NULL, CONSTRAINT "PK_dfa8e03a74e04516346104f7d22" PRIMARY KEY ("partnership_id", "grouping", "month", "basis", "k1", "k2"))',
    );
    await queryRunner.query(
      'ALTER TABLE "analytics_trend_cells" ADD CONSTRAINT "FK_48d02d7a623c921ac0dbb06c53c" FOREIGN KEY ("partnership_id") REFERENCES "partnerships"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'ALTER TABLE "analytics_trend_cells" DROP CONSTRAINT "FK_48d02d7a623c921ac0dbb06c53c"',
    );
    await queryRunner.query('DROP TABLE "analytics_trend_cells"');
  }
}
