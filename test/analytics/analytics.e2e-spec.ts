import { DataSource } from 'typeorm';
import { loadConfig } from '@hips/config';
import { generateSyntheticCases } from '../../scripts/synthetic-data';
import { startTestApp, TestApp } from '../support/app';
import { cellsSnapshot, factsSnapshot, refresh, TRENDS, withTenantDb } from './support';
import { refreshPartnership } from '@hips/analytics';

/**
 * escalationTrends end to end: role boundaries, disclosure control visible in answers, no identifiers
 * or free text, the separate analytics read path, the CSV/JSON export, and incremental refresh == rebuild.
 * Cases are synthetic (scripts/synthetic-data.ts), raised in 2019 so that no other spec's cases mix in.
 */
describe('analytics', () => {
  let app: TestApp;
  let analystPortsmouth: string;
  let analystIow: string;
  let hipsAnalyst: string;

  const trends = (token: string, input: Record<string, unknown>) => app.gql(TRENDS, { input }, { token });

  beforeAll(async () => {
    app = await startTestApp();
    const year = (from: string, to: string) => ({ start: new Date(from), end: new Date(to) });
    // Portsmouth: a few hundred cases over 2019, every mix.
    await generateSyntheticCases(app.owner, {
      count: 400,
      seed: 7,
      partnerships: ['PORTSMOUTH'],
      // Several batches on both connections (the default is 10,000 a batch).
      batchSize: 150,
      ...year('2019-01-02T09:00:00Z', '2019-12-20T16:00:00Z'),
    });
    // Isle of Wight, March 2019: 3 cases of OTHER (small), 20 threshold disputes, 9 drift-and-delay.
    const iow = (count: number, category: string, seed: number) =>
      generateSyntheticCases(app.owner, {
        count,
        seed,
        partnerships: ['ISLE_OF_WIGHT'],
        fixed: { category, status: 'RESOLVED', urgency: 'STANDARD' },
        ...year('2019-03-04T09:00:00Z', '2019-03-08T12:00:00Z'),
      });
    await iow(3, 'OTHER', 11);
    await iow(20, 'THRESHOLD_REFERRAL_NOT_ACCEPTED', 12);
    await iow(9, 'DRIFT_DELAY', 13);
    // Back-dated inserts need a rebuild: a worker of another spec may already have moved the watermark to now.
    await refresh({ full: true });
    analystPortsmouth = await app.login('analyst.portsmouth@demo.hips.test');
    analystIow = await app.login('analyst.isle-of-wight@demo.hips.test');
    hipsAnalyst = await app.login('analyst@demo.hips.test');
  }, 120_000);

  afterAll(async () => {
    // Other specs page through their partnership's cases: take the synthetic ones (no child rows) away again.
    await app.owner.query(
      `delete from escalations where reference like '%-S________%' and raised_at < '2020-01-01'`,
    );
    await refresh({ full: true });
    await app.close();
  });

  describe('synthetic data (scripts/synthetic-data.ts)', () => {
    // Every rule below is one the application keeps for the cases it writes; each query counts the breaches.
    const SYNTHETIC = `raised_at < '2020-01-01'`;
    const violations: [string, string][] = [
      [
        'stages are exactly first..current_stage (0 only as the first), of the case partnership',
        `select e.id from escalations e left join escalation_stages s on s.escalation_id = e.id where ${SYNTHETIC}
          group by e.id having count(s.id) <> e.current_stage - min(s.number) + 1 or max(s.number) <> e.current_stage
            or min(s.number) not in (0, 1) or bool_or(s.partnership_id <> e.partnership_id)
            or count(distinct s.number) <> count(s.id)`,
      ],
      [
        'each stage opens when the one before closes, with an ESCALATED event then',
        `select s.id from escalation_stages s join escalation_stages n on n.escalation_id = s.escalation_id
            and n.number = s.number + 1
          join escalations e on e.id = s.escalation_id and ${SYNTHETIC}
          where s.closed_at is distinct from n.opened_at or not exists (select 1 from escalation_events v
            where v.escalation_id = s.escalation_id and v.kind = 'ESCALATED' and v.stage = n.number
              and v.at = n.opened_at)`,
      ],
      [
        'stage names, roles, working days and breaching come from the case ladder',
        `select s.id from escalation_stages s join escalations e on e.id = s.escalation_id and ${SYNTHETIC}
          cross join lateral jsonb_array_elements(e.ladder) l where (l ->> 'number')::int = s.number
            and (l ->> 'name' <> s.name or l ->> 'roleType' <> s.role_type or (l ->> 'breaches')::boolean <> s.breaches
              or s.working_days <> (l ->> case e.urgency when 'URGENT' then 'urgentWorkingDays'
                else 'standardWorkingDays' end)::int)`,
      ],
      [
        'stage status, times and their events agree',
        `select s.id from escalation_stages s join escalations e on e.id = s.escalation_id and ${SYNTHETIC}
          where s.status <> case when s.closed_at is not null then 'CLOSED' when s.responded_at is not null
              then 'RESPONDED' else 'AWAITING_RESPONSE' end
            or s.opened_at < e.raised_at or s.due_at <= s.opened_at or s.responded_at < s.opened_at
            or s.closed_at < s.responded_at or (s.breached_at is not null and not s.breaches)
            or (s.extended and (not s.breaches or s.extension_working_days is null))
            or (select count(*) from escalation_events v where v.escalation_id = s.escalation_id
                  and v.stage = s.number and v.kind = 'RESPONDED') <> (s.responded_at is not null)::int
            or (select count(*) from escalation_events v where v.escalation_id = s.escalation_id
                  and v.stage = s.number and v.kind = 'STAGE_BREACHED') <> (s.breached_at is not null)::int
            or (select count(*) from escalation_events v where v.escalation_id = s.escalation_id
                  and v.stage = s.number and v.kind = 'EXTENDED') <> s.extended::int`,
      ],
      [
        'one RAISED event at the raising; events of the case partnership, none before it',
        `select e.id from escalations e join escalation_events v on v.escalation_id = e.id where ${SYNTHETIC}
          group by e.id having count(*) filter (where v.kind = 'RAISED' and v.at = e.raised_at) <> 1
            or bool_or(v.partnership_id <> e.partnership_id) or min(v.at) < e.raised_at`,
      ],
      [
        'a closed case has its outcome and closing event when its last stage closed; an open one neither',
        `select e.id from escalations e join escalation_stages l on l.escalation_id = e.id
            and l.number = e.current_stage where ${SYNTHETIC} and (
            e.closed_at is distinct from l.closed_at or (e.status = 'OPEN') <> (e.closed_at is null)
            or (e.status = 'OPEN') <> (e.outcome_code is null) or e.outcome_recorded_at is distinct from e.closed_at
            or (e.status <> 'OPEN' and not exists (select 1 from escalation_events v where v.escalation_id = e.id
              and v.at = e.closed_at and v.detail = e.outcome_code and v.kind = case e.status
                when 'CLOSED_BY_PARTNERSHIP' then 'PARTNERSHIP_DECISION' else e.status end))
            or (e.reopen_count > 0) <> exists (select 1 from escalation_events v where v.escalation_id = e.id
              and v.kind = 'REOPENED'))`,
      ],
      [
        'nothing happens after the end of the window (Portsmouth: drawn statuses)',
        `select e.id from escalations e join partnerships p on p.id = e.partnership_id and p.code = 'PORTSMOUTH'
          where ${SYNTHETIC} and (e.closed_at > '2019-12-20T16:00:00Z'
            or exists (select 1 from escalation_events v where v.escalation_id = e.id
              and v.at > '2019-12-20T16:00:00Z')
            or exists (select 1 from escalation_stages s where s.escalation_id = e.id
              and greatest(s.opened_at, s.responded_at, s.closed_at, s.breached_at) > '2019-12-20T16:00:00Z'))`,
      ],
      [
        'raising and responding agencies differ and are members of the case partnership',
        `select e.id from escalations e where ${SYNTHETIC} and (e.raising_agency_id = e.responding_agency_id
          or (select count(*) from agency_memberships m where m.partnership_id = e.partnership_id
                and m.agency_id in (e.raising_agency_id, e.responding_agency_id)) <> 2)`,
      ],
    ];

    it.each(violations)('%s', async (_rule, sql) => {
      expect(await app.owner.query(`${sql} limit 5`)).toEqual([]);
    });

    it('writes the asked number of cases per partnership, with the fixed values and the usual mix', async () => {
      const rows: { code: string; n: number; fixed: number; stages: number; events: number }[] =
        await app.owner.query(
          `select p.code, count(*)::int as n,
                  count(*) filter (where e.status = 'RESOLVED' and e.urgency = 'STANDARD')::int as fixed,
                  (select count(*) from escalation_stages s join escalations x on x.id = s.escalation_id
                    where x.partnership_id = p.id and x.${SYNTHETIC})::int as stages,
                  (select count(*) from escalation_events v join escalations x on x.id = v.escalation_id
                    where x.partnership_id = p.id and x.${SYNTHETIC})::int as events
             from escalations e join partnerships p on p.id = e.partnership_id
            where e.${SYNTHETIC} group by p.id, p.code order by p.code`,
        );
      expect(rows.map((r) => [r.code, r.n])).toEqual([
        ['ISLE_OF_WIGHT', 32],
        ['PORTSMOUTH', 400],
      ]);
      expect(rows[0].fixed).toBe(32);
      // Not every Portsmouth case is a standard one resolved: the mix is drawn, not fixed.
      expect(rows[1].fixed).toBeLessThan(400);
      for (const r of rows) {
        expect(r.stages).toBeGreaterThanOrEqual(r.n);
        expect(r.events).toBeGreaterThanOrEqual(2 * r.n);
      }
    });
  });

  describe('who sees what', () => {
    const input = { from: '2019-01-01', to: '2019-12-31', interval: 'QUARTER' };

    it('an ANALYST sees its own partnership', async () => {
      const res = await trends(analystPortsmouth, input);
      expect(res.errors).toBeUndefined();
      const raised = res.data.escalationTrends.buckets.map((b: any) => b.raised.value);
      expect(raised).toHaveLength(4);
      expect(raised.reduce((t: number, v: number) => t + v, 0)).toBe(400);
      const own = await trends(analystPortsmouth, { ...input, partnerships: ['PORTSMOUTH'] });
      expect(own.data.escalationTrends).toEqual(res.data.escalationTrends);
    });

    it('an ANALYST asking for another or for two partnerships is FORBIDDEN', async () => {
      for (const partnerships of [['HAMPSHIRE'], ['PORTSMOUTH', 'SOUTHAMPTON']]) {
        const res = await trends(analystPortsmouth, { ...input, partnerships });
        expect(res.errors?.[0].extensions?.code).toBe('FORBIDDEN');
        expect(res.data).toBeNull();
      }
    });

    it('practitioners, managers and admins are FORBIDDEN', async () => {
      for (const who of [
        'practitioner.police.portsmouth@demo.hips.test',
        'partnership-manager.portsmouth@demo.hips.test',
        'admin.portsmouth@demo.hips.test',
      ]) {
        const res = await trends(await app.login(who, 'PORTSMOUTH'), input);
        expect(res.errors?.[0].extensions?.code).toBe('FORBIDDEN');
      }
    });

    it('a HIPS_ANALYST sees any or all partnerships, with PARTNERSHIP as a dimension', async () => {
      const res = await trends(hipsAnalyst, {
        ...input,
        interval: 'YEAR',
        partnerships: ['HAMPSHIRE', 'ISLE_OF_WIGHT', 'PORTSMOUTH', 'SOUTHAMPTON'],
        groupBy: ['PARTNERSHIP'],
      });
      expect(res.errors).toBeUndefined();
      const by = Object.fromEntries(
        res.data.escalationTrends.buckets.map((b: any) => [b.dimensions[0].value, b.raised.display]),
      );
      expect(by).toEqual({ ISLE_OF_WIGHT: '32', PORTSMOUTH: '400' });
      const all = await trends(hipsAnalyst, {
        ...input,
        interval: 'YEAR',
        partnerships: ['ISLE_OF_WIGHT', 'PORTSMOUTH'],
      });
      expect(all.data.escalationTrends.buckets.map((b: any) => b.raised.value)).toEqual([432]);
    });
  });

  describe('disclosure control', () => {
    const march = { from: '2019-03-01', to: '2019-03-31', interval: 'MONTH', groupBy: ['CATEGORY'] };

    it('counts from 1 to 5 are null with display c, with secondary suppression', async () => {
      const res = await trends(analystIow, march);
      const { suppressionThreshold, buckets } = res.data.escalationTrends;
      expect(suppressionThreshold).toBe(5);
      const raised = Object.fromEntries(buckets.map((b: any) => [b.dimensions[0].value, b.raised]));
      expect(raised.OTHER).toEqual({ value: null, suppressed: true, display: 'c' });
      // The month's total (a coarser query) would give OTHER away unless a second cell is hidden too.
      expect(raised.DRIFT_DELAY).toEqual({ value: null, suppressed: true, display: 'c' });
      expect(raised.THRESHOLD_REFERRAL_NOT_ACCEPTED).toEqual({ value: 20, suppressed: false, display: '20' });
      const total = await trends(analystIow, { ...march, groupBy: [] });
      expect(total.data.escalationTrends.buckets[0].raised.value).toBe(32);
      // Medians need 6 cases and an unsuppressed count.
      const other = buckets.find((b: any) => b.dimensions[0].value === 'OTHER');
      expect(other.medianWorkingDaysToResolution).toBeNull();
    });

    it('no suppressed cell can be worked out from the answer and the coarser answer', async () => {
      const fine = (await trends(hipsAnalyst, { ...march, partnerships: ['ISLE_OF_WIGHT'] })).data
        .escalationTrends.buckets;
      const total = (await trends(hipsAnalyst, { ...march, groupBy: [], partnerships: ['ISLE_OF_WIGHT'] }))
        .data.escalationTrends.buckets[0];
      for (const measure of ['raised', 'resolved', 'breachedStages', 'stage0Used']) {
        const hidden = fine.filter((b: any) => b[measure].suppressed);
        expect(hidden.length === 0 || hidden.length >= 2 || total[measure].suppressed).toBe(true);
      }
    });

    it('answers carry no identifiers and no free text', async () => {
      const res = await app.http
        .post('/graphql')
        .set('authorization', `Bearer ${hipsAnalyst}`)
        .send({
          query: TRENDS,
          variables: {
            input: {
              from: '2019-01-01',
              to: '2019-12-31',
              interval: 'YEAR',
              partnerships: ['PORTSMOUTH', 'ISLE_OF_WIGHT'],
              groupBy: ['RAISING_AGENCY', 'OUTCOME'],
            },
          },
        });
      const text = JSON.stringify(res.body);
      expect(res.body.errors).toBeUndefined();
      const cases: { id: string; reference: string }[] = await app.owner.query(
        `select id, reference from escalations where raised_at < '2020-01-01'`,
      );
      expect(cases.length).toBe(432);
      for (const c of cases) {
        expect(text).not.toContain(c.id);
        expect(text).not.toContain(c.reference);
      }
      expect(text).not.toMatch(/Synthetic case|Synthetic outcome/);
    });
  });

  it('answers by up to four dimensions are served and protected; five are refused', async () => {
    for (const groupBy of [
      ['RAISING_AGENCY', 'CATEGORY'],
      ['RAISING_AGENCY', 'RESPONDING_AGENCY', 'CATEGORY'],
      ['PARTNERSHIP', 'URGENCY', 'LEVEL_OF_NEED', 'OUTCOME'],
    ]) {
      const res = await trends(hipsAnalyst, {
        from: '2019-01-01',
        to: '2019-12-31',
        interval: 'QUARTER',
        partnerships: ['PORTSMOUTH', 'ISLE_OF_WIGHT'],
        groupBy,
      });
      expect(res.errors).toBeUndefined();
      const buckets = res.data.escalationTrends.buckets;
      expect(buckets.length).toBeGreaterThan(10);
      for (const b of buckets) {
        expect(b.dimensions.map((d: any) => d.dimension)).toEqual(groupBy);
        for (const c of [b.raised, b.resolved, b.breachedStages]) {
          if (c.suppressed) expect(c.value).toBeNull();
          else expect(c.value >= 1 && c.value <= 5).toBe(false);
        }
      }
      const raised = buckets.map((b: any) => b.raised);
      // Every quarter has small cells at this grain, and no suppressed cell is alone in its quarter.
      expect(raised.some((c: any) => c.suppressed)).toBe(true);
    }
    const five = await trends(hipsAnalyst, {
      from: '2019-01-01',
      to: '2019-12-31',
      interval: 'YEAR',
      groupBy: ['RAISING_AGENCY', 'RESPONDING_AGENCY', 'CATEGORY', 'URGENCY', 'OUTCOME'],
    });
    expect(five.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(five.errors?.[0].message).toMatch(/at most 4 dimensions/);
  });

  it.each(['QUARTER', 'YEAR'])(
    'answers from the pre-aggregated cells equal the same aggregates over the per-case facts (%s)',
    async (interval) => {
      const res = await trends(analystPortsmouth, {
        from: '2019-01-01',
        to: '2019-12-31',
        interval,
        groupBy: ['RESPONDING_AGENCY_TYPE'],
      });
      const facts: {
        period: string;
        type: string;
        raised: number;
        resolved: number;
        med: number | null;
        stage0Used: number;
        reopened: number;
        resolvedAtStage0: number;
        systemicFlags: number;
        byStage: number[];
      }[] = await app.owner.query(
        `with f as (select f.* from analytics_case_facts f join partnerships p on p.id = f.partnership_id
                     where p.code = 'PORTSMOUTH')
         select coalesce(r.period, c.period) as period, coalesce(r.type, c.type) as type,
                coalesce(r.n, 0)::int as raised, coalesce(c.n, 0)::int as resolved, c.med,
                coalesce(r.s0, 0)::int as "stage0Used", coalesce(r.reopened, 0)::int as reopened,
                coalesce(c.s0, 0)::int as "resolvedAtStage0", coalesce(c.systemic, 0)::int as "systemicFlags",
                coalesce(c.by_stage, '{0,0,0,0,0}') as "byStage"
           from (select date_trunc('${interval.toLowerCase()}', raised_on)::date::text as period, responding_agency_type as type,
                        count(*) as n, count(*) filter (where used_stage0) as s0, count(*) filter (where reopened) as reopened
                   from f where raised_on between '2019-01-01' and '2019-12-31' group by 1, 2) r
           full join (select date_trunc('${interval.toLowerCase()}', closed_on)::date::text as period, responding_agency_type as type,
                        count(*) as n, percentile_cont(0.5) within group (order by wd_to_resolution) as med,
                        count(*) filter (where resolved_at_stage0) as s0, count(*) filter (where systemic) as systemic,
                        array[${[0, 1, 2, 3, 4].map((n) => `count(*) filter (where closing_stage = ${n})`).join(', ')}]::int[] as by_stage
                        from f where resolved and closed_on between '2019-01-01' and '2019-12-31' group by 1, 2) c
             on c.period = r.period and c.type = r.type`,
      );
      const buckets = res.data.escalationTrends.buckets;
      expect(buckets.length).toBe(facts.length);
      let compared = 0;
      let shown = 0;
      // A suppressed count shows no value; any other shows the facts' count.
      const expectCount = (
        what: unknown,
        count: { value: number | null; suppressed: boolean },
        n: number,
      ) => {
        expect([what, count.value]).toEqual([what, count.suppressed ? null : n]);
        if (!count.suppressed) shown++;
      };
      for (const f of facts) {
        const b = buckets.find((x: any) => x.periodStart === f.period && x.dimensions[0].value === f.type);
        expect(b).toBeDefined();
        expectCount('raised', b.raised, f.raised);
        expectCount('resolved', b.resolved, f.resolved);
        for (const measure of ['stage0Used', 'reopened', 'resolvedAtStage0', 'systemicFlags'] as const) {
          expectCount(measure, b[measure], f[measure]);
        }
        for (const { stage, count } of b.resolvedAtStage) expectCount(stage, count, f.byStage[stage]);
        if (b.medianWorkingDaysToResolution !== null) {
          expect(b.medianWorkingDaysToResolution).toBeCloseTo(Number(f.med), 2);
          compared++;
        }
      }
      expect(compared).toBeGreaterThan(2);
      expect(shown).toBeGreaterThan(facts.length);
    },
  );

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
      const count = 'select count(partnership_id)::int as n from analytics_case_facts';
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
      const res = await app.http
        .get(`/analytics/trends.csv?${qs}`)
        .set('authorization', `Bearer ${analystIow}`);
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
      const res = await app.http
        .get(`/analytics/trends.json?${qs}`)
        .set('authorization', `Bearer ${analystIow}`);
      expect(res.status).toBe(200);
      expect(res.body.suppressionThreshold).toBe(5);
      expect(res.body.rows.find((r: any) => r.CATEGORY === 'OTHER').raised).toBe('c');
      expect((await app.http.get(`/analytics/trends.json?${qs}`)).status).toBe(401);
      const practitioner = await app.login('practitioner.police.portsmouth@demo.hips.test', 'PORTSMOUTH');
      expect(
        (await app.http.get(`/analytics/trends.csv?${qs}`).set('authorization', `Bearer ${practitioner}`))
          .status,
      ).toBe(403);
      expect(
        (
          await app.http
            .get(`/analytics/trends.csv?${qs}&partnerships=ISLE_OF_WIGHT,PORTSMOUTH`)
            .set('authorization', `Bearer ${analystIow}`)
        ).status,
      ).toBe(403);
      expect(
        (
          await app.http
            .get('/analytics/trends.csv?from=2019-03-01')
            .set('authorization', `Bearer ${analystIow}`)
        ).status,
      ).toBe(400);
    });
  });

  describe('keeping the read model up to date', () => {
    it('an incremental refresh equals a rebuild, and running it again changes nothing', async () => {
      // New cases, and a change to an existing case with its event, after the last refresh. They are raised within
      // the last minute, as real events are stamped when they happen: back-dated inserts (seeding) need a rebuild,
      // and a worker of another spec may already have moved the watermark to now.
      await generateSyntheticCases(app.owner, {
        count: 60,
        seed: 99,
        partnerships: ['SOUTHAMPTON'],
        start: new Date(Date.now() - 60_000),
        end: new Date(),
      });
      const [open] = await app.owner.query(
        `select e.id, e.partnership_id, e.current_stage from escalations e join partnerships p on p.id = e.partnership_id
          where p.code = 'PORTSMOUTH' and e.status = 'OPEN' and e.raised_at < '2020-01-01' limit 1`,
      );
      if (open) {
        await app.owner.query(
          `update escalations set status = 'WITHDRAWN', closed_at = now(), outcome_code = 'WITHDRAWN' where id = $1`,
          [open.id],
        );
        await app.owner.query(
          `insert into escalation_events (partnership_id, escalation_id, kind, stage) values ($1, $2, 'WITHDRAWN', $3)`,
          [open.partnership_id, open.id, open.current_stage],
        );
      }
      const results = await refresh();
      expect(results.reduce((t, r) => t + r.casesRefreshed, 0)).toBeGreaterThanOrEqual(60);
      const incremental = await factsSnapshot(app.owner);
      const incrementalCells = await cellsSnapshot(app.owner);
      await refresh();
      expect(await factsSnapshot(app.owner)).toEqual(incremental);
      expect(await cellsSnapshot(app.owner)).toEqual(incrementalCells);
      await refresh({ full: true });
      expect(await factsSnapshot(app.owner)).toEqual(incremental);
      // The rebuild recomputes the cells from the facts from scratch; incremental upkeep got there by difference.
      expect(await cellsSnapshot(app.owner)).toEqual(incrementalCells);
      expect(incrementalCells.length).toBeGreaterThan(1000);
      expect(incremental.length).toBe(
        (await app.owner.query('select count(*)::int as n from escalations'))[0].n,
      );
    });

    it('a partnership refresh touches only cases with events since its watermark', async () => {
      const result = await withTenantDb(async (db) => {
        const [p] = await app.owner.query(`select id from partnerships where code = 'ISLE_OF_WIGHT'`);
        return refreshPartnership(db, p.id, { overlapMs: 0 });
      });
      expect(result.casesRefreshed).toBe(0);
    });
  });
});
