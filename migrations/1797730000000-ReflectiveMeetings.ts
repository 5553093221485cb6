import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The record of a case's reflective step (stage 0): when, who facilitated and attended, the outcome. */
export class ReflectiveMeetings1797730000000 implements MigrationInterface {
  name = 'ReflectiveMeetings1797730000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "reflective_meetings" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "partnership_id" uuid NOT NULL, "escalation_id" uuid NOT NULL, "stage_id" uuid NOT NULL, "held_at" TIMESTAMP WITH TIME ZONE NOT NULL, "facilitator_person_id" uuid, "facilitator_role" text, "attendees" jsonb NOT NULL, "outcome" text NOT NULL, "recorded_by_person_id" uuid, "recorded_by_api_key_id" uuid, "recorded_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "CHK_reflective_meetings_outcome" CHECK ("outcome" in (\'RESOLVED\', \'PROCEED_TO_STAGE_1\')), CONSTRAINT "CHK_reflective_meetings_facilitator" CHECK (("facilitator_person_id" is null) <> ("facilitator_role" is null)), CONSTRAINT "PK_a96d5a7fb2fdd94cf39c4a99edd" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_1eae5ff1cb66fa1aac51086b25" ON "reflective_meetings"  ("partnership_id", "escalation_id") ',
    );
    await queryRunner.query(
      'ALTER TABLE "reflective_meetings" ADD CONSTRAINT "FK_9194118de9f4597fc9333c609bf" FOREIGN KEY ("partnership_id") REFERENCES "partnerships"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "reflective_meetings" ADD CONSTRAINT "FK_f62a6757b00538d4bdf48cf1a6f" FOREIGN KEY ("escalation_id") REFERENCES "escalations"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "reflective_meetings" ADD CONSTRAINT "FK_9f46bd060f441ce2f12822d5688" FOREIGN KEY ("stage_id") REFERENCES "escalation_stages"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'ALTER TABLE "reflective_meetings" DROP CONSTRAINT "FK_9f46bd060f441ce2f12822d5688"',
    );
    await queryRunner.query(
      'ALTER TABLE "reflective_meetings" DROP CONSTRAINT "FK_f62a6757b00538d4bdf48cf1a6f"',
    );
    await queryRunner.query(
      'ALTER TABLE "reflective_meetings" DROP CONSTRAINT "FK_9194118de9f4597fc9333c609bf"',
    );
    await queryRunner.query('DROP INDEX "public"."IDX_1eae5ff1cb66fa1aac51086b25"');
    await queryRunner.query('DROP TABLE "reflective_meetings"');
  }
}
