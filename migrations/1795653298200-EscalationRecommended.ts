import type { MigrationInterface, QueryRunner } from 'typeorm';

export class EscalationRecommended1795653298200 implements MigrationInterface {
  name = 'EscalationRecommended1795653298200';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'ALTER TABLE "escalations" ADD "escalation_recommended_at" TIMESTAMP WITH TIME ZONE',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "escalations" DROP COLUMN "escalation_recommended_at"');
  }
}
