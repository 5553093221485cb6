import { startTestApp, TestApp } from '../support/app';

const AREAS = ['hampshire', 'isle-of-wight', 'portsmouth', 'southampton'];
const PROBLEMS = `{ structuralProblems { code message roleType agency { name } unit { name } person { displayName } } }`;

describe('the demo structure', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it.each(AREAS)(
    'has no structural problems in %s (freshly seeded, before other specs change it)',
    async (area) => {
      // Other specs add agencies to the shared run database; only the seeded demo agencies are judged here.
      const seeded: { name: string }[] = await t.owner.query(
        `select a.name from agencies a
        where exists (select 1 from people p where p.agency_id = a.id and p.email like '%@demo.hips.test')`,
      );
      const demo = new Set(seeded.map((a) => a.name));
      const res = await t.gql(PROBLEMS, {}, { token: await t.login(`admin.${area}@demo.hips.test`) });
      expect(res.errors).toBeUndefined();
      const problems = (res.data.structuralProblems as { agency: { name: string } | null }[]).filter(
        (p) => p.agency === null || demo.has(p.agency.name),
      );
      expect(problems).toEqual([]);
    },
  );
});
