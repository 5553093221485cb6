import type { MigrationInterface, QueryRunner } from 'typeorm';
import { defaultLadder, ESCALATION_TYPES } from '@hips/core';

const TENANT_TABLES = ['calendar_versions', 'calendar_closure_days', 'escalation_policies'];

/**
 * Row-level security and grants for calendars and escalation policies, immutability of published versions
 * (enforced in the database too), the NULLS NOT DISTINCT unique indexes TypeORM cannot express, and the seed:
 * calendar version 1 (no closure days) and the default GENERAL and CPC_DISSENT policies, published as version 1
 * of each partnership, effective since 2000-01-01 (they apply to any date a preview or a case may ask about).
 */
export class CalendarsAndPoliciesSecurity1795653294100 implements MigrationInterface {
  name = 'CalendarsAndPoliciesSecurity1795653294100';

  async up(q: QueryRunner): Promise<void> {
    for (const table of TENANT_TABLES) {
      await q.query(`alter table ${table} enable row level security`);
      await q.query(`alter table ${table} force row level security`);
      await q.query(`create policy tenant_isolation on ${table}
        using (partnership_id = (select app_current_partnership()))
        with check (partnership_id = (select app_current_partnership()))`);
    }
    // Calendar versions are published at once and never change; drafts of policies are updated until published.
    await q.query(`grant select, insert on calendar_versions, calendar_closure_days to hips_app`);
    await q.query(`grant select, insert, update on escalation_policies to hips_app`);

    // Version numbers per policy, and at most one open draft per policy; the default policy has agency_id null.
    await q.query(`create unique index "UQ_escalation_policies_version"
      on escalation_policies (partnership_id, agency_id, type, version) nulls not distinct`);
    await q.query(`create unique index "UQ_escalation_policies_one_draft"
      on escalation_policies (partnership_id, agency_id, type) nulls not distinct where published_at is null`);

    await q.query(`
      create function calendar_refuse_change() returns trigger language plpgsql as $$
      begin
        raise exception '% is immutable (a published calendar version): % refused', tg_table_name, tg_op
          using errcode = 'insufficient_privilege';
      end $$`);
    for (const table of ['calendar_versions', 'calendar_closure_days']) {
      await q.query(`create trigger ${table}_immutable before update or delete on ${table}
        for each row execute function calendar_refuse_change()`);
      await q.query(`create trigger ${table}_no_truncate before truncate on ${table}
        for each statement execute function calendar_refuse_change()`);
    }
    await q.query(`
      create function escalation_policy_guard() returns trigger language plpgsql as $$
      begin
        if old.published_at is not null then
          raise exception 'escalation policy % version % is published and immutable: % refused',
            old.id, old.version, tg_op using errcode = 'insufficient_privilege';
        end if;
        if tg_op = 'DELETE' then
          return old;
        end if;
        if new.partnership_id <> old.partnership_id or new.agency_id is distinct from old.agency_id
           or new.type <> old.type or new.version <> old.version then
          raise exception 'a draft escalation policy cannot move to another policy or version'
            using errcode = 'insufficient_privilege';
        end if;
        return new;
      end $$`);
    await q.query(`create trigger escalation_policies_immutable before update or delete on escalation_policies
      for each row execute function escalation_policy_guard()`);
    await q.query(`create trigger escalation_policies_no_truncate before truncate on escalation_policies
      for each statement execute function calendar_refuse_change()`);

    const partnerships = (await q.query(
      'select id, reflective_step_name from partnerships order by code',
    )) as {
      id: string;
      reflective_step_name: string | null;
    }[];
    for (const partnership of partnerships) {
      await q.query(
        `insert into calendar_versions (partnership_id, version, change, change_reason, published_at)
         values ($1, 1, 'INITIAL', 'Bank holidays only: no partnership closure days yet', now())`,
        [partnership.id],
      );
      for (const type of ESCALATION_TYPES) {
        await q.query(
          `insert into escalation_policies (partnership_id, agency_id, type, version, stages, published_at,
             effective_from)
           values ($1, null, $2, 1, $3, now(), '2000-01-01T00:00:00Z')`,
          [partnership.id, type, JSON.stringify(defaultLadder(type, partnership.reflective_step_name ?? ''))],
        );
      }
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`drop trigger escalation_policies_no_truncate on escalation_policies`);
    await q.query(`drop trigger escalation_policies_immutable on escalation_policies`);
    await q.query(`drop function escalation_policy_guard()`);
    for (const table of ['calendar_closure_days', 'calendar_versions']) {
      await q.query(`drop trigger ${table}_no_truncate on ${table}`);
      await q.query(`drop trigger ${table}_immutable on ${table}`);
    }
    await q.query(`drop function calendar_refuse_change()`);
    await q.query(`drop index "UQ_escalation_policies_one_draft"`);
    await q.query(`drop index "UQ_escalation_policies_version"`);
    await q.query(
      `revoke all on calendar_versions, calendar_closure_days, escalation_policies from hips_app`,
    );
    for (const table of TENANT_TABLES) {
      await q.query(`drop policy tenant_isolation on ${table}`);
      await q.query(`alter table ${table} disable row level security`);
    }
    // The seeded rows go with the tables when CalendarsAndPolicies is reverted.
  }
}
