import type { TestApp } from '../support/app';
import { closeAnalyticsFixture, startAnalyticsFixture } from './support';

/** The synthetic cases (scripts/synthetic-data.ts) keep every rule the application keeps for the cases it writes. */
describe('analytics synthetic data', () => {
  let app: TestApp;

  beforeAll(async () => {
    ({ app } = await startAnalyticsFixture());
  }, 120_000);
  afterAll(() => closeAnalyticsFixture(app));

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
});
