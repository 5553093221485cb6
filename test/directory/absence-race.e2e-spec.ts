import { toGlobalId } from '@hips/common';
import { startTestApp, TestApp } from '../support/app';

describe('absences recorded at the same time', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('lets exactly one of two overlapping absences through', async () => {
    const token = await t.login('admin.southampton@demo.hips.test');
    const [{ id }]: { id: string }[] = await t.owner.query(
      `select id from people where email = 'senior-manager.probation.southampton@demo.hips.test'`,
    );
    const record = (from: string, to: string) =>
      t.gql(
        `mutation($input: RecordAbsenceInput!) { recordAbsence(input: $input) { absence { id } userErrors { code } } }`,
        { input: { personId: toGlobalId('Person', id), from, to, reason: 'annual leave' } },
        { token },
      );
    const results = await Promise.all([
      record('2027-07-01', '2027-07-10'),
      record('2027-07-05', '2027-07-15'),
    ]);
    const codes = results.map((r) => r.data.recordAbsence.userErrors.map((e: any) => e.code).join());
    expect(codes.sort()).toEqual(['', 'DUPLICATE']);
    const [{ n }]: { n: number }[] = await t.owner.query(
      'select count(*)::int as n from absences where person_id = $1 and cancelled_at is null',
      [id],
    );
    expect(n).toBe(1);
  });
});
