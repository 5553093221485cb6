import type { MigrationInterface, QueryRunner } from 'typeorm';

export class PendingDeadlinesIndex1795653299500 implements MigrationInterface {
  name = 'PendingDeadlinesIndex1795653299500';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "public"."IDX_166a2e0ebbff4be8c08f1a10b4"');
    await queryRunner.query(
      'CREATE INDEX "IDX_deadlines_pending" ON "deadlines"  ("partnership_id", "due_at") WHERE "fired_at" IS NULL AND "cancelled_at" IS NULL',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "public"."IDX_deadlines_pending"');
    await queryRunner.query(
      'CREATE INDEX "IDX_166a2e0ebbff4be8c08f1a10b4" ON "deadlines" USING btree ("partnership_id", "due_at") ',
    );
  }
}
