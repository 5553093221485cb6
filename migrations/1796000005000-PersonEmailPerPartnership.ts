import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An e-mail is unique per inviting partnership, no longer across HIPS: inviting an address that has an account in
 * another partnership creates this partnership's own account, so the answer never reveals the other one
 * (docs/security/authentication.md, "Inviting people").
 */
export class PersonEmailPerPartnership1796000005000 implements MigrationInterface {
  name = 'PersonEmailPerPartnership1796000005000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "public"."IDX_c77e8752faa45901af2b245dff"');
    await queryRunner.query('CREATE INDEX "IDX_c77e8752faa45901af2b245dff" ON "people"  ("email") ');
    await queryRunner.query(
      'CREATE UNIQUE INDEX "IDX_173160d5e221618f17fa62f215" ON "people"  ("email", "home_partnership_id") ',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "public"."IDX_173160d5e221618f17fa62f215"');
    await queryRunner.query('DROP INDEX "public"."IDX_c77e8752faa45901af2b245dff"');
    await queryRunner.query('CREATE UNIQUE INDEX "IDX_c77e8752faa45901af2b245dff" ON "people"  ("email") ');
  }
}
