import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Row-level security (fail closed), the application role, the append-only hash-chained audit log and the
 * SECURITY DEFINER look-ups that authentication needs before a tenant is known.
 */
export class TenancyAndAudit1795653293300 implements MigrationInterface {
  name = 'TenancyAndAudit1795653293300';

  async up(q: QueryRunner): Promise<void> {
    // The application role owns nothing and cannot bypass RLS. Roles are cluster-wide, so create it once.
    await q.query(`
      do $$ begin
        if not exists (select 1 from pg_roles where rolname = 'hips_app') then
          create role hips_app login nosuperuser nobypassrls nocreatedb nocreaterole;
        end if;
      end $$`);
    await q.query(`grant usage on schema public to hips_app`);

    // An unset tenant is NULL, and NULL = anything is never true: no tenant, no rows.
    await q.query(`
      create function app_current_partnership() returns uuid language sql stable as $$
        select nullif(current_setting('app.partnership_id', true), '')::uuid
      $$`);

    for (const table of [
      'agency_memberships',
      'role_assignments',
      'api_keys',
      'refresh_tokens',
      'audit_log',
    ]) {
      await q.query(`alter table ${table} enable row level security`);
      await q.query(`alter table ${table} force row level security`);
      await q.query(`create policy tenant_isolation on ${table}
        using (partnership_id = (select app_current_partnership()))
        with check (partnership_id = (select app_current_partnership()))`);
    }

    // Shared directory rows are visible to the partnerships they belong to, through the tenant-owned links.
    await q.query(`alter table agencies enable row level security`);
    await q.query(`alter table agencies force row level security`);
    await q.query(`create policy tenant_visibility on agencies
      using (registered_by_partnership_id = (select app_current_partnership())
             or exists (select 1 from agency_memberships m where m.agency_id = agencies.id))
      with check (registered_by_partnership_id = (select app_current_partnership())
             or exists (select 1 from agency_memberships m where m.agency_id = agencies.id))`);
    await q.query(`alter table org_units enable row level security`);
    await q.query(`alter table org_units force row level security`);
    await q.query(`create policy tenant_visibility on org_units
      using (exists (select 1 from agencies a where a.id = org_units.agency_id))
      with check (exists (select 1 from agencies a where a.id = org_units.agency_id))`);
    await q.query(`alter table people enable row level security`);
    await q.query(`alter table people force row level security`);
    await q.query(`create policy tenant_visibility on people
      using (home_partnership_id = (select app_current_partnership())
             or exists (select 1 from role_assignments r where r.person_id = people.id))
      with check (home_partnership_id = (select app_current_partnership())
             or exists (select 1 from role_assignments r where r.person_id = people.id))`);

    await q.query(`grant select on partnerships to hips_app`);
    await q.query(`grant select, insert, update, delete on agencies, agency_memberships, org_units, people,
      role_assignments, api_keys, refresh_tokens to hips_app`);
    await q.query(`grant select, insert on audit_log to hips_app`);

    // Audit chain: each row carries the hash of the previous row of its partnership.
    await q.query(`
      create function audit_row_hash(prev text, r audit_log) returns text language sql immutable as $$
        select encode(sha256(convert_to(concat_ws('|', prev, r.partnership_id::text, r.seq::text,
          to_char(r.at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US'), r.actor_type, coalesce(r.actor_id::text, ''),
          r.action, r.entity_type, coalesce(r.entity_id, ''), r.detail::text, coalesce(r.request_id, '')), 'UTF8')), 'hex')
      $$`);
    await q.query(`
      create function audit_log_chain() returns trigger language plpgsql as $$
      declare
        last_seq bigint;
        last_hash text;
      begin
        -- Serialise appends per partnership so that two transactions never chain to the same row.
        perform pg_advisory_xact_lock(hashtextextended('audit_log:' || new.partnership_id::text, 0));
        select seq, hash into last_seq, last_hash from audit_log
          where partnership_id = new.partnership_id order by seq desc limit 1;
        new.seq := coalesce(last_seq, 0) + 1;
        new.prev_hash := coalesce(last_hash, repeat('0', 64));
        new.at := coalesce(new.at, now());
        new.hash := audit_row_hash(new.prev_hash, new);
        return new;
      end $$`);
    await q.query(`create trigger audit_log_chain before insert on audit_log
      for each row execute function audit_log_chain()`);
    await q.query(`
      create function audit_log_refuse_change() returns trigger language plpgsql as $$
      begin
        raise exception 'audit_log is append-only: % refused', tg_op using errcode = 'insufficient_privilege';
      end $$`);
    await q.query(`create trigger audit_log_append_only before update or delete on audit_log
      for each row execute function audit_log_refuse_change()`);
    await q.query(`create trigger audit_log_no_truncate before truncate on audit_log
      for each statement execute function audit_log_refuse_change()`);
    // Returns the first seq whose link or hash does not match, or NULL when the chain is intact.
    await q.query(`
      create function audit_verify_chain(p_partnership uuid) returns bigint language plpgsql stable as $$
      declare
        r audit_log;
        expected_prev text := repeat('0', 64);
        expected_seq bigint := 1;
      begin
        for r in select * from audit_log where partnership_id = p_partnership order by seq loop
          if r.seq <> expected_seq or r.prev_hash <> expected_prev or r.hash <> audit_row_hash(r.prev_hash, r) then
            return r.seq;
          end if;
          expected_prev := r.hash;
          expected_seq := r.seq + 1;
        end loop;
        return null;
      end $$`);
    await q.query(`grant execute on function audit_verify_chain(uuid) to hips_app`);

    // Authentication happens before a tenant is known; these definer functions return just what it needs.
    await q.query(`
      create function auth_person_by_email(p_email text)
      returns table (id uuid, password_hash text, disabled_at timestamptz, home_partnership_id uuid)
      language sql stable security definer set search_path = public as $$
        select p.id, p.password_hash, p.disabled_at, p.home_partnership_id from people p where p.email = lower(p_email)
      $$`);
    await q.query(`
      create function auth_person_partnerships(p_person uuid) returns table (partnership_id uuid)
      language sql stable security definer set search_path = public as $$
        select home_partnership_id from people where id = p_person
        union
        select partnership_id from role_assignments where person_id = p_person
      $$`);
    await q.query(`
      create function auth_api_key(p_hash text)
      returns table (id uuid, partnership_id uuid, agency_id uuid, name text, expires_at timestamptz, revoked_at timestamptz)
      language sql stable security definer set search_path = public as $$
        select k.id, k.partnership_id, k.agency_id, k.name, k.expires_at, k.revoked_at from api_keys k where k.key_hash = p_hash
      $$`);
    // Which partnerships an agency serves is directory fact, shown for agencies the tenant itself works with.
    await q.query(`
      create function directory_agency_partnerships(p_agencies uuid[]) returns table (agency_id uuid, code text)
      language sql stable security definer set search_path = public as $$
        select m.agency_id, p.code from agency_memberships m join partnerships p on p.id = m.partnership_id
        where m.agency_id = any(p_agencies)
          and exists (select 1 from agency_memberships mine
                      where mine.agency_id = m.agency_id and mine.partnership_id = app_current_partnership())
        order by p.code
      $$`);
    for (const fn of [
      'auth_person_by_email(text)',
      'auth_person_partnerships(uuid)',
      'auth_api_key(text)',
      'directory_agency_partnerships(uuid[])',
    ]) {
      await q.query(`revoke all on function ${fn} from public`);
      await q.query(`grant execute on function ${fn} to hips_app`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const fn of [
      'directory_agency_partnerships(uuid[])',
      'auth_api_key(text)',
      'auth_person_partnerships(uuid)',
      'auth_person_by_email(text)',
    ]) {
      await q.query(`drop function ${fn}`);
    }
    await q.query(`drop trigger audit_log_no_truncate on audit_log`);
    await q.query(`drop trigger audit_log_append_only on audit_log`);
    await q.query(`drop trigger audit_log_chain on audit_log`);
    await q.query(`drop function audit_verify_chain(uuid)`);
    await q.query(`drop function audit_log_refuse_change()`);
    await q.query(`drop function audit_log_chain()`);
    await q.query(`drop function audit_row_hash(text, audit_log)`);
    for (const table of ['people', 'org_units', 'agencies']) {
      await q.query(`drop policy tenant_visibility on ${table}`);
      await q.query(`alter table ${table} disable row level security`);
    }
    for (const table of [
      'agency_memberships',
      'role_assignments',
      'api_keys',
      'refresh_tokens',
      'audit_log',
    ]) {
      await q.query(`drop policy tenant_isolation on ${table}`);
      await q.query(`alter table ${table} disable row level security`);
    }
    await q.query(`drop function app_current_partnership()`);
    await q.query(`revoke all on all tables in schema public from hips_app`);
  }
}
