import { caseVisibility } from '../../libs/escalations/src/access/case-visibility.policy';
import { CASE, visibilityTable } from '../../libs/escalations/src/access/case-visibility.table';
import { startTestApp, TestApp } from '../support/app';

/**
 * The SQL face of the case visibility policy, evaluated by PostgreSQL on a constructed escalations row, row by row
 * of the same table the in-memory face is checked against (libs/escalations/src/access/case-visibility.table.ts).
 * `is true` is what a WHERE keeps.
 */
describe('case visibility policy, as SQL on PostgreSQL', () => {
  let t: TestApp;
  const table = visibilityTable();

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('keeps a case for exactly the viewers the table lets see it, as the in-memory face does', async () => {
    const problems: string[] = [];
    for (const row of table) {
      const params: unknown[] = [CASE.partnershipId, CASE.raisingAgencyId, CASE.respondingAgencyId];
      const predicate = caseVisibility.sql(row.viewer, params, 'e');
      const [{ visible }] = await t.owner.query<{ visible: boolean }[]>(
        `select (${predicate}) is true as visible
           from (values ($1::uuid, $2::uuid, $3::uuid)) as e(partnership_id, raising_agency_id, responding_agency_id)`,
        params,
      );
      const inMemory = caseVisibility.maySeeCase(row.viewer, CASE);
      const expected = row.sees !== '-';
      if (visible !== expected || inMemory !== expected) {
        problems.push(`${row.name}: table ${expected}, SQL ${visible}, in memory ${inMemory}`);
      }
    }
    expect(problems).toEqual([]);
    expect(table.length).toBeGreaterThan(100);
  });
});
