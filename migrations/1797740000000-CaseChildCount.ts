import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The number of children a case concerns, stored on the case when it is raised (docs/api/analytics.md): the
 * retention purge deletes `escalation_children`, so the analytics count of children reads this column, never the
 * rows. Existing cases are backfilled from their child rows (a purged case keeps the default, one). The read model
 * gains the same count per case (`children`), readable by the analytics role like the other fact columns; its
 * trend cells gain a measure, so every partnership's watermark is cleared and the next refresh rebuilds it.
 */
export class CaseChildCount1797740000000 implements MigrationInterface {
  name = 'CaseChildCount1797740000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE "escalations" ADD "child_count" smallint NOT NULL DEFAULT \'1\'');
    await q.query(`update escalations e set child_count = c.n
      from (select escalation_id, count(*)::smallint as n from escalation_children group by escalation_id) c
     where c.escalation_id = e.id and c.n > 1`);
    await q.query('ALTER TABLE "analytics_case_facts" ADD "children" integer NOT NULL DEFAULT \'1\'');
    await q.query(`update analytics_case_facts f set children = e.child_count
      from escalations e where e.id = f.escalation_id and e.child_count <> 1`);
    await q.query('grant select (children) on analytics_case_facts to hips_analytics');
    await q.query('update analytics_watermarks set last_event_at = null');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('update analytics_watermarks set last_event_at = null');
    await q.query('revoke select (children) on analytics_case_facts from hips_analytics');
    await q.query('ALTER TABLE "analytics_case_facts" DROP COLUMN "children"');
    await q.query('ALTER TABLE "escalations" DROP COLUMN "child_count"');
  }
}
