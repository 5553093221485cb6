import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Every column of analytics_case_facts the analytics role may read: all of them except escalation_id. */
const FACT_COLUMNS = [
  'partnership_id',
  'raised_at',
  'raised_on',
  'raised_month',
  'closed_at',
  'closed_on',
  'resolved',
  'type',
  'status',
  'urgency',
  'category',
  'level_of_need',
  'raising_agency_id',
  'raising_agency_type',
  'responding_agency_id',
  'responding_agency_type',
  'highest_stage',
  'closing_stage',
  'outcome_code',
  'wd_to_resolution',
  'wd_to_first_response',
  'stages_count',
  'stages_breached',
  'extensions',
  'used_stage0',
  'resolved_at_stage0',
  'reopened',
  'systemic',
  'learning_themes',
];

/**
 * The analytics read path (docs/api/analytics.md): the role hips_analytics may SELECT the read
 * model only (not its escalation_id column), the partnership reference rows and the agency names; it has no
 * privilege on any case table, so there is no path from an analyst's query to case rows. Its rows are limited to
 * the partnerships the request was allowed (`app.analytics_partnerships`, transaction-local) by row-level
 * security, as well as by the service. The application role (hips_app) keeps the read model up to date, one
 * partnership at a time under the usual tenant policy.
 */
export class AnalyticsSecurity1795653299100 implements MigrationInterface {
  name = 'AnalyticsSecurity1795653299100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      do $$ begin
        if not exists (select 1 from pg_roles where rolname = 'hips_analytics') then
          create role hips_analytics login nosuperuser nobypassrls nocreatedb nocreaterole;
        end if;
      end $$`);
    await q.query(`grant usage on schema public to hips_analytics`);
    // The partnerships an analytics request may read, as a uuid[]; unset means none.
    await q.query(`
      create function app_analytics_partnerships() returns uuid[] language sql stable as $$
        select coalesce(nullif(current_setting('app.analytics_partnerships', true), '')::uuid[], '{}'::uuid[])
      $$`);

    for (const table of ['analytics_case_facts', 'analytics_watermarks']) {
      await q.query(`alter table ${table} enable row level security`);
      await q.query(`alter table ${table} force row level security`);
      await q.query(`create policy tenant_isolation on ${table} to hips_app
        using (partnership_id = (select app_current_partnership()))
        with check (partnership_id = (select app_current_partnership()))`);
    }
    await q.query(`create policy analytics_read on analytics_case_facts for select to hips_analytics
      using (partnership_id = any ((select app_analytics_partnerships())::uuid[]))`);

    await q.query(`grant select, insert, update, delete on analytics_case_facts to hips_app`);
    await q.query(`grant select, insert, update on analytics_watermarks, analytics_agencies to hips_app`);
    await q.query(`grant select (${FACT_COLUMNS.join(', ')}) on analytics_case_facts to hips_analytics`);
    await q.query(`grant select on analytics_agencies to hips_analytics`);
    await q.query(`grant select (id, code, name) on partnerships to hips_analytics`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`revoke all on analytics_case_facts, analytics_agencies, partnerships from hips_analytics`);
    await q.query(
      `revoke all on analytics_case_facts, analytics_watermarks, analytics_agencies from hips_app`,
    );
    await q.query(`drop policy analytics_read on analytics_case_facts`);
    for (const table of ['analytics_case_facts', 'analytics_watermarks']) {
      await q.query(`drop policy tenant_isolation on ${table}`);
      await q.query(`alter table ${table} no force row level security`);
      await q.query(`alter table ${table} disable row level security`);
    }
    await q.query(`drop function app_analytics_partnerships()`);
    await q.query(`revoke usage on schema public from hips_analytics`);
  }
}
