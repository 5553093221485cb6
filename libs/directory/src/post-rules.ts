import type { EntityManager } from 'typeorm';
import type { AuditService } from '@hips/audit';
import { fail, hasRole, InputCheck, notFound, RequestContext } from '@hips/common';
import type { RoleType } from '@hips/core';
import { UnitOfWork } from '@hips/database';
import { assertCanManageAgency } from './agency-scope';
import type { OrgUnitRow, PersonRow } from './mappers';
import { DirectoryRepository } from './persistence/directory.repository';
import { PostsRepository } from './persistence/posts.repository';

// Stateless repositories: these rules are plain functions called with the caller's transaction.
const directory = new DirectoryRepository();
const posts = new PostsRepository();

/**
 * The one home of who may give which post to whom, and who may be whose manager
 * (docs/security/separation-of-duties.md).
 */

/** Roles an AGENCY_ADMIN may hand out within its agency; the rest need a PARTNERSHIP_ADMIN. */
export const AGENCY_ASSIGNABLE: readonly RoleType[] = [
  'PRACTITIONER',
  'LINE_MANAGER',
  'SAFEGUARDING_LEAD',
  'SENIOR_MANAGER',
  'AGENCY_ADMIN',
];
/** HIPS-wide roles are granted by operations (seed), never through a partnership's admin. */
export const NOT_ASSIGNABLE: readonly RoleType[] = ['HIPS_ANALYST'];
/**
 * Roles that see every case with the child's identifiers (PARTNERSHIP_MANAGER, SCRUTINEER) or hand out roles across
 * the partnership (PARTNERSHIP_ADMIN: otherwise one admin could make a second account of their own an admin and
 * approve with it). Granted only through requestRoleGrant and a second admin's approval.
 */
export const SECOND_ADMIN_ROLES: readonly RoleType[] = [
  'PARTNERSHIP_MANAGER',
  'SCRUTINEER',
  'PARTNERSHIP_ADMIN',
];

const ROLE_FIELD = ['input', 'roleType'];

/**
 * A post or grant is for the login's own partnership only: `partnerships` names at least one and only that one;
 * `what` starts the refusal ("Posts can be assigned", "Grants can be requested").
 */
export function assertOwnPartnershipOnly(
  ctx: RequestContext,
  partnerships: readonly string[],
  what: string,
): void {
  new InputCheck()
    .that(partnerships.length > 0, ['input', 'partnerships'], 'name at least one partnership')
    .done();
  if (partnerships.some((code) => String(code) !== ctx.partnershipCode)) {
    fail('OUT_OF_SCOPE', `${what} for ${ctx.partnershipCode} only from this login`, [
      'input',
      'partnerships',
    ]);
  }
}

/** The caller may hand out (or take back) this role type at all: operations-only roles, AGENCY_ADMIN's limits. */
export function assertMayAssignRoleType(ctx: RequestContext, roleType: RoleType): void {
  if (NOT_ASSIGNABLE.includes(roleType)) {
    fail('FORBIDDEN', `${roleType} is granted by HIPS operations, not by a partnership`, ROLE_FIELD);
  }
  if (!hasRole(ctx, 'PARTNERSHIP_ADMIN') && !AGENCY_ASSIGNABLE.includes(roleType)) {
    fail('FORBIDDEN', `Only a partnership admin may assign ${roleType}`, ROLE_FIELD);
  }
}

/** A post to write: holder, unit, role type and manager, each checked. Ids are uuids. */
export interface PostTarget {
  person: PersonRow;
  unit: OrgUnitRow;
  roleType: RoleType;
  managerId: string | null;
}

/**
 * Loads and checks a post before it is written: the caller manages the unit's agency, the holder belongs to it and
 * is not the caller (SELF_GRANT), and the manager passes {@link assertManagerAllowed}. Runs in the tenant transaction.
 */
export async function resolvePostTarget(
  em: EntityManager,
  ctx: RequestContext,
  input: { personId: string | null; orgUnitId: string | null; roleType: RoleType; managerId: string | null },
): Promise<PostTarget> {
  const uow = new UnitOfWork(ctx, em);
  const [unit]: OrgUnitRow[] = input.orgUnitId ? await directory.orgUnitsByIds(uow, [input.orgUnitId]) : [];
  if (!unit) notFound('Organisational unit', ['input', 'orgUnitId']);
  await assertCanManageAgency(em, ctx, unit.agency_id, ['input', 'orgUnitId']);
  const [person]: PersonRow[] = input.personId ? await directory.peopleByIds(uow, [input.personId]) : [];
  if (!person) notFound('Person', ['input', 'personId']);
  if (person.agency_id !== unit.agency_id) {
    fail('VALIDATION', 'The person and the unit belong to different agencies', ['input', 'orgUnitId']);
  }
  if (person.id === ctx.personId) {
    fail('SELF_GRANT', 'Nobody may give a post to themselves; another admin must do it', [
      'input',
      'personId',
    ]);
  }
  if (input.managerId !== null)
    await assertManagerAllowed(em, ctx, person.id, unit.agency_id, input.managerId);
  return { person, unit, roleType: input.roleType, managerId: input.managerId };
}

/**
 * A manager sees the cases of everyone below them (libs/escalations reportsOfViewer), so naming one is a grant:
 * - the manager exists in the tenant and is not the person;
 * - the manager holds a post of this partnership in the person's agency (MANAGER_OUT_OF_AGENCY);
 * - the chain stays acyclic: the person is not already above the manager (MANAGER_CYCLE);
 * - the caller does not end up above the person: neither the manager nor anyone up the manager's chain
 *   (SELF_GRANT).
 * Manager-chain changes of one partnership are serialised (advisory lock) so two concurrent changes cannot close a
 * loop that neither saw.
 */
export async function assertManagerAllowed(
  em: EntityManager,
  ctx: RequestContext,
  personId: string,
  agencyId: string,
  managerId: string,
): Promise<void> {
  const field = ['input', 'managerPersonId'];
  const uow = new UnitOfWork(ctx, em);
  const [manager]: PersonRow[] = await directory.peopleByIds(uow, [managerId]);
  if (!manager) notFound('Manager', field);
  if (manager.id === personId) fail('VALIDATION', 'A person cannot be their own manager', field);
  if (manager.id === ctx.personId) {
    fail('SELF_GRANT', 'Nobody may make themselves a manager; another admin must do it', field);
  }
  const holdsPost = await posts.holdsPostInAgency(uow, manager.id, agencyId);
  if (manager.agency_id !== agencyId || !holdsPost) {
    fail('MANAGER_OUT_OF_AGENCY', 'The manager must hold a post in the same agency as the person', field);
  }
  await posts.lockManagerChains(uow);
  const above = await posts.managerIdsAbove(uow, manager.id);
  if (above.has(personId)) {
    fail('MANAGER_CYCLE', 'The person is already above this manager: the chain would loop', field);
  }
  if (ctx.personId && above.has(ctx.personId)) {
    fail(
      'SELF_GRANT',
      'This would place you above the person in the manager chain; another admin must do it',
      field,
    );
  }
}

/**
 * Everyone up a person's manager chain in the partnership (any of their posts), bounded like the routing walk. The
 * one home of "who is above whom": separation of duties checks it, and case access (a stage owner's managers see
 * the case and the child) reads it.
 */
export function managersAbove(
  em: EntityManager,
  partnershipId: string,
  personId: string,
): Promise<Set<string>> {
  return posts.managerIdsAbove({ partnershipId, query: (sql, params) => em.query(sql, params) }, personId);
}

/** {@link managersAbove} in a unit of work. */
export function managersAboveIn(uow: UnitOfWork, personId: string): Promise<Set<string>> {
  return posts.managerIdsAbove(uow, personId);
}

/**
 * Writes the post (insert, or a new manager for an existing one) and audits it in the same transaction:
 * ROLE_ASSIGNED for a new post, MANAGER_CHANGED when only the manager changed; nothing when nothing changed.
 */
export async function writePost(
  em: EntityManager,
  ctx: RequestContext,
  audit: AuditService,
  target: PostTarget,
  detail: Record<string, unknown> = {},
): Promise<void> {
  const { person, unit, roleType, managerId } = target;
  const uow = new UnitOfWork(ctx, em);
  const post = { personId: person.id, orgUnitId: unit.id, roleType };
  const existing = await posts.lockPost(uow, post);
  if (existing && existing.manager_person_id === managerId) return;
  await posts.upsert(uow, { ...post, managerId });
  await audit.record(em, ctx, {
    action: existing ? 'MANAGER_CHANGED' : 'ROLE_ASSIGNED',
    entityType: 'Person',
    entityId: person.id,
    detail: {
      roleType,
      orgUnitId: unit.id,
      managerPersonId: managerId,
      ...(existing ? { previousManagerPersonId: existing.manager_person_id } : {}),
      ...detail,
    },
  });
}
