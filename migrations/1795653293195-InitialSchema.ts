import type { MigrationInterface, QueryRunner } from 'typeorm';

export class InitialSchema1795653293195 implements MigrationInterface {
  name = 'InitialSchema1795653293195';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "partnerships" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "code" text NOT NULL, "name" text NOT NULL, "reference_prefix" text NOT NULL, "contact_email" text NOT NULL, "reflective_step_name" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_9bd3e9cf6b331f2c5d89af5f61a" UNIQUE ("code"), CONSTRAINT "PK_55de3c169ff0d5d88e9a7cb0cd6" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE TABLE "audit_log" ("partnership_id" uuid NOT NULL, "seq" bigint NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "actor_type" text NOT NULL, "actor_id" uuid, "action" text NOT NULL, "entity_type" text NOT NULL, "entity_id" text, "detail" jsonb NOT NULL DEFAULT \'{}\', "request_id" text, "prev_hash" text NOT NULL, "hash" text NOT NULL, CONSTRAINT "PK_cf852a9e6116ea3696794ca9a79" PRIMARY KEY ("partnership_id", "seq"))',
    );
    await queryRunner.query(
      'CREATE TABLE "agencies" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" text NOT NULL, "type" text NOT NULL, "registered_by_partnership_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_8ab1f1f53f56c8255b0d7e68b28" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_bcc6f225f82544ad16e08bfe92" ON "agencies"  ("registered_by_partnership_id") ',
    );
    await queryRunner.query(
      'CREATE TABLE "api_keys" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "partnership_id" uuid NOT NULL, "agency_id" uuid NOT NULL, "name" text NOT NULL, "key_hash" text NOT NULL, "created_by_person_id" uuid, "expires_at" TIMESTAMP WITH TIME ZONE, "revoked_at" TIMESTAMP WITH TIME ZONE, "last_used_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_5c8a79801b44bd27b79228e1dad" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "IDX_57384430aa1959f4578046c9b8" ON "api_keys"  ("key_hash") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_53c18259958d6d7d8aba662f1a" ON "api_keys"  ("partnership_id", "agency_id") ',
    );
    await queryRunner.query(
      'CREATE TABLE "people" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "email" text NOT NULL, "display_name" text NOT NULL, "agency_id" uuid NOT NULL, "home_partnership_id" uuid NOT NULL, "password_hash" text NOT NULL, "disabled_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_aa866e71353ee94c6cc51059c5b" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE UNIQUE INDEX "IDX_c77e8752faa45901af2b245dff" ON "people"  ("email") ');
    await queryRunner.query('CREATE INDEX "IDX_310c5b11716f23dcf78c8aeff9" ON "people"  ("agency_id") ');
    await queryRunner.query(
      'CREATE INDEX "IDX_275c09c677004e444e5c48dfa3" ON "people"  ("home_partnership_id") ',
    );
    await queryRunner.query(
      'CREATE TABLE "refresh_tokens" ("id" uuid NOT NULL, "partnership_id" uuid NOT NULL, "person_id" uuid NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "used_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_7d8bee0204106019488c4c50ffa" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_b31056b6995970bb425c9a7bea" ON "refresh_tokens"  ("partnership_id", "person_id") ',
    );
    await queryRunner.query(
      'CREATE TABLE "agency_memberships" ("partnership_id" uuid NOT NULL, "agency_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_b87e67a16319fecb95cb7bd8af5" PRIMARY KEY ("partnership_id", "agency_id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_4ee3be60abd0abb8bce3a8b276" ON "agency_memberships"  ("agency_id") ',
    );
    await queryRunner.query(
      'CREATE TABLE "org_units" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "agency_id" uuid NOT NULL, "parent_id" uuid, "name" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_b4a19b7f3756560cd75643be5a7" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE INDEX "IDX_1e34ff77ee2511cb3f77783732" ON "org_units"  ("agency_id") ');
    await queryRunner.query(
      'CREATE TABLE "role_assignments" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "partnership_id" uuid NOT NULL, "person_id" uuid NOT NULL, "org_unit_id" uuid NOT NULL, "role_type" text NOT NULL, "manager_person_id" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_fc2df9835ac1d2a34839f113783" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_ea83da32475dccf87b2702941b" ON "role_assignments"  ("person_id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_829237b8a41385c10a7fe6fdcf" ON "role_assignments"  ("partnership_id", "org_unit_id", "role_type") ',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "IDX_cfa297de156fbed9dbee13d1d6" ON "role_assignments"  ("partnership_id", "person_id", "org_unit_id", "role_type") ',
    );
    await queryRunner.query(
      'ALTER TABLE "audit_log" ADD CONSTRAINT "FK_fdee15d3b45a82b0c289735bf2d" FOREIGN KEY ("partnership_id") REFERENCES "partnerships"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "agencies" ADD CONSTRAINT "FK_bcc6f225f82544ad16e08bfe925" FOREIGN KEY ("registered_by_partnership_id") REFERENCES "partnerships"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "api_keys" ADD CONSTRAINT "FK_9f16bd44fb35dd821711ed744e2" FOREIGN KEY ("partnership_id") REFERENCES "partnerships"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "api_keys" ADD CONSTRAINT "FK_03a2521323bd52f34bf349f234a" FOREIGN KEY ("agency_id") REFERENCES "agencies"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "people" ADD CONSTRAINT "FK_310c5b11716f23dcf78c8aeff92" FOREIGN KEY ("agency_id") REFERENCES "agencies"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "people" ADD CONSTRAINT "FK_275c09c677004e444e5c48dfa35" FOREIGN KEY ("home_partnership_id") REFERENCES "partnerships"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "refresh_tokens" ADD CONSTRAINT "FK_c33bcb8fa96ac4973f45d65e867" FOREIGN KEY ("person_id") REFERENCES "people"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "agency_memberships" ADD CONSTRAINT "FK_c6ac6919383532f6b9884b06c36" FOREIGN KEY ("partnership_id") REFERENCES "partnerships"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "agency_memberships" ADD CONSTRAINT "FK_4ee3be60abd0abb8bce3a8b2765" FOREIGN KEY ("agency_id") REFERENCES "agencies"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "org_units" ADD CONSTRAINT "FK_1e34ff77ee2511cb3f77783732a" FOREIGN KEY ("agency_id") REFERENCES "agencies"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "org_units" ADD CONSTRAINT "FK_93e336d1c079edb2cecd9c8f599" FOREIGN KEY ("parent_id") REFERENCES "org_units"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "role_assignments" ADD CONSTRAINT "FK_ab50038d71677cd753ddf7be087" FOREIGN KEY ("partnership_id") REFERENCES "partnerships"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "role_assignments" ADD CONSTRAINT "FK_ea83da32475dccf87b2702941bc" FOREIGN KEY ("person_id") REFERENCES "people"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "role_assignments" ADD CONSTRAINT "FK_8e9d7c86e72d402f5efe83559fd" FOREIGN KEY ("org_unit_id") REFERENCES "org_units"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "role_assignments" ADD CONSTRAINT "FK_dd4e7cb55f5d76098fe620f64f2" FOREIGN KEY ("manager_person_id") REFERENCES "people"("id") ON DELETE SET NULL ON UPDATE NO ACTION',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'ALTER TABLE "role_assignments" DROP CONSTRAINT "FK_dd4e7cb55f5d76098fe620f64f2"',
    );
    await queryRunner.query(
      'ALTER TABLE "role_assignments" DROP CONSTRAINT "FK_8e9d7c86e72d402f5efe83559fd"',
    );
    await queryRunner.query(
      'ALTER TABLE "role_assignments" DROP CONSTRAINT "FK_ea83da32475dccf87b2702941bc"',
    );
    await queryRunner.query(
      'ALTER TABLE "role_assignments" DROP CONSTRAINT "FK_ab50038d71677cd753ddf7be087"',
    );
    await queryRunner.query('ALTER TABLE "org_units" DROP CONSTRAINT "FK_93e336d1c079edb2cecd9c8f599"');
    await queryRunner.query('ALTER TABLE "org_units" DROP CONSTRAINT "FK_1e34ff77ee2511cb3f77783732a"');
    await queryRunner.query(
      'ALTER TABLE "agency_memberships" DROP CONSTRAINT "FK_4ee3be60abd0abb8bce3a8b2765"',
    );
    await queryRunner.query(
      'ALTER TABLE "agency_memberships" DROP CONSTRAINT "FK_c6ac6919383532f6b9884b06c36"',
    );
    await queryRunner.query('ALTER TABLE "refresh_tokens" DROP CONSTRAINT "FK_c33bcb8fa96ac4973f45d65e867"');
    await queryRunner.query('ALTER TABLE "people" DROP CONSTRAINT "FK_275c09c677004e444e5c48dfa35"');
    await queryRunner.query('ALTER TABLE "people" DROP CONSTRAINT "FK_310c5b11716f23dcf78c8aeff92"');
    await queryRunner.query('ALTER TABLE "api_keys" DROP CONSTRAINT "FK_03a2521323bd52f34bf349f234a"');
    await queryRunner.query('ALTER TABLE "api_keys" DROP CONSTRAINT "FK_9f16bd44fb35dd821711ed744e2"');
    await queryRunner.query('ALTER TABLE "agencies" DROP CONSTRAINT "FK_bcc6f225f82544ad16e08bfe925"');
    await queryRunner.query('ALTER TABLE "audit_log" DROP CONSTRAINT "FK_fdee15d3b45a82b0c289735bf2d"');
    await queryRunner.query('DROP INDEX "public"."IDX_cfa297de156fbed9dbee13d1d6"');
    await queryRunner.query('DROP INDEX "public"."IDX_829237b8a41385c10a7fe6fdcf"');
    await queryRunner.query('DROP INDEX "public"."IDX_ea83da32475dccf87b2702941b"');
    await queryRunner.query('DROP TABLE "role_assignments"');
    await queryRunner.query('DROP INDEX "public"."IDX_1e34ff77ee2511cb3f77783732"');
    await queryRunner.query('DROP TABLE "org_units"');
    await queryRunner.query('DROP INDEX "public"."IDX_4ee3be60abd0abb8bce3a8b276"');
    await queryRunner.query('DROP TABLE "agency_memberships"');
    await queryRunner.query('DROP INDEX "public"."IDX_b31056b6995970bb425c9a7bea"');
    await queryRunner.query('DROP TABLE "refresh_tokens"');
    await queryRunner.query('DROP INDEX "public"."IDX_275c09c677004e444e5c48dfa3"');
    await queryRunner.query('DROP INDEX "public"."IDX_310c5b11716f23dcf78c8aeff9"');
    await queryRunner.query('DROP INDEX "public"."IDX_c77e8752faa45901af2b245dff"');
    await queryRunner.query('DROP TABLE "people"');
    await queryRunner.query('DROP INDEX "public"."IDX_53c18259958d6d7d8aba662f1a"');
    await queryRunner.query('DROP INDEX "public"."IDX_57384430aa1959f4578046c9b8"');
    await queryRunner.query('DROP TABLE "api_keys"');
    await queryRunner.query('DROP INDEX "public"."IDX_bcc6f225f82544ad16e08bfe92"');
    await queryRunner.query('DROP TABLE "agencies"');
    await queryRunner.query('DROP TABLE "audit_log"');
    await queryRunner.query('DROP TABLE "partnerships"');
  }
}
