import { startTestApp, TestApp } from '../support/app';

const AREAS = ['hampshire', 'isle-of-wight', 'portsmouth', 'southampton'];
const PROBLEMS = `{ structuralProblems { code message roleType agency { name } unit { name } person { displayName } } }`;

/**
 * A freshly seeded demo has no structural problems. Specs never change the demo structure
 * (docs/testing/test-practice.md): they make agencies of their own, which are not the demo's and are not judged
 * here. Every seeded agency is judged (the seed is one transaction, so its rows share one created_at).
 */
describe('the demo structure', () => {
  let t: TestApp;
  let seeded: Set<string>;

  beforeAll(async () => {
    t = await startTestApp();
    const rows: { name: string }[] = await t.owner.query(
      `with seed as (select created_at as at from people where email = 'admin.portsmouth@demo.hips.test')
       select a.name from agencies a, seed where a.created_at = seed.at`,
    );
    seeded = new Set(rows.map((a) => a.name));
  });
  afterAll(() => t.close());

  it('judges every seeded agency', () => {
    expect(seeded.size).toBeGreaterThanOrEqual(20);
    expect(
      [...seeded].filter((n) => /business unit|HIPS Safeguarding Partnerships analytics/.test(n)),
    ).toHaveLength(5);
  });

  it.each(AREAS)('has no structural problems in %s', async (area) => {
    const res = await t.gql(PROBLEMS, {}, { token: await t.login(`admin.${area}@demo.hips.test`) });
    expect(res.errors).toBeUndefined();
    const problems = (res.data.structuralProblems as { agency: { name: string } | null }[]).filter(
      (p) => p.agency === null || seeded.has(p.agency.name),
    );
    expect(problems).toEqual([]);
  });
});
