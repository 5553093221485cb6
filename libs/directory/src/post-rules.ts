import type { EntityManager } from 'typeorm';
import type { AuditService } from '@hips/audit';
import { fail, hasRole, notFound, RequestContext } from '@hips/common';
import type { RoleType } from '@hips/core';
import { assertCanManageAgency } from './agency-scope';
import type { OrgUnitRow, PersonRow } from './mappers';

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
  const [unit]: OrgUnitRow[] = input.orgUnitId
    ? await em.query('select * from org_units where id = $1', [input.orgUnitId])
    : [];
  if (!unit) notFound('Organisational unit', ['input', 'orgUnitId']);
  await assertCanManageAgency(em, ctx, unit.agency_id, ['input', 'orgUnitId']);
  const [person]: PersonRow[] = input.personId
    ? await em.query('select * from people where id = $1', [input.personId])
    : [];
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
  const [manager]: PersonRow[] = await em.query('select * from people where id = $1', [managerId]);
  if (!manager) notFound('Manager', field);
  if (manager.id === personId) fail('VALIDATION', 'A person cannot be their own manager', field);
  if (manager.id === ctx.personId) {
    fail('SELF_GRANT', 'Nobody may make themselves a manager; another admin must do it', field);
  }
  const posts: unknown[] = await em.query(
    `select 1 from role_assignments ra join org_units u on u.id = ra.org_unit_id
      where ra.partnership_id = $1 and ra.person_id = $2 and u.agency_id = $3 limit 1`,
    [ctx.partnershipId, manager.id, agencyId],
  );
  if (manager.agency_id !== agencyId || posts.length === 0) {
    fail('MANAGER_OUT_OF_AGENCY', 'The manager must hold a post in the same agency as the person', field);
  }
  await em.query(`select pg_advisory_xact_lock(hashtextextended('manager-chain:' || $1::text, 0))`, [
    ctx.partnershipId,
  ]);
  const above = await managersAbove(em, ctx.partnershipId, manager.id);
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
export async function managersAbove(
  em: EntityManager,
  partnershipId: string,
  personId: string,
): Promise<Set<string>> {
  const rows: { person_id: string }[] = await em.query(
    `with recursive up(person_id, depth) as (
       select manager_person_id, 1 from role_assignments
        where partnership_id = $1 and person_id = $2 and manager_person_id is not null
       union
       select ra.manager_person_id, u.depth + 1 from up u
         join role_assignments ra on ra.partnership_id = $1 and ra.person_id = u.person_id
        where ra.manager_person_id is not null and u.depth < 50
     ) select distinct person_id from up`,
    [partnershipId, personId],
  );
  return new Set(rows.map((r) => r.person_id));
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
  const [existing]: { id: string; manager_person_id: string | null }[] = await em.query(
    `select id, manager_person_id from role_assignments
      where partnership_id = $1 and person_id = $2 and org_unit_id = $3 and role_type = $4 for update`,
    [ctx.partnershipId, person.id, unit.id, roleType],
  );
  if (existing && existing.manager_person_id === managerId) return;
  await em.query(
    `insert into role_assignments (partnership_id, person_id, org_unit_id, role_type, manager_person_id)
     values ($1, $2, $3, $4, $5)
     on conflict (partnership_id, person_id, org_unit_id, role_type)
     do update set manager_person_id = excluded.manager_person_id`,
    [ctx.partnershipId, person.id, unit.id, roleType, managerId],
  );
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
