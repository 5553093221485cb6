import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Notifications1795653298000 implements MigrationInterface {
  name = 'Notifications1795653298000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "notifications" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "partnership_id" uuid NOT NULL, "dedupe_key" text NOT NULL, "escalation_id" uuid, "kind" text NOT NULL, "recipient_person_id" uuid, "recipient_email" text NOT NULL, "subject" text NOT NULL, "body" text NOT NULL, "status" text NOT NULL DEFAULT \'PENDING\', "attempts" integer NOT NULL DEFAULT \'0\', "next_attempt_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "sent_at" TIMESTAMP WITH TIME ZONE, "last_error" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_6a72c3c0f683f6462415e653c3a" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_eb55b4cc8a1fa9e705210ddb4a" ON "notifications"  ("status", "next_attempt_at") ',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "IDX_4a753dd037abb57082121fe860" ON "notifications"  ("partnership_id", "dedupe_key") ',
    );
    await queryRunner.query(
      'ALTER TABLE "notifications" ADD CONSTRAINT "FK_aea2f69e66c5344d56d268c3b35" FOREIGN KEY ("partnership_id") REFERENCES "partnerships"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "notifications" DROP CONSTRAINT "FK_aea2f69e66c5344d56d268c3b35"');
    await queryRunner.query('DROP INDEX "public"."IDX_4a753dd037abb57082121fe860"');
    await queryRunner.query('DROP INDEX "public"."IDX_eb55b4cc8a1fa9e705210ddb4a"');
    await queryRunner.query('DROP TABLE "notifications"');
  }
}
