import { Injectable } from '@nestjs/common';
import { AuditService } from '@hips/audit';
import { fail, hasRole, idOf, InputCheck, notFound, RequestContext } from '@hips/common';
import { assertCanManageAgency } from './agency-scope';
import {
  assertMayAssignRoleType,
  assertOwnPartnershipOnly,
  resolvePostTarget,
  SECOND_ADMIN_ROLES,
  writePost,
} from './post-rules';
import type { RoleType } from '@hips/core';
import { TenantDb } from '@hips/database';
import { generatePassword, hashPassword, PASSWORD_MIN_LENGTH } from './passwords';
import { Agency, OrgUnit, Person } from './dto/directory.model';
import type {
  AssignRoleInput,
  CreateAgencyInput,
  CreateOrgUnitInput,
  InvitePersonInput,
  RevokeRoleInput,
} from './dto/directory.input';
import { toAgency, toOrgUnit, toPerson } from './mappers';
import { AgencyMembershipRepository } from './persistence/agency-membership.repository';
import { DirectoryRepository } from './persistence/directory.repository';
import { PostsRepository } from './persistence/posts.repository';
import { isUniqueViolation } from '@hips/database';

// Kept here for the libraries that import it from this module.
export { assertCanManageAgency } from './agency-scope';

function duplicateEmail(): never {
  return fail('DUPLICATE', 'A person with this e-mail already exists', ['input', 'email']);
}

@Injectable()
export class DirectoryAdminService {
  constructor(
    private readonly db: TenantDb,
    private readonly audit: AuditService,
    private readonly memberships: AgencyMembershipRepository,
    private readonly directory: DirectoryRepository,
    private readonly posts: PostsRepository,
  ) {}

  async createAgency(ctx: RequestContext, input: CreateAgencyInput): Promise<{ agency: Agency }> {
    new InputCheck()
      .text(input.name, ['input', 'name'], { max: 200, label: 'name' })
      .that(input.partnerships.length > 0, ['input', 'partnerships'], 'name at least one partnership')
      .done();
    if (!hasRole(ctx, 'PARTNERSHIP_ADMIN')) fail('FORBIDDEN', 'Only a partnership admin may create agencies');
    if (input.partnerships.some((code) => String(code) !== ctx.partnershipCode)) {
      fail('OUT_OF_SCOPE', `You administer ${ctx.partnershipCode} only`, ['input', 'partnerships']);
    }
    return this.db.transaction(ctx, async (uow) => {
      const row = await this.directory.insertAgency(uow, { name: input.name.trim(), type: input.type });
      await this.memberships.add(uow, row.id);
      await this.audit.record(uow.em, ctx, {
        action: 'AGENCY_CREATED',
        entityType: 'Agency',
        entityId: row.id,
      });
      return { agency: toAgency(row) };
    });
  }

  async createOrgUnit(ctx: RequestContext, input: CreateOrgUnitInput): Promise<{ orgUnit: OrgUnit }> {
    new InputCheck().text(input.name, ['input', 'name'], { max: 200, label: 'name' }).done();
    return this.db.transaction(ctx, async (uow) => {
      const agencyId = await assertCanManageAgency(uow.em, ctx, idOf(input.agencyId, 'Agency'), [
        'input',
        'agencyId',
      ]);
      let parentId: string | null = null;
      if (input.parentId) {
        parentId = idOf(input.parentId, 'OrgUnit');
        const inAgency = parentId ? await this.directory.orgUnitInAgency(uow, parentId, agencyId) : false;
        if (!inAgency) notFound('Parent unit in this agency', ['input', 'parentId']);
      }
      const row = await this.directory.insertOrgUnit(uow, { agencyId, parentId, name: input.name.trim() });
      await this.audit.record(uow.em, ctx, {
        action: 'ORG_UNIT_CREATED',
        entityType: 'OrgUnit',
        entityId: row.id,
      });
      return { orgUnit: toOrgUnit(row) };
    });
  }

  async invitePerson(
    ctx: RequestContext,
    input: InvitePersonInput,
  ): Promise<{ person: Person; initialPassword: string | null }> {
    const check = new InputCheck()
      .email(input.email, ['input', 'email'])
      .text(input.displayName, ['input', 'displayName'], { max: 200, label: 'displayName' });
    if (input.password !== null && input.password !== undefined) {
      check.that(
        input.password.length >= PASSWORD_MIN_LENGTH && input.password.length <= 200,
        ['input', 'password'],
        `password must be ${PASSWORD_MIN_LENGTH} to 200 characters`,
      );
    }
    check.done();
    const initialPassword = input.password ? null : generatePassword();
    const passwordHash = await hashPassword(input.password ?? initialPassword ?? '');
    return this.db.transaction(ctx, async (uow) => {
      const agencyId = await assertCanManageAgency(uow.em, ctx, idOf(input.agencyId, 'Agency'), [
        'input',
        'agencyId',
      ]);
      // Only people this partnership can already see are duplicates. An account of the same e-mail elsewhere is
      // neither looked at nor revealed: this partnership gets an account of its own, exactly as for a new
      // address (docs/security/authentication.md, "Inviting people").
      const email = input.email.trim().toLowerCase();
      if (await this.directory.emailVisible(uow, email)) duplicateEmail();
      const row = await this.directory
        .insertPerson(uow, { email, displayName: input.displayName.trim(), agencyId, passwordHash })
        .catch((error: unknown) => {
          // A concurrent invitation of the same e-mail by this partnership (unique per e-mail and partnership).
          if (isUniqueViolation(error)) duplicateEmail();
          throw error;
        });
      await this.audit.record(uow.em, ctx, {
        action: 'PERSON_INVITED',
        entityType: 'Person',
        entityId: row.id,
      });
      return { person: toPerson(row), initialPassword };
    });
  }

  /**
   * Gives a post directly. Roles that see cases or administer the partnership need a second admin
   * (SECOND_ADMIN_REQUIRED: use requestRoleGrant); nobody gives a post to themselves (SELF_GRANT).
   */
  async assignRole(ctx: RequestContext, input: AssignRoleInput): Promise<{ person: Person }> {
    const roleType = input.roleType as RoleType;
    assertOwnPartnershipOnly(ctx, input.partnerships, 'Posts can be assigned');
    assertMayAssignRoleType(ctx, roleType);
    return this.db.run(ctx, async (em) => {
      const target = await resolvePostTarget(em, ctx, {
        personId: idOf(input.personId, 'Person'),
        orgUnitId: idOf(input.orgUnitId, 'OrgUnit'),
        roleType,
        managerId: managerIdOf(input.managerPersonId),
      });
      if (SECOND_ADMIN_ROLES.includes(roleType)) {
        fail(
          'SECOND_ADMIN_REQUIRED',
          `${roleType} is granted only with a second admin's approval: use requestRoleGrant`,
          ['input', 'roleType'],
        );
      }
      await writePost(em, ctx, this.audit, target);
      return { person: toPerson(target.person) };
    });
  }

  /** Takes a post away (its deputies go with it). Removing access needs no second admin. */
  async revokeRole(ctx: RequestContext, input: RevokeRoleInput): Promise<{ person: Person }> {
    const roleType = input.roleType as RoleType;
    assertMayAssignRoleType(ctx, roleType);
    return this.db.transaction(ctx, async (uow) => {
      const unitId = idOf(input.orgUnitId, 'OrgUnit');
      const [unit] = unitId ? await this.directory.orgUnitsByIds(uow, [unitId]) : [];
      if (!unit) notFound('Organisational unit', ['input', 'orgUnitId']);
      await assertCanManageAgency(uow.em, ctx, unit.agency_id, ['input', 'orgUnitId']);
      const personId = idOf(input.personId, 'Person');
      const [person] = personId ? await this.directory.peopleByIds(uow, [personId]) : [];
      if (!person) notFound('Person', ['input', 'personId']);
      const removed = await this.posts.remove(uow, { personId: person.id, orgUnitId: unit.id, roleType });
      if (!removed) notFound(`${roleType} post of this person in this unit`, ['input', 'roleType']);
      await this.audit.record(uow.em, ctx, {
        action: 'ROLE_REVOKED',
        entityType: 'Person',
        entityId: person.id,
        detail: { roleType, orgUnitId: unit.id, managerPersonId: removed.manager_person_id },
      });
      return { person: toPerson(person) };
    });
  }
}

/** The manager named in an input: null when none; an unknown or malformed id is answered as not found. */
export function managerIdOf(globalId: string | null | undefined): string | null {
  if (!globalId) return null;
  const id = idOf(globalId, 'Person');
  if (!id) notFound('Manager', ['input', 'managerPersonId']);
  return id;
}
