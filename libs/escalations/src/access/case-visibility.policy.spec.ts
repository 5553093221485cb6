import { caseVisibility } from './case-visibility.policy';
import { CASE, IDS, RELATIONS, visibilityTable } from './case-visibility.table';

const table = visibilityTable();

describe('case visibility policy, in memory', () => {
  it('has a row for every viewer and every relation', () => {
    expect(table.length).toBeGreaterThanOrEqual(13 * RELATIONS.length);
  });

  it.each(table.map((row) => [row.name, row] as const))('%s', async (_name, row) => {
    let chainAsked = false;
    const chain = () => {
      chainAsked = true;
      return Promise.resolve(row.chain);
    };
    const seesCase = caseVisibility.maySeeCase(row.viewer, CASE);
    const seesChild = await caseVisibility.maySeeChild(row.viewer, CASE, chain);
    expect({ seesCase, seesChild }).toEqual({ seesCase: row.sees !== '-', seesChild: row.sees === 'child' });
    // The chain costs queries: asked only of a person who sees the case without an oversight role.
    if (chainAsked) expect(row.viewer.personId !== null && seesCase).toBe(true);
  });

  it("sends a case's webhooks to exactly the agencies whose systems see it", () => {
    const keys = table.filter((row) => row.viewer.personId === null);
    expect(keys.length).toBe(RELATIONS.length);
    const seeing = new Set(caseVisibility.agencySystemsSeeing(CASE));
    for (const key of keys.filter((row) => row.viewer.partnershipId === CASE.partnershipId)) {
      expect([key.name, key.viewer.agencyId !== null && seeing.has(key.viewer.agencyId)]).toEqual([
        key.name,
        key.sees !== '-',
      ]);
    }
    expect([...seeing].sort()).toEqual([IDS.raisingAgency, IDS.respondingAgency].sort());
  });

  it('reads the parties of an escalations row', () => {
    expect(
      caseVisibility.partiesOfRow({
        partnership_id: CASE.partnershipId,
        raising_agency_id: CASE.raisingAgencyId,
        responding_agency_id: CASE.respondingAgencyId,
      }),
    ).toEqual(CASE);
  });

  it('writes an SQL predicate with bound values only, after the parameters already there', () => {
    const params: unknown[] = ['first'];
    const viewer = table[0].viewer;
    const sql = caseVisibility.sql(viewer, params, 'c');
    expect(sql).toBe(
      '(c.partnership_id = $2::uuid and ($3::boolean or c.raising_agency_id = $4::uuid or c.responding_agency_id = $5::uuid))',
    );
    expect(params).toEqual(['first', viewer.partnershipId, false, viewer.agencyId, viewer.agencyId]);
    expect(() => caseVisibility.sql(viewer, [], 'e; drop table x')).toThrow('bad alias');
  });
});
