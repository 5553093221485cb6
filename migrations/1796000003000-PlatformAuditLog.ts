import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The platform audit trail: events of platform operators, who belong to no partnership (the queue dashboard,
 * docs/security/operators-and-production.md). Hash-chained and append-only like audit_log, but one chain for the
 * whole table. The application role may only append: the chaining trigger reads the table as its owner.
 */
export class PlatformAuditLog1796000003000 implements MigrationInterface {
  name = 'PlatformAuditLog1796000003000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "platform_audit_log" ("seq" bigint NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "actor_type" text NOT NULL, "actor_name" text NOT NULL, "action" text NOT NULL, "detail" jsonb NOT NULL DEFAULT '{}', "request_id" text, "prev_hash" text NOT NULL, "hash" text NOT NULL, CONSTRAINT "PK_a8ee729caf6d1e416246f5090e3" PRIMARY KEY ("seq"))`,
    );
    await q.query(`
      create function platform_audit_row_hash(prev text, r platform_audit_log) returns text language sql immutable as $$
        select encode(sha256(convert_to(concat_ws('|', prev, r.seq::text,
          to_char(r.at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US'), r.actor_type, r.actor_name,
          r.action, r.detail::text, coalesce(r.request_id, '')), 'UTF8')), 'hex')
      $$`);
    await q.query(`
      create function platform_audit_log_chain() returns trigger language plpgsql
      security definer set search_path = public as $$
      declare
        last_seq bigint;
        last_hash text;
      begin
        -- Serialise appends so that two transactions never chain to the same row.
        perform pg_advisory_xact_lock(hashtextextended('platform_audit_log', 0));
        select seq, hash into last_seq, last_hash from platform_audit_log order by seq desc limit 1;
        new.seq := coalesce(last_seq, 0) + 1;
        new.prev_hash := coalesce(last_hash, repeat('0', 64));
        new.at := coalesce(new.at, now());
        new.hash := platform_audit_row_hash(new.prev_hash, new);
        return new;
      end $$`);
    await q.query(`create trigger platform_audit_log_chain before insert on platform_audit_log
      for each row execute function platform_audit_log_chain()`);
    // audit_log_refuse_change() (TenancyAndAudit) refuses whatever operation fires it.
    await q.query(`create trigger platform_audit_log_append_only before update or delete on platform_audit_log
      for each row execute function audit_log_refuse_change()`);
    await q.query(`create trigger platform_audit_log_no_truncate before truncate on platform_audit_log
      for each statement execute function audit_log_refuse_change()`);
    await q.query(`
      create function platform_audit_verify_chain() returns bigint language plpgsql stable as $$
      declare
        r platform_audit_log;
        expected_prev text := repeat('0', 64);
        expected_seq bigint := 1;
      begin
        for r in select * from platform_audit_log order by seq loop
          if r.seq <> expected_seq or r.prev_hash <> expected_prev
             or r.hash <> platform_audit_row_hash(r.prev_hash, r) then
            return r.seq;
          end if;
          expected_prev := r.hash;
          expected_seq := r.seq + 1;
        end loop;
        return null;
      end $$`);
    await q.query(`revoke all on platform_audit_log from public`);
    await q.query(`grant insert on platform_audit_log to hips_app`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`drop function platform_audit_verify_chain()`);
    await q.query(`drop function platform_audit_row_hash(text, platform_audit_log)`);
    await q.query(`drop table "platform_audit_log"`);
    await q.query(`drop function platform_audit_log_chain()`);
  }
}
