import type { MigrationInterface, QueryRunner } from 'typeorm';

export class OrgRouting1795653295000 implements MigrationInterface {
  name = 'OrgRouting1795653295000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "absences" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "partnership_id" uuid NOT NULL, "person_id" uuid NOT NULL, "starts_on" date NOT NULL, "ends_on" date NOT NULL, "reason" text NOT NULL, "recorded_by_person_id" uuid, "cancelled_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "CHK_absences_period" CHECK ("starts_on" <= "ends_on"), CONSTRAINT "PK_bd79346866fea8ac6f269252748" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_ff3087bc7ec64a2b2babf2f44c" ON "absences"  ("partnership_id", "person_id") ',
    );
    await queryRunner.query(
      'CREATE TABLE "post_deputies" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "partnership_id" uuid NOT NULL, "role_assignment_id" uuid NOT NULL, "deputy_person_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_241e2c02daea06e37abb8476063" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_35b8d949ae5afba223ffc3707b" ON "post_deputies"  ("deputy_person_id") ',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "IDX_86ea7ca21eb3f61edfb28995aa" ON "post_deputies"  ("partnership_id", "role_assignment_id", "deputy_person_id") ',
    );
    await queryRunner.query(
      'ALTER TABLE "absences" ADD CONSTRAINT "FK_2eb8b33d1d6e7b0112b90729da0" FOREIGN KEY ("partnership_id") REFERENCES "partnerships"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "absences" ADD CONSTRAINT "FK_31029d63a6db05d3deaae7957cc" FOREIGN KEY ("person_id") REFERENCES "people"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "post_deputies" ADD CONSTRAINT "FK_d252236e8a2e927dc8b3b12315a" FOREIGN KEY ("partnership_id") REFERENCES "partnerships"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "post_deputies" ADD CONSTRAINT "FK_18665f62bef9b388daeb00c8e33" FOREIGN KEY ("role_assignment_id") REFERENCES "role_assignments"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "post_deputies" ADD CONSTRAINT "FK_35b8d949ae5afba223ffc3707bc" FOREIGN KEY ("deputy_person_id") REFERENCES "people"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "post_deputies" DROP CONSTRAINT "FK_35b8d949ae5afba223ffc3707bc"');
    await queryRunner.query('ALTER TABLE "post_deputies" DROP CONSTRAINT "FK_18665f62bef9b388daeb00c8e33"');
    await queryRunner.query('ALTER TABLE "post_deputies" DROP CONSTRAINT "FK_d252236e8a2e927dc8b3b12315a"');
    await queryRunner.query('ALTER TABLE "absences" DROP CONSTRAINT "FK_31029d63a6db05d3deaae7957cc"');
    await queryRunner.query('ALTER TABLE "absences" DROP CONSTRAINT "FK_2eb8b33d1d6e7b0112b90729da0"');
    await queryRunner.query('DROP INDEX "public"."IDX_86ea7ca21eb3f61edfb28995aa"');
    await queryRunner.query('DROP INDEX "public"."IDX_35b8d949ae5afba223ffc3707b"');
    await queryRunner.query('DROP TABLE "post_deputies"');
    await queryRunner.query('DROP INDEX "public"."IDX_ff3087bc7ec64a2b2babf2f44c"');
    await queryRunner.query('DROP TABLE "absences"');
  }
}
