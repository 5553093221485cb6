import { startTestApp, TestApp } from '../support/app';

const AREAS = ['hampshire', 'isle-of-wight', 'portsmouth', 'southampton'];
const PROBLEMS = `{ structuralProblems { code message roleType agency { name } unit { name } person { displayName } } }`;

/**
 * A freshly seeded demo has no structural problems. Other specs share the run's database and change the demo
 * structure on purpose (new units with staff, extra posts), so only agencies whose units, posts and memberships are
 * all still as seeded are judged: the seed is one transaction, so its rows share one created_at.
 */
describe('the demo structure', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it.each(AREAS)('has no structural problems in %s', async (area) => {
    const asSeeded: { name: string }[] = await t.owner.query(
      `with seed as (select created_at as at from people where email = 'admin.portsmouth@demo.hips.test')
       select a.name from agencies a, seed
        where exists (select 1 from people p where p.agency_id = a.id and p.created_at = seed.at)
          and not exists (select 1 from org_units u where u.agency_id = a.id and u.created_at <> seed.at)
          and not exists (select 1 from role_assignments r join org_units u on u.id = r.org_unit_id
                           where u.agency_id = a.id and r.created_at <> seed.at)
          and not exists (select 1 from agency_memberships m where m.agency_id = a.id and m.created_at <> seed.at)`,
    );
    const judged = new Set(asSeeded.map((a) => a.name));
    // The agencies this check was wrong about are always judged (no spec changes them).
    expect(
      [...judged].filter((n) => /business unit|HIPS Safeguarding Partnerships analytics/.test(n)),
    ).toHaveLength(5);
    const res = await t.gql(PROBLEMS, {}, { token: await t.login(`admin.${area}@demo.hips.test`) });
    expect(res.errors).toBeUndefined();
    const problems = (res.data.structuralProblems as { agency: { name: string } | null }[]).filter(
      (p) => p.agency === null || judged.has(p.agency.name),
    );
    expect(problems).toEqual([]);
  });
});
