import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Analytics1795653299000 implements MigrationInterface {
  name = 'Analytics1795653299000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "analytics_case_facts" ("partnership_id" uuid NOT NULL, "escalation_id" uuid NOT NULL, "raised_at" TIMESTAMP WITH TIME ZONE NOT NULL, "raised_on" date NOT NULL, "raised_month" date NOT NULL, "closed_at" TIMESTAMP WITH TIME ZONE, "closed_on" date, "resolved" boolean NOT NULL DEFAULT false, "type" text NOT NULL, "status" text NOT NULL, "urgency" text NOT NULL, "category" text NOT NULL, "level_of_need" text NOT NULL, "raising_agency_id" uuid NOT NULL, "raising_agency_type" text NOT NULL, "responding_agency_id" uuid NOT NULL, "responding_agency_type" text NOT NULL, "highest_stage" integer NOT NULL, "closing_stage" integer, "outcome_code" text, "wd_to_resolution" integer, "wd_to_first_response" integer, "stages_count" integer NOT NULL DEFAULT \'0\', "stages_breached" integer NOT NULL DEFAULT \'0\', "extensions" integer NOT NULL DEFAULT \'0\', "used_stage0" boolean NOT NULL DEFAULT false, "resolved_at_stage0" boolean NOT NULL DEFAULT false, "reopened" boolean NOT NULL DEFAULT false, "systemic" boolean NOT NULL DEFAULT false, "learning_themes" text array NOT NULL DEFAULT \'{}\', "refreshed_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_7f1f7aef7c7d393fe4513b828fb" PRIMARY KEY ("partnership_id", "escalation_id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_0dec7233e1721fd046d064c93e" ON "analytics_case_facts"  ("partnership_id", "closed_on") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_94b6b399a730eb616ba79a0dc8" ON "analytics_case_facts"  ("partnership_id", "raised_month") ',
    );
    await queryRunner.query(
      'CREATE TABLE "analytics_agencies" ("agency_id" uuid NOT NULL, "name" text NOT NULL, "type" text NOT NULL, "refreshed_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_1614e91b79744a3fd97f058e5c1" PRIMARY KEY ("agency_id"))',
    );
    await queryRunner.query(
      'CREATE TABLE "analytics_watermarks" ("partnership_id" uuid NOT NULL, "last_event_at" TIMESTAMP WITH TIME ZONE, "refreshed_at" TIMESTAMP WITH TIME ZONE, "cases_refreshed" integer NOT NULL DEFAULT \'0\', CONSTRAINT "PK_237285d162a035d751b2b2a48c5" PRIMARY KEY ("partnership_id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_5af5b75746896a20ed1b11db5f" ON "escalation_events"  ("partnership_id", "at") ',
    );
    await queryRunner.query(
      'ALTER TABLE "analytics_case_facts" ADD CONSTRAINT "FK_5a2fa188311290d4e0e13a2deb9" FOREIGN KEY ("partnership_id") REFERENCES "partnerships"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "analytics_watermarks" ADD CONSTRAINT "FK_237285d162a035d751b2b2a48c5" FOREIGN KEY ("partnership_id") REFERENCES "partnerships"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'ALTER TABLE "analytics_watermarks" DROP CONSTRAINT "FK_237285d162a035d751b2b2a48c5"',
    );
    await queryRunner.query(
      'ALTER TABLE "analytics_case_facts" DROP CONSTRAINT "FK_5a2fa188311290d4e0e13a2deb9"',
    );
    await queryRunner.query('DROP INDEX "public"."IDX_5af5b75746896a20ed1b11db5f"');
    await queryRunner.query('DROP TABLE "analytics_watermarks"');
    await queryRunner.query('DROP TABLE "analytics_agencies"');
    await queryRunner.query('DROP INDEX "public"."IDX_94b6b399a730eb616ba79a0dc8"');
    await queryRunner.query('DROP INDEX "public"."IDX_0dec7233e1721fd046d064c93e"');
    await queryRunner.query('DROP TABLE "analytics_case_facts"');
  }
}
