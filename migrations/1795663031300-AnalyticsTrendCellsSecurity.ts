import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The pre-aggregated trend cells (libs/analytics/src/trend-cells.ts) under the same rules as the per-case facts
 * (1795653299100-AnalyticsSecurity): the application role keeps them up to date one partnership at a time under
 * the tenant policy; the analytics role may only read them, for the partnerships of its transaction. The cells
 * hold codes, agency ids, months, counts and histograms: no case id, no identifier, no free text.
 */
export class AnalyticsTrendCellsSecurity1795663031300 implements MigrationInterface {
  name = 'AnalyticsTrendCellsSecurity1795663031300';

  async up(q: QueryRunner): Promise<void> {
    // Element-wise sum of two integer arrays (the shorter padded with zeros); with trim_zeros, trailing zeros
    // are dropped, so a histogram has one canonical form however it was reached.
    await q.query(`
      create function analytics_int_array_add(a integer[], b integer[], trim_zeros boolean) returns integer[]
      language sql immutable as $$
        with s as (
          select i, coalesce(a[i], 0) + coalesce(b[i], 0) as v
            from generate_series(1, greatest(coalesce(cardinality(a), 0), coalesce(cardinality(b), 0))) as i)
        select coalesce(
                 array_agg(v order by i) filter (where not trim_zeros or i <= (select max(i) from s where v <> 0)),
                 '{}'::integer[])
          from s
      $$`);
    await q.query(`alter table analytics_trend_cells enable row level security`);
    await q.query(`alter table analytics_trend_cells force row level security`);
    await q.query(`create policy tenant_isolation on analytics_trend_cells to hips_app
      using (partnership_id = (select app_current_partnership()))
      with check (partnership_id = (select app_current_partnership()))`);
    await q.query(`create policy analytics_read on analytics_trend_cells for select to hips_analytics
      using (partnership_id = any ((select app_analytics_partnerships())::uuid[]))`);
    await q.query(`grant select, insert, update, delete on analytics_trend_cells to hips_app`);
    await q.query(`grant select on analytics_trend_cells to hips_analytics`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`revoke all on analytics_trend_cells from hips_app, hips_analytics`);
    await q.query(`drop policy analytics_read on analytics_trend_cells`);
    await q.query(`drop policy tenant_isolation on analytics_trend_cells`);
    await q.query(`alter table analytics_trend_cells no force row level security`);
    await q.query(`alter table analytics_trend_cells disable row level security`);
    await q.query(`drop function analytics_int_array_add(integer[], integer[], boolean)`);
  }
}
