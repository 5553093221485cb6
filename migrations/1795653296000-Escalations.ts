import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Escalations1795653296000 implements MigrationInterface {
  name = 'Escalations1795653296000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "escalations" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "partnership_id" uuid NOT NULL, "reference" text NOT NULL, "type" text NOT NULL, "status" text NOT NULL, "urgency" text NOT NULL, "category" text NOT NULL, "level_of_need" text NOT NULL, "raising_agency_id" uuid NOT NULL, "responding_agency_id" uuid NOT NULL, "raised_by_person_id" uuid, "raised_by_api_key_id" uuid, "respondent_person_id" uuid, "summary" text NOT NULL, "desired_outcome" text NOT NULL, "risk_summary" text NOT NULL, "immediate_risk_actioned" boolean NOT NULL DEFAULT false, "policy_version" integer NOT NULL, "ladder" jsonb NOT NULL, "calendar_version" integer NOT NULL DEFAULT \'0\', "current_stage" integer, "challenged_at" TIMESTAMP WITH TIME ZONE, "conference_date" date, "raised_at" TIMESTAMP WITH TIME ZONE NOT NULL, "closed_at" TIMESTAMP WITH TIME ZONE, "outcome_code" text, "outcome_statement" text, "outcome_recorded_at" TIMESTAMP WITH TIME ZONE, "agreed_actions" jsonb NOT NULL DEFAULT \'[]\', "learning_themes" jsonb NOT NULL DEFAULT \'[]\', "systemic_issue" boolean NOT NULL DEFAULT false, "reopen_count" integer NOT NULL DEFAULT \'0\', "version" integer NOT NULL DEFAULT \'1\', "idempotency_key" text, CONSTRAINT "PK_652a394609addaa4b0f2b3032a1" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_db7fd4d286511ee27fcddda303" ON "escalations"  ("raising_agency_id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_1b39981d26582ea1cc5e7a59f4" ON "escalations"  ("responding_agency_id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_98fd7fc75954de6649a11e514c" ON "escalations"  ("partnership_id", "status") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_0eaf145ba957acb7e45a8b0122" ON "escalations"  ("partnership_id", "raised_at", "id") ',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "IDX_6ca56fe6bdb1f782e183d4de62" ON "escalations"  ("partnership_id", "idempotency_key") ',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "IDX_7758518c0db1a6098411a9c0b1" ON "escalations"  ("partnership_id", "reference") ',
    );
    await queryRunner.query(
      'CREATE TABLE "escalation_children" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "partnership_id" uuid NOT NULL, "escalation_id" uuid NOT NULL, "ciphertext" bytea NOT NULL, "iv" bytea NOT NULL, "tag" bytea NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_52f5f1530986a42138e87f36b69" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_06c135e3313682c1be15216426" ON "escalation_children"  ("partnership_id", "escalation_id") ',
    );
    await queryRunner.query(
      'CREATE TABLE "escalation_stages" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "partnership_id" uuid NOT NULL, "escalation_id" uuid NOT NULL, "number" integer NOT NULL, "name" text NOT NULL, "role_type" text NOT NULL, "status" text NOT NULL, "breaches" boolean NOT NULL DEFAULT true, "opened_at" TIMESTAMP WITH TIME ZONE NOT NULL, "due_start" TIMESTAMP WITH TIME ZONE, "due_at" TIMESTAMP WITH TIME ZONE, "working_days" integer, "due_explanation" text, "skipped_dates" jsonb NOT NULL DEFAULT \'[]\', "breached_at" TIMESTAMP WITH TIME ZONE, "extended" boolean NOT NULL DEFAULT false, "extension_reason" text, "extension_working_days" integer, "raiser_owner_person_id" uuid, "responder_owner_person_id" uuid, "response" text, "responded_at" TIMESTAMP WITH TIME ZONE, "escalation_rationale" text, "closed_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_29fccd9208c64482dbb65af0c34" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_9b1e124c986b6a74819fb8b54b" ON "escalation_stages"  ("partnership_id", "responder_owner_person_id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_01849c5e53e73e42f59abf4539" ON "escalation_stages"  ("partnership_id", "raiser_owner_person_id") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_c31da141695a63e5c76c2f0e96" ON "escalation_stages"  ("partnership_id", "escalation_id") ',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "IDX_7e80745e3115178ac6417b42c8" ON "escalation_stages"  ("escalation_id", "number") ',
    );
    await queryRunner.query(
      'CREATE TABLE "escalation_events" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "partnership_id" uuid NOT NULL, "escalation_id" uuid NOT NULL, "kind" text NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT clock_timestamp(), "actor_person_id" uuid, "actor_api_key_id" uuid, "stage" integer, "detail" text, CONSTRAINT "PK_0554f0361bc18cc120b29001af6" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_68328c144e6ed1d51f0927e78d" ON "escalation_events"  ("partnership_id", "escalation_id", "at", "id") ',
    );
    await queryRunner.query(
      'CREATE TABLE "escalation_notes" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "partnership_id" uuid NOT NULL, "escalation_id" uuid NOT NULL, "author_person_id" uuid, "author_api_key_id" uuid, "author_agency_id" uuid, "visibility" text NOT NULL, "text" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_99fbec8dbabbe71183a54d647b9" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_69cbea90679f4c613aaf2aaab8" ON "escalation_notes"  ("partnership_id", "escalation_id") ',
    );
    await queryRunner.query(
      'CREATE TABLE "deadlines" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "partnership_id" uuid NOT NULL, "escalation_id" uuid NOT NULL, "stage_id" uuid NOT NULL, "kind" text NOT NULL, "due_at" TIMESTAMP WITH TIME ZONE NOT NULL, "version" integer NOT NULL DEFAULT \'1\', "fired_at" TIMESTAMP WITH TIME ZONE, "cancelled_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_a9b8551c028a78298641a8e3470" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_166a2e0ebbff4be8c08f1a10b4" ON "deadlines"  ("partnership_id", "due_at") ',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "IDX_09e7e5aa063e8c154686d7d23b" ON "deadlines"  ("stage_id", "kind") ',
    );
    await queryRunner.query(
      'CREATE TABLE "outbox" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "partnership_id" uuid NOT NULL, "topic" text NOT NULL, "dedupe_key" text NOT NULL, "payload" jsonb NOT NULL, "available_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "relayed_at" TIMESTAMP WITH TIME ZONE, "attempts" integer NOT NULL DEFAULT \'0\', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_340ab539f309f03bdaa14aa7649" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_be2762e4924cca57e9fac30453" ON "outbox"  ("relayed_at", "created_at") ',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_127a01bc60d586b310ac355f68" ON "outbox"  ("partnership_id", "created_at") ',
    );
    await queryRunner.query(
      'CREATE TABLE "redirected_intakes" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "partnership_id" uuid NOT NULL, "reason" text NOT NULL, "raising_agency_id" uuid, "raised_by_person_id" uuid, "raised_by_api_key_id" uuid, "at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_89f2003408a1120dac3d364eb15" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_d33d1b2b1cd1663dd03bbdb4a1" ON "redirected_intakes"  ("partnership_id", "at") ',
    );
    await queryRunner.query(
      'CREATE TABLE "reference_counters" ("partnership_id" uuid NOT NULL, "year" integer NOT NULL, "last" integer NOT NULL, CONSTRAINT "PK_c9338588cba7ee99e68d80e2b6c" PRIMARY KEY ("partnership_id", "year"))',
    );
    await queryRunner.query(
      'ALTER TABLE "escalations" ADD CONSTRAINT "FK_ee09e86c4beccc0db50596604d5" FOREIGN KEY ("partnership_id") REFERENCES "partnerships"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "escalations" ADD CONSTRAINT "FK_db7fd4d286511ee27fcddda303a" FOREIGN KEY ("raising_agency_id") REFERENCES "agencies"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "escalations" ADD CONSTRAINT "FK_1b39981d26582ea1cc5e7a59f40" FOREIGN KEY ("responding_agency_id") REFERENCES "agencies"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "escalation_children" ADD CONSTRAINT "FK_b202370bc6a613d9fae20d891bb" FOREIGN KEY ("partnership_id") REFERENCES "partnerships"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "escalation_children" ADD CONSTRAINT "FK_95aa2a05ec4c1ae4aff957bf235" FOREIGN KEY ("escalation_id") REFERENCES "escalations"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "escalation_stages" ADD CONSTRAINT "FK_f44e07d6dbfdd096c516391e36e" FOREIGN KEY ("partnership_id") REFERENCES "partnerships"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "escalation_stages" ADD CONSTRAINT "FK_44c62779f8f602a4d3fa284c571" FOREIGN KEY ("escalation_id") REFERENCES "escalations"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "escalation_events" ADD CONSTRAINT "FK_31c6a62486cc727982d5a723f6f" FOREIGN KEY ("partnership_id") REFERENCES "partnerships"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "escalation_events" ADD CONSTRAINT "FK_30aeebdec42d5d24fb4c77ce562" FOREIGN KEY ("escalation_id") REFERENCES "escalations"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "escalation_notes" ADD CONSTRAINT "FK_93d5f1f3f5acab2a5aee9981a30" FOREIGN KEY ("partnership_id") REFERENCES "partnerships"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "escalation_notes" ADD CONSTRAINT "FK_05394e9700c52f058ca5d3ab889" FOREIGN KEY ("escalation_id") REFERENCES "escalations"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "deadlines" ADD CONSTRAINT "FK_576fc791f182e9a725e7dd8740e" FOREIGN KEY ("partnership_id") REFERENCES "partnerships"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "deadlines" ADD CONSTRAINT "FK_128ad02b988ee2153dbf097f2ec" FOREIGN KEY ("escalation_id") REFERENCES "escalations"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "deadlines" ADD CONSTRAINT "FK_76422b4b054487856504aca91c4" FOREIGN KEY ("stage_id") REFERENCES "escalation_stages"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "outbox" ADD CONSTRAINT "FK_2d468b0f48c19dccf4507fa107b" FOREIGN KEY ("partnership_id") REFERENCES "partnerships"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "redirected_intakes" ADD CONSTRAINT "FK_ab208cb0c75d0f0a9642ae8d9f3" FOREIGN KEY ("partnership_id") REFERENCES "partnerships"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "reference_counters" ADD CONSTRAINT "FK_8a13f2ad1bdf963a8e9d8b3494f" FOREIGN KEY ("partnership_id") REFERENCES "partnerships"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'ALTER TABLE "reference_counters" DROP CONSTRAINT "FK_8a13f2ad1bdf963a8e9d8b3494f"',
    );
    await queryRunner.query(
      'ALTER TABLE "redirected_intakes" DROP CONSTRAINT "FK_ab208cb0c75d0f0a9642ae8d9f3"',
    );
    await queryRunner.query('ALTER TABLE "outbox" DROP CONSTRAINT "FK_2d468b0f48c19dccf4507fa107b"');
    await queryRunner.query('ALTER TABLE "deadlines" DROP CONSTRAINT "FK_76422b4b054487856504aca91c4"');
    await queryRunner.query('ALTER TABLE "deadlines" DROP CONSTRAINT "FK_128ad02b988ee2153dbf097f2ec"');
    await queryRunner.query('ALTER TABLE "deadlines" DROP CONSTRAINT "FK_576fc791f182e9a725e7dd8740e"');
    await queryRunner.query(
      'ALTER TABLE "escalation_notes" DROP CONSTRAINT "FK_05394e9700c52f058ca5d3ab889"',
    );
    await queryRunner.query(
      'ALTER TABLE "escalation_notes" DROP CONSTRAINT "FK_93d5f1f3f5acab2a5aee9981a30"',
    );
    await queryRunner.query(
      'ALTER TABLE "escalation_events" DROP CONSTRAINT "FK_30aeebdec42d5d24fb4c77ce562"',
    );
    await queryRunner.query(
      'ALTER TABLE "escalation_events" DROP CONSTRAINT "FK_31c6a62486cc727982d5a723f6f"',
    );
    await queryRunner.query(
      'ALTER TABLE "escalation_stages" DROP CONSTRAINT "FK_44c62779f8f602a4d3fa284c571"',
    );
    await queryRunner.query(
      'ALTER TABLE "escalation_stages" DROP CONSTRAINT "FK_f44e07d6dbfdd096c516391e36e"',
    );
    await queryRunner.query(
      'ALTER TABLE "escalation_children" DROP CONSTRAINT "FK_95aa2a05ec4c1ae4aff957bf235"',
    );
    await queryRunner.query(
      'ALTER TABLE "escalation_children" DROP CONSTRAINT "FK_b202370bc6a613d9fae20d891bb"',
    );
    await queryRunner.query('ALTER TABLE "escalations" DROP CONSTRAINT "FK_1b39981d26582ea1cc5e7a59f40"');
    await queryRunner.query('ALTER TABLE "escalations" DROP CONSTRAINT "FK_db7fd4d286511ee27fcddda303a"');
    await queryRunner.query('ALTER TABLE "escalations" DROP CONSTRAINT "FK_ee09e86c4beccc0db50596604d5"');
    await queryRunner.query('DROP TABLE "reference_counters"');
    await queryRunner.query('DROP INDEX "public"."IDX_d33d1b2b1cd1663dd03bbdb4a1"');
    await queryRunner.query('DROP TABLE "redirected_intakes"');
    await queryRunner.query('DROP INDEX "public"."IDX_127a01bc60d586b310ac355f68"');
    await queryRunner.query('DROP INDEX "public"."IDX_be2762e4924cca57e9fac30453"');
    await queryRunner.query('DROP TABLE "outbox"');
    await queryRunner.query('DROP INDEX "public"."IDX_09e7e5aa063e8c154686d7d23b"');
    await queryRunner.query('DROP INDEX "public"."IDX_166a2e0ebbff4be8c08f1a10b4"');
    await queryRunner.query('DROP TABLE "deadlines"');
    await queryRunner.query('DROP INDEX "public"."IDX_69cbea90679f4c613aaf2aaab8"');
    await queryRunner.query('DROP TABLE "escalation_notes"');
    await queryRunner.query('DROP INDEX "public"."IDX_68328c144e6ed1d51f0927e78d"');
    await queryRunner.query('DROP TABLE "escalation_events"');
    await queryRunner.query('DROP INDEX "public"."IDX_7e80745e3115178ac6417b42c8"');
    await queryRunner.query('DROP INDEX "public"."IDX_c31da141695a63e5c76c2f0e96"');
    await queryRunner.query('DROP INDEX "public"."IDX_01849c5e53e73e42f59abf4539"');
    await queryRunner.query('DROP INDEX "public"."IDX_9b1e124c986b6a74819fb8b54b"');
    await queryRunner.query('DROP TABLE "escalation_stages"');
    await queryRunner.query('DROP INDEX "public"."IDX_06c135e3313682c1be15216426"');
    await queryRunner.query('DROP TABLE "escalation_children"');
    await queryRunner.query('DROP INDEX "public"."IDX_7758518c0db1a6098411a9c0b1"');
    await queryRunner.query('DROP INDEX "public"."IDX_6ca56fe6bdb1f782e183d4de62"');
    await queryRunner.query('DROP INDEX "public"."IDX_0eaf145ba957acb7e45a8b0122"');
    await queryRunner.query('DROP INDEX "public"."IDX_98fd7fc75954de6649a11e514c"');
    await queryRunner.query('DROP INDEX "public"."IDX_1b39981d26582ea1cc5e7a59f4"');
    await queryRunner.query('DROP INDEX "public"."IDX_db7fd4d286511ee27fcddda303"');
    await queryRunner.query('DROP TABLE "escalations"');
  }
}
