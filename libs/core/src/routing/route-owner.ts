import { isIsoDate } from '../calendar/dates';
import type { RoleType } from '../policy/types';
import type { OrgAbsence, OrgPerson, OrgPost, OrgStructure, OrgUnitNode } from './types';

/** Why nobody was found. */
export const ROUTE_FAILURES = ['UNIT_NOT_FOUND', 'NO_HOLDER', 'NOBODY_AVAILABLE', 'MANAGER_CYCLE'] as const;
export type RouteFailure = (typeof ROUTE_FAILURES)[number];

export type RouteStepKind = 'HOLDER' | 'DEPUTY' | 'MANAGER';
export type RouteStepOutcome = 'CHOSEN' | 'ABSENT' | 'DISABLED' | 'ALREADY_CONSIDERED';

/** One person considered on the way, in order. */
export interface RouteStep {
  readonly kind: RouteStepKind;
  readonly personId: string;
  readonly outcome: RouteStepOutcome;
  /** Set when outcome is ABSENT. */
  readonly absence?: OrgAbsence;
}

export interface RouteRequest {
  /** The relevant unit: the unit of the raising or responding person. */
  readonly orgUnitId: string;
  /** The policy's role type for the stage. */
  readonly roleType: RoleType;
  /** The London calendar date on which the owner must be available (YYYY-MM-DD). */
  readonly on: string;
}

export interface RouteResult {
  readonly personId: string | null;
  /** Set when personId is null. */
  readonly failure: RouteFailure | null;
  /** The unit whose post was used (the relevant unit or an ancestor); null when no post was found. */
  readonly holderUnitId: string | null;
  readonly steps: readonly RouteStep[];
  /** Human account of the route, e.g. "LINE_MANAGER of Team A: Jo Bloggs is absent (annual leave) until 2026-12-01; deputy Sam Smith". */
  readonly explanation: string;
}

/** Stops a corrupt tree or an absurdly long chain from running away; real structures are far shallower. */
const MAX_DEPTH = 100;

/** Rank of stage roles, most senior first, to pick which of a person's posts names their manager. */
const SENIORITY: readonly RoleType[] = [
  'PARTNERSHIP_MANAGER',
  'SENIOR_MANAGER',
  'SAFEGUARDING_LEAD',
  'LINE_MANAGER',
  'PRACTITIONER',
];

const byName = (people: Map<string, OrgPerson>) => (a: string, b: string) =>
  (people.get(a)?.displayName ?? a).localeCompare(people.get(b)?.displayName ?? b) || a.localeCompare(b);

/**
 * Who owns a stage on one side, on a date: the holder of the role in the unit (walking up the unit tree to the
 * nearest unit that has one) → if absent, a deputy who is not absent → else the manager chain upwards
 * (manager_person_id of the holder's post, then of each manager's own post), skipping absent people → nobody,
 * with a reason. A cycle in the manager chain stops the walk; nothing ever loops.
 *
 * Several holders of the role in one unit: the first available one by name. A person whose posts name different
 * managers reports to the manager named on their most senior post.
 */
export function routeStageOwner(structure: OrgStructure, request: RouteRequest): RouteResult {
  if (!isIsoDate(request.on)) throw new RangeError('on must be a YYYY-MM-DD date');
  const units = new Map<string, OrgUnitNode>(structure.units.map((u) => [u.id, u]));
  const people = new Map<string, OrgPerson>(structure.people.map((p) => [p.id, p]));
  const nameOf = (id: string) => people.get(id)?.displayName ?? 'an unknown person';
  const steps: RouteStep[] = [];
  /** Units passed on the way up, then the post used ("LINE_MANAGER of Team A"), then what happened there. */
  const walk: string[] = [];
  let head: string | null = null;
  const notes: string[] = [];
  const done = (personId: string | null, failure: RouteFailure | null, holderUnitId: string | null) => ({
    personId,
    failure,
    holderUnitId,
    steps,
    explanation: [...walk, ...(head ? [`${head}: ${notes.join('; ')}`] : notes)].join('; '),
  });

  const start = units.get(request.orgUnitId);
  if (!start) {
    notes.push('the unit was not found');
    return done(null, 'UNIT_NOT_FOUND', null);
  }

  // 1. The nearest unit, from the relevant one upwards, with a holder of the role.
  let unit: OrgUnitNode | undefined = start;
  let holders: OrgPost[] = [];
  const seenUnits = new Set<string>();
  while (unit && !seenUnits.has(unit.id) && seenUnits.size < MAX_DEPTH) {
    seenUnits.add(unit.id);
    const here = unit.id;
    holders = structure.posts.filter((p) => p.orgUnitId === here && p.roleType === request.roleType);
    if (holders.length > 0) break;
    walk.push(`no ${request.roleType} in ${unit.name}`);
    unit = unit.parentId ? units.get(unit.parentId) : undefined;
  }
  if (!unit || holders.length === 0) {
    walk.length = 0;
    notes.push(`nobody holds ${request.roleType} in ${start.name} or any unit above it`);
    return done(null, 'NO_HOLDER', null);
  }
  const holderUnit: OrgUnitNode = unit;
  holders = [...holders].sort((a, b) => byName(people)(a.personId, b.personId));
  head = `${request.roleType} of ${holderUnit.name}`;

  const considered = new Set<string>();
  const absenceOf = (personId: string): OrgAbsence | undefined =>
    structure.absences
      .filter((a) => a.personId === personId && a.from <= request.on && request.on <= a.to)
      .sort((a, b) => b.to.localeCompare(a.to))[0];
  /** Considers one person; true when chosen. */
  const consider = (kind: RouteStepKind, personId: string, label: string): boolean => {
    const who = `${label}${nameOf(personId)}`;
    if (considered.has(personId)) {
      steps.push({ kind, personId, outcome: 'ALREADY_CONSIDERED' });
      return false;
    }
    considered.add(personId);
    const absence = absenceOf(personId);
    if (absence) {
      steps.push({ kind, personId, outcome: 'ABSENT', absence });
      notes.push(`${who} is absent (${absence.reason}) until ${absence.to}`);
      return false;
    }
    if (people.get(personId)?.disabled) {
      steps.push({ kind, personId, outcome: 'DISABLED' });
      notes.push(`${who} is disabled`);
      return false;
    }
    steps.push({ kind, personId, outcome: 'CHOSEN' });
    notes.push(who);
    return true;
  };

  // 2. A holder who is not absent.
  for (const post of holders) {
    if (consider('HOLDER', post.personId, '')) return done(post.personId, null, holderUnit.id);
  }
  // 3. A deputy of a holder who is not absent.
  for (const post of holders) {
    for (const deputy of [...post.deputyPersonIds].sort(byName(people))) {
      if (considered.has(deputy)) continue;
      if (consider('DEPUTY', deputy, 'deputy ')) return done(deputy, null, holderUnit.id);
    }
  }
  const hadDeputies = holders.some((p) => p.deputyPersonIds.length > 0);
  if (!hadDeputies) notes.push('no deputy');

  // 4. The manager chain, from the (first) holder's post upwards.
  const managerOf = (personId: string, post?: OrgPost): string | null => {
    if (post) return post.managerPersonId;
    const own = structure.posts
      .filter((p) => p.personId === personId && p.managerPersonId !== null)
      .sort(
        (a, b) =>
          rank(a.roleType) - rank(b.roleType) ||
          a.orgUnitId.localeCompare(b.orgUnitId) ||
          (a.managerPersonId ?? '').localeCompare(b.managerPersonId ?? ''),
      );
    return own[0]?.managerPersonId ?? null;
  };
  const chainVisited = new Set<string>(holders.map((p) => p.personId));
  let current = holders[0].personId;
  let next = managerOf(current, holders[0]);
  for (let depth = 0; depth < MAX_DEPTH; depth++) {
    if (next === null) {
      notes.push(
        depth === 0 ? `${nameOf(current)} has no manager` : `the manager chain ends at ${nameOf(current)}`,
      );
      return done(null, 'NOBODY_AVAILABLE', holderUnit.id);
    }
    if (chainVisited.has(next)) {
      steps.push({ kind: 'MANAGER', personId: next, outcome: 'ALREADY_CONSIDERED' });
      notes.push(`the manager chain loops back to ${nameOf(next)}: stopped`);
      return done(null, 'MANAGER_CYCLE', holderUnit.id);
    }
    chainVisited.add(next);
    if (considered.has(next)) {
      // A deputy who is also in the chain was absent already; keep walking above them.
      steps.push({ kind: 'MANAGER', personId: next, outcome: 'ALREADY_CONSIDERED' });
    } else if (consider('MANAGER', next, 'manager ')) {
      return done(next, null, holderUnit.id);
    }
    current = next;
    next = managerOf(current);
  }
  notes.push('the manager chain is too long: stopped');
  return done(null, 'NOBODY_AVAILABLE', holderUnit.id);
}

function rank(role: RoleType): number {
  const at = SENIORITY.indexOf(role);
  return at < 0 ? SENIORITY.length : at;
}
