import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Four-eyes role grants: one admin requests, a second approves (docs/security/separation-of-duties.md). */

export class RoleGrantRequests1796000004000 implements MigrationInterface {
  name = 'RoleGrantRequests1796000004000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "role_grant_requests" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "partnership_id" uuid NOT NULL, "person_id" uuid NOT NULL, "org_unit_id" uuid NOT NULL, "role_type" text NOT NULL, "manager_person_id" uuid, "status" text NOT NULL DEFAULT \'PENDING\', "requested_by_person_id" uuid NOT NULL, "requested_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "decided_by_person_id" uuid, "decided_at" TIMESTAMP WITH TIME ZONE, "decline_reason" text, CONSTRAINT "CHK_role_grant_requests_status" CHECK ("status" in (\'PENDING\', \'APPROVED\', \'DECLINED\', \'EXPIRED\')), CONSTRAINT "PK_54d6b9c8f04497c2bb19701743a" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "UQ_role_grant_requests_pending" ON "role_grant_requests"  ("partnership_id", "person_id", "org_unit_id", "role_type") WHERE "status" = \'PENDING\'',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_97ba96a81f9b194b7aac4d1ec8" ON "role_grant_requests"  ("partnership_id", "status", "requested_at") ',
    );
    await queryRunner.query(
      'ALTER TABLE "role_grant_requests" ADD CONSTRAINT "FK_92ce5825ec7363ceeee00331a38" FOREIGN KEY ("partnership_id") REFERENCES "partnerships"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "role_grant_requests" ADD CONSTRAINT "FK_602197f09e34062cb043b7d081b" FOREIGN KEY ("person_id") REFERENCES "people"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "role_grant_requests" ADD CONSTRAINT "FK_f5e31b9b8b5f3d7456ed2228afc" FOREIGN KEY ("org_unit_id") REFERENCES "org_units"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'ALTER TABLE "role_grant_requests" DROP CONSTRAINT "FK_f5e31b9b8b5f3d7456ed2228afc"',
    );
    await queryRunner.query(
      'ALTER TABLE "role_grant_requests" DROP CONSTRAINT "FK_602197f09e34062cb043b7d081b"',
    );
    await queryRunner.query(
      'ALTER TABLE "role_grant_requests" DROP CONSTRAINT "FK_92ce5825ec7363ceeee00331a38"',
    );
    await queryRunner.query('DROP INDEX "public"."IDX_97ba96a81f9b194b7aac4d1ec8"');
    await queryRunner.query('DROP INDEX "public"."UQ_role_grant_requests_pending"');
    await queryRunner.query('DROP TABLE "role_grant_requests"');
  }
}
