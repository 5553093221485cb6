import { idOf } from '@hips/common';
import { startTestApp, TestApp } from '../support/app';
import { createOwnAgency } from '../support/fixtures';

describe('absences recorded at the same time', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('lets exactly one of two overlapping absences through', async () => {
    // A person of this spec's own: the demo people's absences are shared by every spec.
    const own = await createOwnAgency(t, {
      adminEmail: 'admin.southampton@demo.hips.test',
      partnership: 'SOUTHAMPTON',
      label: 'Absence race agency',
      people: [{ key: 'manager', roleType: 'SENIOR_MANAGER' }],
    });
    const token = await t.login('admin.southampton@demo.hips.test');
    const personId = own.people.manager;
    const record = (from: string, to: string) =>
      t.gql(
        `mutation($input: RecordAbsenceInput!) { recordAbsence(input: $input) { absence { id } userErrors { code } } }`,
        { input: { personId, from, to, reason: 'annual leave' } },
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
      [idOf(personId, 'Person')],
    );
    expect(n).toBe(1);
  });
});
