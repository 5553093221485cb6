import { useAnalyticsFixture, TRENDS } from './support';

/**
 * escalationTrends end to end: role boundaries, disclosure control visible in answers, no identifiers or free
 * text, and answers from the pre-aggregated cells equal to the per-case facts (fixture: ./support.ts).
 */
describe('analytics', () => {
  const h = useAnalyticsFixture();

  describe('who sees what', () => {
    const input = { from: '2019-01-01', to: '2019-12-31', interval: 'QUARTER' };

    it('an ANALYST sees its own partnership', async () => {
      const res = await h.trends(h.analystPortsmouth, input);
      expect(res.errors).toBeUndefined();
      const raised = res.data.escalationTrends.buckets.map((b: any) => b.raised.value);
      expect(raised).toHaveLength(4);
      expect(raised.reduce((t: number, v: number) => t + v, 0)).toBe(400);
      const own = await h.trends(h.analystPortsmouth, { ...input, partnerships: ['PORTSMOUTH'] });
      expect(own.data.escalationTrends).toEqual(res.data.escalationTrends);
    });

    it('an ANALYST asking for another or for two partnerships is FORBIDDEN', async () => {
      for (const partnerships of [['HAMPSHIRE'], ['PORTSMOUTH', 'SOUTHAMPTON']]) {
        const res = await h.trends(h.analystPortsmouth, { ...input, partnerships });
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
        const res = await h.trends(await h.app.login(who, 'PORTSMOUTH'), input);
        expect(res.errors?.[0].extensions?.code).toBe('FORBIDDEN');
      }
    });

    it('a HIPS_ANALYST sees any or all partnerships, with PARTNERSHIP as a dimension', async () => {
      const res = await h.trends(h.hipsAnalyst, {
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
      const all = await h.trends(h.hipsAnalyst, {
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
      const res = await h.trends(h.analystIow, march);
      const { suppressionThreshold, buckets } = res.data.escalationTrends;
      expect(suppressionThreshold).toBe(5);
      const raised = Object.fromEntries(buckets.map((b: any) => [b.dimensions[0].value, b.raised]));
      expect(raised.OTHER).toEqual({ value: null, suppressed: true, display: 'c' });
      // The month's total (a coarser query) would give OTHER away unless a second cell is hidden too.
      expect(raised.DRIFT_DELAY).toEqual({ value: null, suppressed: true, display: 'c' });
      expect(raised.THRESHOLD_REFERRAL_NOT_ACCEPTED).toEqual({ value: 20, suppressed: false, display: '20' });
      const total = await h.trends(h.analystIow, { ...march, groupBy: [] });
      expect(total.data.escalationTrends.buckets[0].raised.value).toBe(32);
      // Medians need 6 cases and an unsuppressed count.
      const other = buckets.find((b: any) => b.dimensions[0].value === 'OTHER');
      expect(other.medianWorkingDaysToResolution).toBeNull();
    });

    it('no suppressed cell can be worked out from the answer and the coarser answer', async () => {
      const fine = (await h.trends(h.hipsAnalyst, { ...march, partnerships: ['ISLE_OF_WIGHT'] })).data
        .escalationTrends.buckets;
      const total = (
        await h.trends(h.hipsAnalyst, { ...march, groupBy: [], partnerships: ['ISLE_OF_WIGHT'] })
      ).data.escalationTrends.buckets[0];
      for (const measure of ['raised', 'resolved', 'breachedStages', 'stage0Used']) {
        const hidden = fine.filter((b: any) => b[measure].suppressed);
        expect(hidden.length === 0 || hidden.length >= 2 || total[measure].suppressed).toBe(true);
      }
    });

    it('answers carry no identifiers and no free text', async () => {
      const res = await h.app.http
        .post('/graphql')
        .set('authorization', `Bearer ${h.hipsAnalyst}`)
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
      const cases: { id: string; reference: string }[] = await h.app.owner.query(
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
      const res = await h.trends(h.hipsAnalyst, {
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
    const five = await h.trends(h.hipsAnalyst, {
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
      const res = await h.trends(h.analystPortsmouth, {
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
      }[] = await h.app.owner.query(
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
});
