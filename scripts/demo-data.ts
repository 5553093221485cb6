import type { EntityManager } from 'typeorm';

/**
 * Realistic (fictional) HIPS demo data: the agencies that serve the four partnerships, their units, and people at
 * every stage level, so a newcomer can walk a case through all stages. Written as the owner (no tenant needed).
 */
type Code = 'HAMPSHIRE' | 'ISLE_OF_WIGHT' | 'PORTSMOUTH' | 'SOUTHAMPTON';
const ALL: Code[] = ['HAMPSHIRE', 'ISLE_OF_WIGHT', 'PORTSMOUTH', 'SOUTHAMPTON'];
const SLUG: Record<Code, string> = {
  HAMPSHIRE: 'hampshire',
  ISLE_OF_WIGHT: 'isle-of-wight',
  PORTSMOUTH: 'portsmouth',
  SOUTHAMPTON: 'southampton',
};
const AREA: Record<Code, string> = {
  HAMPSHIRE: 'Hampshire',
  ISLE_OF_WIGHT: 'Isle of Wight',
  PORTSMOUTH: 'Portsmouth',
  SOUTHAMPTON: 'Southampton',
};

interface AgencySpec {
  slug: string;
  name: string;
  type: string;
  serves: Code[];
  /** People who practise in this agency (with a unit per partnership area for shared agencies). */
  practice: boolean;
}

const AGENCIES: AgencySpec[] = [
  {
    slug: 'police',
    name: 'Hampshire and Isle of Wight Constabulary',
    type: 'POLICE',
    serves: ALL,
    practice: true,
  },
  {
    slug: 'icb',
    name: 'Hampshire and Isle of Wight Integrated Care Board',
    type: 'HEALTH_COMMISSIONER',
    serves: ALL,
    practice: true,
  },
  {
    slug: 'community-health',
    name: 'Hampshire and Isle of Wight Healthcare NHS Foundation Trust',
    type: 'HEALTH_PROVIDER',
    serves: ALL,
    practice: true,
  },
  {
    slug: 'probation',
    name: 'Probation Service (South Central)',
    type: 'PROBATION',
    serves: ALL,
    practice: true,
  },
  {
    slug: 'csc',
    name: 'Hampshire County Council Children’s Services',
    type: 'CHILDRENS_SOCIAL_CARE',
    serves: ['HAMPSHIRE'],
    practice: true,
  },
  {
    slug: 'csc',
    name: 'Isle of Wight Council Children’s Services',
    type: 'CHILDRENS_SOCIAL_CARE',
    serves: ['ISLE_OF_WIGHT'],
    practice: true,
  },
  {
    slug: 'csc',
    name: 'Portsmouth City Council Children’s Social Care',
    type: 'CHILDRENS_SOCIAL_CARE',
    serves: ['PORTSMOUTH'],
    practice: true,
  },
  {
    slug: 'csc',
    name: 'Southampton City Council Children’s Social Care',
    type: 'CHILDRENS_SOCIAL_CARE',
    serves: ['SOUTHAMPTON'],
    practice: true,
  },
  {
    slug: 'hospital',
    name: 'University Hospital Southampton NHS Foundation Trust',
    type: 'HEALTH_PROVIDER',
    serves: ['SOUTHAMPTON'],
    practice: true,
  },
  {
    slug: 'hospital',
    name: 'Portsmouth Hospitals University NHS Trust',
    type: 'HEALTH_PROVIDER',
    serves: ['PORTSMOUTH'],
    practice: true,
  },
  {
    slug: 'hospital',
    name: 'Isle of Wight NHS Trust',
    type: 'HEALTH_PROVIDER',
    serves: ['ISLE_OF_WIGHT'],
    practice: true,
  },
  {
    slug: 'hospital',
    name: 'Hampshire Hospitals NHS Foundation Trust',
    type: 'HEALTH_PROVIDER',
    serves: ['HAMPSHIRE'],
    practice: true,
  },
  {
    slug: 'school',
    name: 'Oakfield Primary School (demo)',
    type: 'EDUCATION',
    serves: ['HAMPSHIRE'],
    practice: true,
  },
  {
    slug: 'school',
    name: 'Medina Valley Academy (demo)',
    type: 'EDUCATION',
    serves: ['ISLE_OF_WIGHT'],
    practice: true,
  },
  {
    slug: 'school',
    name: 'Harbourside Secondary School (demo)',
    type: 'EDUCATION',
    serves: ['PORTSMOUTH'],
    practice: true,
  },
  {
    slug: 'school',
    name: 'Itchen Bridge Primary School (demo)',
    type: 'EDUCATION',
    serves: ['SOUTHAMPTON'],
    practice: true,
  },
];

/** The stage ladder's people in each agency, top down (each reports to the one above). */
const LADDER = [
  { role: 'SENIOR_MANAGER', slug: 'senior-manager', title: 'Head of Service' },
  { role: 'SAFEGUARDING_LEAD', slug: 'safeguarding-lead', title: 'Safeguarding Lead' },
  { role: 'LINE_MANAGER', slug: 'line-manager', title: 'Team Manager' },
  { role: 'PRACTITIONER', slug: 'practitioner', title: 'Practitioner' },
] as const;

export interface DemoLogin {
  email: string;
  description: string;
}

export async function seedDemo(em: EntityManager, passwordHash: string): Promise<DemoLogin[]> {
  const partnerships = new Map<Code, string>(
    (await em.query<{ id: string; code: Code }[]>('select id, code from partnerships')).map((p) => [
      p.code,
      p.id,
    ]),
  );
  const logins: DemoLogin[] = [];
  const one = async <T>(sql: string, params: unknown[]): Promise<T> => (await em.query<T[]>(sql, params))[0];
  const agency = async (name: string, type: string, serves: Code[]) => {
    const row = await one<{ id: string }>(
      'insert into agencies (name, type, registered_by_partnership_id) values ($1, $2, $3) returning id',
      [name, type, partnerships.get(serves[0])],
    );
    for (const code of serves) {
      await em.query('insert into agency_memberships (partnership_id, agency_id) values ($1, $2)', [
        partnerships.get(code),
        row.id,
      ]);
    }
    return row.id;
  };
  const unit = async (agencyId: string, name: string, parentId: string | null) =>
    (
      await one<{ id: string }>(
        'insert into org_units (agency_id, parent_id, name) values ($1, $2, $3) returning id',
        [agencyId, parentId, name],
      )
    ).id;
  const person = async (email: string, name: string, agencyId: string, home: Code, description: string) => {
    logins.push({ email, description });
    return (
      await one<{ id: string }>(
        `insert into people (email, display_name, agency_id, home_partnership_id, password_hash)
         values ($1, $2, $3, $4, $5) returning id`,
        [email, name, agencyId, partnerships.get(home), passwordHash],
      )
    ).id;
  };
  const post = (code: Code, personId: string, unitId: string, role: string, managerId: string | null) =>
    em.query(
      `insert into role_assignments (partnership_id, person_id, org_unit_id, role_type, manager_person_id)
       values ($1, $2, $3, $4, $5)`,
      [partnerships.get(code), personId, unitId, role, managerId],
    );

  for (const spec of AGENCIES) {
    const agencyId = await agency(spec.name, spec.type, spec.serves);
    const root = await unit(agencyId, spec.name, null);
    for (const code of spec.serves) {
      const area =
        spec.serves.length > 1 ? await unit(agencyId, `${AREA[code]} safeguarding team`, root) : root;
      let manager: string | null = null;
      for (const step of LADDER) {
        const email = `${step.slug}.${spec.slug}.${SLUG[code]}@demo.hips.test`;
        const id = await person(
          email,
          `${step.title}, ${spec.name} (${AREA[code]})`,
          agencyId,
          code,
          `${step.role} at ${spec.name}`,
        );
        await post(code, id, area, step.role, manager);
        manager = id;
      }
    }
  }

  // Each partnership's business unit: its admin, partnership manager and scrutineer.
  for (const code of ALL) {
    const agencyId = await agency(`${AREA[code]} Safeguarding Children Partnership business unit`, 'OTHER', [
      code,
    ]);
    const root = await unit(agencyId, 'Business unit', null);
    const admin = await person(
      `admin.${SLUG[code]}@demo.hips.test`,
      `Partnership admin (${AREA[code]})`,
      agencyId,
      code,
      `PARTNERSHIP_ADMIN of ${code}`,
    );
    await post(code, admin, root, 'PARTNERSHIP_ADMIN', null);
    const manager = await person(
      `partnership-manager.${SLUG[code]}@demo.hips.test`,
      `Partnership business manager (${AREA[code]})`,
      agencyId,
      code,
      `PARTNERSHIP_MANAGER of ${code}`,
    );
    await post(code, manager, root, 'PARTNERSHIP_MANAGER', null);
    const scrutineer = await person(
      `scrutineer.${SLUG[code]}@demo.hips.test`,
      `Independent scrutineer (${AREA[code]})`,
      agencyId,
      code,
      `SCRUTINEER of ${code}`,
    );
    await post(code, scrutineer, root, 'SCRUTINEER', null);
    const analyst = await person(
      `analyst.${SLUG[code]}@demo.hips.test`,
      `Performance analyst (${AREA[code]})`,
      agencyId,
      code,
      `ANALYST of ${code}`,
    );
    await post(code, analyst, root, 'ANALYST', null);
  }

  // One HIPS-wide analyst; the token is issued for Hampshire and reads aggregates across the four. Its team is a
  // relevant agency of Hampshire only, where its post is: elsewhere it would be an agency nobody staffs.
  const hips = await agency('HIPS Safeguarding Partnerships analytics', 'OTHER', ['HAMPSHIRE']);
  const hipsUnit = await unit(hips, 'HIPS analytics', null);
  const analyst = await person(
    'analyst@demo.hips.test',
    'HIPS analyst',
    hips,
    'HAMPSHIRE',
    'HIPS_ANALYST (all four partnerships)',
  );
  await post('HAMPSHIRE', analyst, hipsUnit, 'HIPS_ANALYST', null);
  return logins;
}
