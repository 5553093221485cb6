import type { RoleType } from '../policy/types';
import type { OrgPerson, OrgPost, OrgUnitNode } from './types';

export const STRUCTURAL_PROBLEM_CODES = [
  'MISSING_STAGE_ROLE',
  'MANAGER_CYCLE',
  'UNIT_WITHOUT_MANAGER',
] as const;
export type StructuralProblemCode = (typeof STRUCTURAL_PROBLEM_CODES)[number];

export interface StructuralProblem {
  readonly code: StructuralProblemCode;
  readonly message: string;
  readonly agencyId: string | null;
  readonly orgUnitId: string | null;
  readonly personId: string | null;
  /** For MISSING_STAGE_ROLE: the role type (the first of the alternatives) that nobody holds. */
  readonly roleType: RoleType | null;
}

export interface StructureForChecks {
  /** The agencies of the partnership. */
  readonly agencies: readonly { readonly id: string; readonly name: string }[];
  /** Every unit of those agencies. */
  readonly units: readonly OrgUnitNode[];
  /** Every post of the partnership. */
  readonly posts: readonly OrgPost[];
  /** Every person named by a post (holder or manager). */
  readonly people: readonly OrgPerson[];
}

/** Role types each agency must staff somewhere, one entry per stage (alternatives in one entry). */
export const REQUIRED_STAGE_ROLES: readonly (readonly RoleType[])[] = [
  ['PRACTITIONER'],
  ['LINE_MANAGER', 'SAFEGUARDING_LEAD'],
  ['SENIOR_MANAGER'],
];

/**
 * Roles of the partnership itself and of the platform (docs/procedure.md §2): the partnership manager owns stage 4 for
 * the partnership, not for an agency side. An agency whose posts are all of these (the partnership's business unit,
 * a HIPS-wide analytics team) is no party to stages 1–3 and needs no stage roles.
 */
export const PARTNERSHIP_LEVEL_ROLES: readonly RoleType[] = [
  'PARTNERSHIP_MANAGER',
  'PARTNERSHIP_ADMIN',
  'SCRUTINEER',
  'ANALYST',
  'HIPS_ANALYST',
];

/** Posts that manage a unit (and every unit below it). */
export const UNIT_MANAGER_ROLES: readonly RoleType[] = ['LINE_MANAGER', 'SENIOR_MANAGER'];

const STAFF_ROLES: readonly RoleType[] = [
  'PRACTITIONER',
  'LINE_MANAGER',
  'SAFEGUARDING_LEAD',
  'SENIOR_MANAGER',
];

/**
 * What stops escalations from routing in a partnership's structure:
 * - MISSING_STAGE_ROLE: an agency where nobody holds a stage's role type (PRACTITIONER; LINE_MANAGER or
 *   SAFEGUARDING_LEAD; SENIOR_MANAGER) in any unit. An agency with posts, all of them partnership-level roles
 *   (PARTNERSHIP_LEVEL_ROLES: the partnership's business unit), is not a casework agency and is not checked; an
 *   agency with no posts at all is (nobody could own its stages);
 * - MANAGER_CYCLE: people whose manager chain loops (reported once per loop);
 * - UNIT_WITHOUT_MANAGER: a unit where the partnership has staff posts but no LINE_MANAGER or SENIOR_MANAGER post
 *   in the unit or any unit above it (units with no posts of the partnership are not in use and not reported).
 * Sorted by agency name, then code, then message, so the answer is stable.
 */
export function findStructuralProblems(structure: StructureForChecks): StructuralProblem[] {
  const people = new Map(structure.people.map((p) => [p.id, p]));
  const units = new Map(structure.units.map((u) => [u.id, u]));
  const agencyName = new Map(structure.agencies.map((a) => [a.id, a.name]));
  const nameOf = (id: string) => people.get(id)?.displayName ?? 'an unknown person';
  const problems: StructuralProblem[] = [];

  // Stage roles nobody holds in an agency.
  for (const agency of structure.agencies) {
    const held = new Set(
      structure.posts.filter((p) => units.get(p.orgUnitId)?.agencyId === agency.id).map((p) => p.roleType),
    );
    if (held.size > 0 && [...held].every((role) => PARTNERSHIP_LEVEL_ROLES.includes(role))) continue;
    for (const alternatives of REQUIRED_STAGE_ROLES) {
      if (alternatives.some((role) => held.has(role))) continue;
      problems.push({
        code: 'MISSING_STAGE_ROLE',
        message: `Nobody holds ${alternatives.join(' or ')} anywhere in ${agency.name}`,
        agencyId: agency.id,
        orgUnitId: null,
        personId: null,
        roleType: alternatives[0],
      });
    }
  }

  // Loops in the manager graph (a person with several posts may name several managers).
  const managers = new Map<string, Set<string>>();
  for (const post of structure.posts) {
    if (!post.managerPersonId) continue;
    const set = managers.get(post.personId) ?? new Set<string>();
    set.add(post.managerPersonId);
    managers.set(post.personId, set);
  }
  for (const loop of managerLoops(managers)) {
    const first = [...loop].sort((a, b) => nameOf(a).localeCompare(nameOf(b)) || a.localeCompare(b))[0];
    const path = loopPath(first, new Set(loop), managers);
    problems.push({
      code: 'MANAGER_CYCLE',
      message: `The manager chain loops: ${path.map(nameOf).join(' → ')}`,
      agencyId: people.get(first)?.agencyId ?? null,
      orgUnitId: null,
      personId: first,
      roleType: null,
    });
  }

  // Units in use with no manager in or above them.
  const staffed = new Set(
    structure.posts.filter((p) => STAFF_ROLES.includes(p.roleType)).map((p) => p.orgUnitId),
  );
  const managed = new Set(
    structure.posts.filter((p) => UNIT_MANAGER_ROLES.includes(p.roleType)).map((p) => p.orgUnitId),
  );
  for (const unit of structure.units) {
    if (!staffed.has(unit.id)) continue;
    let at: OrgUnitNode | undefined = unit;
    let found = false;
    const seen = new Set<string>();
    while (at && !seen.has(at.id)) {
      seen.add(at.id);
      if (managed.has(at.id)) {
        found = true;
        break;
      }
      at = at.parentId ? units.get(at.parentId) : undefined;
    }
    if (found) continue;
    problems.push({
      code: 'UNIT_WITHOUT_MANAGER',
      message: `${unit.name} (${agencyName.get(unit.agencyId) ?? 'agency'}) has staff but no LINE_MANAGER or SENIOR_MANAGER in it or above it`,
      agencyId: unit.agencyId,
      orgUnitId: unit.id,
      personId: null,
      roleType: null,
    });
  }

  const agencyOrder = (p: StructuralProblem) => (p.agencyId ? (agencyName.get(p.agencyId) ?? '') : '');
  return problems.sort(
    (a, b) =>
      agencyOrder(a).localeCompare(agencyOrder(b)) ||
      a.code.localeCompare(b.code) ||
      a.message.localeCompare(b.message),
  );
}

/** Strongly connected components that contain a loop (Tarjan, iterative so deep chains cannot overflow). */
function managerLoops(edges: Map<string, Set<string>>): string[][] {
  const nodes = new Set<string>([...edges.keys(), ...[...edges.values()].flatMap((s) => [...s])]);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const loops: string[][] = [];
  let counter = 0;
  for (const root of [...nodes].sort()) {
    if (index.has(root)) continue;
    const work: { node: string; next: string[] }[] = [];
    const open = (node: string) => {
      index.set(node, counter);
      low.set(node, counter);
      counter++;
      stack.push(node);
      onStack.add(node);
      work.push({ node, next: [...(edges.get(node) ?? [])].sort() });
    };
    open(root);
    while (work.length > 0) {
      const frame = work[work.length - 1];
      const child = frame.next.shift();
      if (child !== undefined) {
        if (!index.has(child)) open(child);
        else if (onStack.has(child)) low.set(frame.node, Math.min(low.get(frame.node)!, index.get(child)!));
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parent = work[work.length - 1].node;
        low.set(parent, Math.min(low.get(parent)!, low.get(frame.node)!));
      }
      if (low.get(frame.node) === index.get(frame.node)) {
        const component: string[] = [];
        let member: string;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.node);
        const selfLoop = edges.get(frame.node)?.has(frame.node) ?? false;
        if (component.length > 1 || selfLoop) loops.push(component);
      }
    }
  }
  return loops;
}

/** One concrete loop through `start` inside its component: start → ... → start. */
function loopPath(start: string, component: Set<string>, edges: Map<string, Set<string>>): string[] {
  // Breadth-first from start's successors back to start, inside the component.
  const previous = new Map<string, string>();
  const queue: string[] = [start];
  while (queue.length > 0) {
    const node = queue.shift()!;
    for (const next of [...(edges.get(node) ?? [])].sort()) {
      if (!component.has(next)) continue;
      if (next === start) {
        const path = [node];
        for (let at = node; at !== start;) {
          at = previous.get(at)!;
          path.unshift(at);
        }
        return [...path, start];
      }
      if (!previous.has(next)) {
        previous.set(next, node);
        queue.push(next);
      }
    }
  }
  return [start, start];
}
