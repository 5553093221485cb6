import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Owners' proposals to extend a stage (docs/procedure.md §4), under the case tables' tenancy: FORCE row-level
 * security by partnership_id; the application inserts proposals and updates their decision, never deletes.
 */
export class StageExtensionProposals1797720000000 implements MigrationInterface {
  name = 'StageExtensionProposals1797720000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "stage_extension_proposals" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "partnership_id" uuid NOT NULL, "escalation_id" uuid NOT NULL, "stage_id" uuid NOT NULL, "proposed_by_person_id" uuid NOT NULL, "proposed_by_side" text NOT NULL, "working_days" integer NOT NULL, "reason" text NOT NULL, "status" text NOT NULL, "proposed_at" TIMESTAMP WITH TIME ZONE NOT NULL, "decided_by_person_id" uuid, "decided_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_74d7e2d8647616c8e1938fbe476" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_8e6262a1d18fea81898d896609" ON "stage_extension_proposals"  ("partnership_id", "stage_id") ',
    );
    await queryRunner.query(
      'ALTER TABLE "stage_extension_proposals" ADD CONSTRAINT "FK_daf64d3399bb9b1e917ad39adca" FOREIGN KEY ("partnership_id") REFERENCES "partnerships"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "stage_extension_proposals" ADD CONSTRAINT "FK_2b4f2debf838a333a3a51e120d4" FOREIGN KEY ("escalation_id") REFERENCES "escalations"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "stage_extension_proposals" ADD CONSTRAINT "FK_3ae2a5814ce74acf771a0a2bf36" FOREIGN KEY ("stage_id") REFERENCES "escalation_stages"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query('alter table stage_extension_proposals enable row level security');
    await queryRunner.query('alter table stage_extension_proposals force row level security');
    await queryRunner.query(`create policy tenant_isolation on stage_extension_proposals
      using (partnership_id = (select app_current_partnership()))
      with check (partnership_id = (select app_current_partnership()))`);
    await queryRunner.query('grant select, insert, update on stage_extension_proposals to hips_app');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('revoke all on stage_extension_proposals from hips_app');
    await queryRunner.query('drop policy tenant_isolation on stage_extension_proposals');
    await queryRunner.query(
      'ALTER TABLE "stage_extension_proposals" DROP CONSTRAINT "FK_3ae2a5814ce74acf771a0a2bf36"',
    );
    await queryRunner.query(
      'ALTER TABLE "stage_extension_proposals" DROP CONSTRAINT "FK_2b4f2debf838a333a3a51e120d4"',
    );
    await queryRunner.query(
      'ALTER TABLE "stage_extension_proposals" DROP CONSTRAINT "FK_daf64d3399bb9b1e917ad39adca"',
    );
    await queryRunner.query('DROP INDEX "public"."IDX_8e6262a1d18fea81898d896609"');
    await queryRunner.query('DROP TABLE "stage_extension_proposals"');
  }
}
