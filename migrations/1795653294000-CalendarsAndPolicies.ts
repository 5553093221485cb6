import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CalendarsAndPolicies1795653294000 implements MigrationInterface {
  name = 'CalendarsAndPolicies1795653294000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "calendar_versions" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "partnership_id" uuid NOT NULL, "version" integer NOT NULL, "change" text NOT NULL, "change_date" date, "change_reason" text, "changed_by_person_id" uuid, "published_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "CHK_calendar_versions_change" CHECK ("change" in (\'INITIAL\', \'ADD\', \'REMOVE\')), CONSTRAINT "CHK_calendar_versions_version" CHECK ("version" >= 1), CONSTRAINT "PK_b4305e70ef56d38c702630470db" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "IDX_b4548db6a5311205bd4cc32a65" ON "calendar_versions"  ("partnership_id", "version") ',
    );
    await queryRunner.query(
      'CREATE TABLE "calendar_closure_days" ("partnership_id" uuid NOT NULL, "calendar_version_id" uuid NOT NULL, "date" date NOT NULL, "reason" text NOT NULL, CONSTRAINT "PK_e2de991d6a3cfd4c14bc9f5896d" PRIMARY KEY ("partnership_id", "calendar_version_id", "date"))',
    );
    await queryRunner.query(
      'CREATE TABLE "escalation_policies" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "partnership_id" uuid NOT NULL, "agency_id" uuid, "type" text NOT NULL, "version" integer NOT NULL, "stages" jsonb NOT NULL, "created_by_person_id" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "published_at" TIMESTAMP WITH TIME ZONE, "published_by_person_id" uuid, "effective_from" TIMESTAMP WITH TIME ZONE, "apply_to_open_cases" boolean NOT NULL DEFAULT false, CONSTRAINT "CHK_escalation_policies_published" CHECK (("published_at" is null) = ("effective_from" is null)), CONSTRAINT "CHK_escalation_policies_version" CHECK ("version" >= 1), CONSTRAINT "CHK_escalation_policies_type" CHECK ("type" in (\'GENERAL\', \'CPC_DISSENT\')), CONSTRAINT "PK_aea3f30839009e0efd350e4cbc7" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'ALTER TABLE "calendar_versions" ADD CONSTRAINT "FK_4e8afa4d65bf58e1a24e69c3945" FOREIGN KEY ("partnership_id") REFERENCES "partnerships"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "calendar_versions" ADD CONSTRAINT "FK_e47d59e4bea50bc9ea57bc85940" FOREIGN KEY ("changed_by_person_id") REFERENCES "people"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "calendar_closure_days" ADD CONSTRAINT "FK_f0189eb4b7c50b0e4230dadaab0" FOREIGN KEY ("partnership_id") REFERENCES "partnerships"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "calendar_closure_days" ADD CONSTRAINT "FK_7894b567f3b5bf00ae3c2bdd05f" FOREIGN KEY ("calendar_version_id") REFERENCES "calendar_versions"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "escalation_policies" ADD CONSTRAINT "FK_6c58d2504721645a9616e8d5cd7" FOREIGN KEY ("partnership_id") REFERENCES "partnerships"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "escalation_policies" ADD CONSTRAINT "FK_6f46ac90bf787e95c1a33efba56" FOREIGN KEY ("agency_id") REFERENCES "agencies"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "escalation_policies" ADD CONSTRAINT "FK_72346562baf7efc197b503e10ba" FOREIGN KEY ("created_by_person_id") REFERENCES "people"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "escalation_policies" ADD CONSTRAINT "FK_dbbdc50f8024fa3681a3c777662" FOREIGN KEY ("published_by_person_id") REFERENCES "people"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'ALTER TABLE "escalation_policies" DROP CONSTRAINT "FK_dbbdc50f8024fa3681a3c777662"',
    );
    await queryRunner.query(
      'ALTER TABLE "escalation_policies" DROP CONSTRAINT "FK_72346562baf7efc197b503e10ba"',
    );
    await queryRunner.query(
      'ALTER TABLE "escalation_policies" DROP CONSTRAINT "FK_6f46ac90bf787e95c1a33efba56"',
    );
    await queryRunner.query(
      'ALTER TABLE "escalation_policies" DROP CONSTRAINT "FK_6c58d2504721645a9616e8d5cd7"',
    );
    await queryRunner.query(
      'ALTER TABLE "calendar_closure_days" DROP CONSTRAINT "FK_7894b567f3b5bf00ae3c2bdd05f"',
    );
    await queryRunner.query(
      'ALTER TABLE "calendar_closure_days" DROP CONSTRAINT "FK_f0189eb4b7c50b0e4230dadaab0"',
    );
    await queryRunner.query(
      'ALTER TABLE "calendar_versions" DROP CONSTRAINT "FK_e47d59e4bea50bc9ea57bc85940"',
    );
    await queryRunner.query(
      'ALTER TABLE "calendar_versions" DROP CONSTRAINT "FK_4e8afa4d65bf58e1a24e69c3945"',
    );
    await queryRunner.query('DROP TABLE "escalation_policies"');
    await queryRunner.query('DROP TABLE "calendar_closure_days"');
    await queryRunner.query('DROP INDEX "public"."IDX_b4548db6a5311205bd4cc32a65"');
    await queryRunner.query('DROP TABLE "calendar_versions"');
  }
}
