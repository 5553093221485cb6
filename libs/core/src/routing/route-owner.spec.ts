import type { RoleType } from '../policy/types';
import { routeStageOwner } from './route-owner';
import { findStructuralProblems } from './structural-problems';
import type { OrgAbsence, OrgPost, OrgStructure } from './types';

const A = 'agency-a';
const units = [
  { id: 'root', agencyId: A, parentId: null, name: 'Portsmouth CSC' },
  { id: 'team', agencyId: A, parentId: 'root', name: 'Portsmouth safeguarding team' },
  { id: 'sub', agencyId: A, parentId: 'team', name: 'Duty desk' },
];
const people = ['prac', 'jo', 'sam', 'kim', 'lee', 'max', 'ned'].map((id) => ({
  id,
  agencyId: A,
  displayName: {
    prac: 'Pat Prac',
    jo: 'Jo Bloggs',
    sam: 'Sam Smith',
    kim: 'Kim Kay',
    lee: 'Lee Lane',
    max: 'Max Moe',
    ned: 'Ned North',
  }[id]!,
}));
const post = (
  personId: string,
  orgUnitId: string,
  roleType: RoleType,
  managerPersonId: string | null,
  deputyPersonIds: string[] = [],
): OrgPost => ({ personId, orgUnitId, roleType, managerPersonId, deputyPersonIds });
const away = (personId: string, from: string, to: string, reason = 'annual leave'): OrgAbsence => ({
  personId,
  from,
  to,
  reason,
});

function structure(posts: OrgPost[], absences: OrgAbsence[] = []): OrgStructure {
  return { units, people, posts, absences };
}

const ladder = (deputies: string[] = []) => [
  post('prac', 'team', 'PRACTITIONER', 'jo'),
  post('jo', 'team', 'LINE_MANAGER', 'kim', deputies),
  post('kim', 'team', 'SAFEGUARDING_LEAD', 'lee'),
  post('lee', 'root', 'SENIOR_MANAGER', null),
];

describe('routeStageOwner', () => {
  const req = { orgUnitId: 'team', roleType: 'LINE_MANAGER' as RoleType, on: '2026-11-20' };

  it('chooses the holder when present', () => {
    const r = routeStageOwner(structure(ladder(['sam'])), req);
    expect(r.personId).toBe('jo');
    expect(r.failure).toBeNull();
    expect(r.holderUnitId).toBe('team');
    expect(r.explanation).toBe('LINE_MANAGER of Portsmouth safeguarding team: Jo Bloggs');
  });

  it('walks up the unit tree to find a holder', () => {
    const r = routeStageOwner(structure(ladder()), { ...req, orgUnitId: 'sub' });
    expect(r.personId).toBe('jo');
    expect(r.explanation).toBe(
      'no LINE_MANAGER in Duty desk; LINE_MANAGER of Portsmouth safeguarding team: Jo Bloggs',
    );
  });

  it('goes to a deputy when the holder is absent', () => {
    const r = routeStageOwner(structure(ladder(['sam']), [away('jo', '2026-11-16', '2026-12-01')]), req);
    expect(r.personId).toBe('sam');
    expect(r.explanation).toBe(
      'LINE_MANAGER of Portsmouth safeguarding team: Jo Bloggs is absent (annual leave) until 2026-12-01; deputy Sam Smith',
    );
    expect(r.steps.map((s) => [s.kind, s.personId, s.outcome])).toEqual([
      ['HOLDER', 'jo', 'ABSENT'],
      ['DEPUTY', 'sam', 'CHOSEN'],
    ]);
  });

  it('treats both ends of an absence as absent and the next day as present', () => {
    const s = structure(ladder(['sam']), [away('jo', '2026-11-16', '2026-11-20')]);
    expect(routeStageOwner(s, { ...req, on: '2026-11-16' }).personId).toBe('sam');
    expect(routeStageOwner(s, { ...req, on: '2026-11-20' }).personId).toBe('sam');
    expect(routeStageOwner(s, { ...req, on: '2026-11-21' }).personId).toBe('jo');
    expect(routeStageOwner(s, { ...req, on: '2026-11-15' }).personId).toBe('jo');
  });

  it('goes up the manager chain when the deputies are absent too, skipping absent managers', () => {
    const r = routeStageOwner(
      structure(ladder(['sam']), [
        away('jo', '2026-11-01', '2026-12-01'),
        away('sam', '2026-11-20', '2026-11-20', 'sick'),
        away('kim', '2026-11-19', '2026-11-22', 'training'),
      ]),
      req,
    );
    expect(r.personId).toBe('lee');
    expect(r.explanation).toBe(
      'LINE_MANAGER of Portsmouth safeguarding team: Jo Bloggs is absent (annual leave) until 2026-12-01; ' +
        'deputy Sam Smith is absent (sick) until 2026-11-20; manager Kim Kay is absent (training) until 2026-11-22; ' +
        'manager Lee Lane',
    );
  });

  it('says "no deputy" when the post names none', () => {
    const r = routeStageOwner(structure(ladder(), [away('jo', '2026-11-01', '2026-12-01')]), req);
    expect(r.personId).toBe('kim');
    expect(r.explanation).toContain('no deputy; manager Kim Kay');
  });

  it('returns nobody with a reason when the chain ends', () => {
    const r = routeStageOwner(
      structure(ladder(), [
        away('jo', '2026-11-01', '2026-12-01'),
        away('kim', '2026-11-01', '2026-12-01'),
        away('lee', '2026-11-01', '2026-12-01'),
      ]),
      req,
    );
    expect(r.personId).toBeNull();
    expect(r.failure).toBe('NOBODY_AVAILABLE');
    expect(r.explanation).toContain('the manager chain ends at Lee Lane');
  });

  it('stops at a cycle in the manager chain instead of looping', () => {
    const posts = [
      post('jo', 'team', 'LINE_MANAGER', 'kim'),
      post('kim', 'team', 'SAFEGUARDING_LEAD', 'lee'),
      post('lee', 'root', 'SENIOR_MANAGER', 'kim'),
    ];
    const r = routeStageOwner(
      structure(posts, [
        away('jo', '2026-11-01', '2026-12-01'),
        away('kim', '2026-11-01', '2026-12-01'),
        away('lee', '2026-11-01', '2026-12-01'),
      ]),
      req,
    );
    expect(r.personId).toBeNull();
    expect(r.failure).toBe('MANAGER_CYCLE');
    expect(r.explanation).toContain('the manager chain loops back to Kim Kay: stopped');
  });

  it('stops when the chain loops back to the holder', () => {
    const posts = [post('jo', 'team', 'LINE_MANAGER', 'kim'), post('kim', 'team', 'SAFEGUARDING_LEAD', 'jo')];
    const r = routeStageOwner(
      structure(posts, [away('jo', '2026-11-01', '2026-12-01'), away('kim', '2026-11-01', '2026-12-01')]),
      req,
    );
    expect(r.failure).toBe('MANAGER_CYCLE');
  });

  it('reports no holder anywhere up the tree', () => {
    const r = routeStageOwner(structure(ladder()), { ...req, roleType: 'PARTNERSHIP_MANAGER' });
    expect(r.personId).toBeNull();
    expect(r.failure).toBe('NO_HOLDER');
    expect(r.explanation).toBe(
      'nobody holds PARTNERSHIP_MANAGER in Portsmouth safeguarding team or any unit above it',
    );
  });

  it('reports an unknown unit', () => {
    expect(routeStageOwner(structure(ladder()), { ...req, orgUnitId: 'nope' }).failure).toBe(
      'UNIT_NOT_FOUND',
    );
  });

  it('skips disabled people and picks the first available of several holders', () => {
    const r = routeStageOwner(
      {
        ...structure(
          [post('jo', 'team', 'LINE_MANAGER', null), post('max', 'team', 'LINE_MANAGER', null)],
          [away('jo', '2026-11-20', '2026-11-20')],
        ),
        people: people.map((p) => (p.id === 'max' ? { ...p, disabled: true } : p)),
      },
      req,
    );
    expect(r.personId).toBeNull();
    expect(r.steps.map((s) => s.outcome)).toEqual(['ABSENT', 'DISABLED']);
    const ok = routeStageOwner(
      structure(
        [post('jo', 'team', 'LINE_MANAGER', null), post('max', 'team', 'LINE_MANAGER', null)],
        [away('jo', '2026-11-20', '2026-11-20')],
      ),
      req,
    );
    expect(ok.personId).toBe('max');
  });

  it('never loops on a cyclic unit tree', () => {
    const cyclic = {
      units: [
        { id: 'x', agencyId: A, parentId: 'y', name: 'X' },
        { id: 'y', agencyId: A, parentId: 'x', name: 'Y' },
      ],
      people,
      posts: [],
      absences: [],
    };
    expect(routeStageOwner(cyclic, { ...req, orgUnitId: 'x' }).failure).toBe('NO_HOLDER');
  });

  it('rejects a malformed date', () => {
    expect(() => routeStageOwner(structure(ladder()), { ...req, on: '20/11/2026' })).toThrow(RangeError);
  });
});

describe('findStructuralProblems', () => {
  const agencies = [
    { id: A, name: 'Portsmouth CSC' },
    { id: 'empty', name: 'Empty agency' },
  ];

  it('finds nothing wrong in a complete ladder', () => {
    expect(findStructuralProblems({ agencies: [agencies[0]], units, people, posts: ladder() })).toEqual([]);
  });

  it('reports stage roles nobody holds, per agency', () => {
    const problems = findStructuralProblems({ agencies, units, people, posts: ladder() });
    expect(problems.map((p) => [p.code, p.agencyId, p.roleType])).toEqual([
      ['MISSING_STAGE_ROLE', 'empty', 'LINE_MANAGER'],
      ['MISSING_STAGE_ROLE', 'empty', 'PRACTITIONER'],
      ['MISSING_STAGE_ROLE', 'empty', 'SENIOR_MANAGER'],
    ]);
    const noLead = findStructuralProblems({
      agencies: [agencies[0]],
      units,
      people,
      posts: ladder().filter((p) => p.roleType !== 'SENIOR_MANAGER'),
    });
    expect(noLead.map((p) => p.message)).toEqual(['Nobody holds SENIOR_MANAGER anywhere in Portsmouth CSC']);
  });

  it('does not ask a partnership body (only partnership-level posts) for stage roles, but an empty agency', () => {
    const business = { id: 'business', name: 'Business unit' };
    const businessUnit = { id: 'bu', agencyId: 'business', parentId: null, name: 'Business unit' };
    const posts = [
      ...ladder(),
      post('max', 'bu', 'PARTNERSHIP_MANAGER', null),
      post('ned', 'bu', 'PARTNERSHIP_ADMIN', null),
    ];
    const structure = { agencies: [agencies[0], business], units: [...units, businessUnit], people, posts };
    expect(findStructuralProblems(structure)).toEqual([]);
    // One casework post makes it an agency like any other: the missing stages are reported.
    const staffed = findStructuralProblems({
      ...structure,
      posts: [...posts, post('max', 'bu', 'PRACTITIONER', 'ned')],
    });
    expect(
      staffed.filter((p) => p.code === 'MISSING_STAGE_ROLE').map((p) => [p.code, p.agencyId, p.roleType]),
    ).toEqual([
      ['MISSING_STAGE_ROLE', 'business', 'LINE_MANAGER'],
      ['MISSING_STAGE_ROLE', 'business', 'SENIOR_MANAGER'],
    ]);
    // An AGENCY_ADMIN is no partnership-level post: an agency being set up is still reported.
    const settingUp = findStructuralProblems({
      ...structure,
      posts: [...ladder(), post('ned', 'bu', 'AGENCY_ADMIN', null)],
    });
    expect(settingUp.filter((p) => p.agencyId === 'business').map((p) => p.code)).toEqual([
      'MISSING_STAGE_ROLE',
      'MISSING_STAGE_ROLE',
      'MISSING_STAGE_ROLE',
    ]);
  });

  it('a SAFEGUARDING_LEAD covers stage 2 without a LINE_MANAGER', () => {
    const posts = ladder().filter((p) => p.roleType !== 'LINE_MANAGER');
    const problems = findStructuralProblems({ agencies: [agencies[0]], units, people, posts });
    expect(problems.filter((p) => p.code === 'MISSING_STAGE_ROLE')).toEqual([]);
  });

  it('reports each manager loop once, naming its members', () => {
    const posts = [
      ...ladder(),
      post('max', 'team', 'PRACTITIONER', 'ned'),
      post('ned', 'team', 'PRACTITIONER', 'max'),
      post('sam', 'team', 'PRACTITIONER', 'sam'),
    ];
    const problems = findStructuralProblems({ agencies: [agencies[0]], units, people, posts });
    expect(problems.filter((p) => p.code === 'MANAGER_CYCLE').map((p) => [p.personId, p.message])).toEqual([
      ['max', 'The manager chain loops: Max Moe → Ned North → Max Moe'],
      ['sam', 'The manager chain loops: Sam Smith → Sam Smith'],
    ]);
  });

  it('reports a three-person loop as one problem', () => {
    const posts = [
      post('jo', 'team', 'LINE_MANAGER', 'kim'),
      post('kim', 'team', 'SAFEGUARDING_LEAD', 'lee'),
      post('lee', 'root', 'SENIOR_MANAGER', 'jo'),
    ];
    const loops = findStructuralProblems({ agencies: [agencies[0]], units, people, posts }).filter(
      (p) => p.code === 'MANAGER_CYCLE',
    );
    expect(loops.map((p) => p.message)).toEqual([
      'The manager chain loops: Jo Bloggs → Kim Kay → Lee Lane → Jo Bloggs',
    ]);
  });

  it('reports staffed units with no manager in or above them', () => {
    const extra = [...units, { id: 'other', agencyId: A, parentId: null, name: 'Outpost' }];
    const posts = [
      ...ladder(),
      post('max', 'other', 'PRACTITIONER', null),
      post('ned', 'sub', 'PRACTITIONER', null),
    ];
    const problems = findStructuralProblems({ agencies: [agencies[0]], units: extra, people, posts });
    expect(problems.map((p) => [p.code, p.orgUnitId])).toEqual([['UNIT_WITHOUT_MANAGER', 'other']]);
  });
});
