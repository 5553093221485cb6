import { DataSource } from 'typeorm';
import { loadConfig } from '@hips/config';
import { refreshPartnership } from '@hips/analytics';
import { generateSyntheticCases } from '../../scripts/synthetic-data';
import { cellsSnapshot, factsSnapshot, refresh, useAnalyticsFixture, withTenantDb } from './support';

/** The separate analytics read path, the CSV/JSON export, and incremental refresh == rebuild. */
describe('analytics read model', () => {
  const h = useAnalyticsFixture();

  describe('the analytics read path', () => {
    let analytics: DataSource;
    beforeAll(async () => {
      analytics = await new DataSource({
        type: 'postgres',
        url: loadConfig().databaseAnalyticsUrl,
      }).initialize();
    });
    afterAll(async () => {
      await analytics.destroy();
    });

    it('the analytics role cannot read case tables, case ids or the directory', async () => {
      for (const sql of [
        'select count(*) from escalations',
        'select count(*) from escalation_events',
        'select count(*) from escalation_children',
        'select count(*) from escalation_notes',
        'select count(*) from people',
        'select escalation_id from analytics_case_facts',
        'select * from analytics_case_facts',
        `select * from auth_person_by_email('analyst@demo.hips.test')`,
        `insert into analytics_trend_cells (partnership_id, grouping, month, basis, k1, k2, counts, hist)
           select id, 0, '2019-01-01', 'R', '', '', '{1}', '{}' from partnerships limit 1`,
        'delete from analytics_trend_cells',
      ]) {
        await expect(analytics.query(sql)).rejects.toThrow(/permission denied/);
      }
    });

    it('reads aggregates only for the partnerships of the transaction', async () => {
      // The fixture's 2019 cases only: other specs raise cases of their own in the same partnerships.
      const count = `select count(partnership_id)::int as n from analytics_case_facts
                      where raised_on < '2020-01-01'`;
      expect((await analytics.query(count))[0].n).toBe(0);
      const n = await analytics.transaction(async (em) => {
        const [p] = await em.query(`select id from partnerships where code = 'ISLE_OF_WIGHT'`);
        await em.query(`select set_config('app.analytics_partnerships', $1, true)`, [`{${p.id}}`]);
        return (await em.query(count))[0].n;
      });
      expect(n).toBe(32);
      // The pre-aggregated cells likewise: none without partnerships, the 32 cases of the Isle of Wight with them.
      const cells = `select coalesce(sum(counts[1]), 0)::int as n from analytics_trend_cells
                      where grouping = 0 and basis = 'R' and month < '2020-01-01'`;
      expect((await analytics.query(cells))[0].n).toBe(0);
      const raised = await analytics.transaction(async (em) => {
        const [p] = await em.query(`select id from partnerships where code = 'ISLE_OF_WIGHT'`);
        await em.query(`select set_config('app.analytics_partnerships', $1, true)`, [`{${p.id}}`]);
        return (await em.query(cells))[0].n;
      });
      expect(raised).toBe(32);
    });
  });

  describe('export', () => {
    const qs = 'from=2019-03-01&to=2019-03-31&interval=MONTH&groupBy=CATEGORY';

    it('GET /analytics/trends.csv answers the same, suppressed as c', async () => {
      const res = await h.app.http
        .get(`/analytics/trends.csv?${qs}`)
        .set('authorization', `Bearer ${h.analystIow}`);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/text\/csv/);
      const lines = res.text.trim().split('\r\n');
      expect(lines[0].split(',').slice(0, 5)).toEqual([
        'periodStart',
        'CATEGORY',
        'raised',
        'resolved',
        'breachedStages',
      ]);
      expect(lines).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^2019-03-01,OTHER,c,/),
          expect.stringMatching(/^2019-03-01,THRESHOLD_REFERRAL_NOT_ACCEPTED,20,/),
        ]),
      );
    });

    it('GET /analytics/trends.json, and the role rules', async () => {
      const res = await h.app.http
        .get(`/analytics/trends.json?${qs}`)
        .set('authorization', `Bearer ${h.analystIow}`);
      expect(res.status).toBe(200);
      expect(res.body.suppressionThreshold).toBe(5);
      expect(res.body.rows.find((r: any) => r.CATEGORY === 'OTHER').raised).toBe('c');
      expect((await h.app.http.get(`/analytics/trends.json?${qs}`)).status).toBe(401);
      const practitioner = await h.app.login('practitioner.police.portsmouth@demo.hips.test', 'PORTSMOUTH');
      expect(
        (await h.app.http.get(`/analytics/trends.csv?${qs}`).set('authorization', `Bearer ${practitioner}`))
          .status,
      ).toBe(403);
      expect(
        (
          await h.app.http
            .get(`/analytics/trends.csv?${qs}&partnerships=ISLE_OF_WIGHT,PORTSMOUTH`)
            .set('authorization', `Bearer ${h.analystIow}`)
        ).status,
      ).toBe(403);
      expect(
        (
          await h.app.http
            .get('/analytics/trends.csv?from=2019-03-01')
            .set('authorization', `Bearer ${h.analystIow}`)
        ).status,
      ).toBe(400);
    });
  });

  describe('keeping the read model up to date', () => {
    it('an incremental refresh equals a rebuild, and running it again changes nothing', async () => {
      // New cases, and a change to an existing case with its event, after the last refresh. They are raised within
      // the last minute, as real events are stamped when they happen: back-dated inserts (seeding) need a rebuild,
      // and a worker of another spec may already have moved the watermark to now.
      await generateSyntheticCases(h.app.owner, {
        count: 60,
        seed: 99,
        partnerships: ['SOUTHAMPTON'],
        start: new Date(Date.now() - 60_000),
        end: new Date(),
      });
      const [open] = await h.app.owner.query(
        `select e.id, e.partnership_id, e.current_stage from escalations e join partnerships p on p.id = e.partnership_id
          where p.code = 'PORTSMOUTH' and e.status = 'OPEN' and e.raised_at < '2020-01-01' limit 1`,
      );
      if (open) {
        await h.app.owner.query(
          `update escalations set status = 'WITHDRAWN', closed_at = now(), outcome_code = 'WITHDRAWN' where id = $1`,
          [open.id],
        );
        await h.app.owner.query(
          `insert into escalation_events (partnership_id, escalation_id, kind, stage) values ($1, $2, 'WITHDRAWN', $3)`,
          [open.partnership_id, open.id, open.current_stage],
        );
      }
      const results = await refresh();
      expect(results.reduce((t, r) => t + r.casesRefreshed, 0)).toBeGreaterThanOrEqual(60);
      const incremental = await factsSnapshot(h.app.owner);
      const incrementalCells = await cellsSnapshot(h.app.owner);
      await refresh();
      expect(await factsSnapshot(h.app.owner)).toEqual(incremental);
      expect(await cellsSnapshot(h.app.owner)).toEqual(incrementalCells);
      await refresh({ full: true });
      expect(await factsSnapshot(h.app.owner)).toEqual(incremental);
      // The rebuild recomputes the cells from the facts from scratch; incremental upkeep got there by difference.
      expect(await cellsSnapshot(h.app.owner)).toEqual(incrementalCells);
      expect(incrementalCells.length).toBeGreaterThan(1000);
      expect(incremental.length).toBe(
        (await h.app.owner.query('select count(*)::int as n from escalations'))[0].n,
      );
    });

    it('a partnership refresh touches only cases with events since its watermark', async () => {
      const [p] = await h.app.owner.query(`select id from partnerships where code = 'ISLE_OF_WIGHT'`);
      // The partnership's latest event is made one of the fixture's own and refreshed before the refresh under
      // test (microsecond event times against the watermark: test/analytics/children.e2e-spec.ts).
      await h.app.owner.query(
        `insert into escalation_events (partnership_id, escalation_id, kind, stage, at)
         select e.partnership_id, e.id, 'NOTE_ADDED', e.current_stage, date_trunc('milliseconds', now())
           from escalations e where e.partnership_id = $1 and e.raised_at < '2020-01-01' limit 1`,
        [p.id],
      );
      await refresh();
      const result = await withTenantDb((db) => refreshPartnership(db, p.id, { overlapMs: 0 }));
      expect(result.casesRefreshed).toBe(0);
    });
  });
});
