import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AuditService } from '@hips/audit';
import { fail, hasRole, idOf, InputCheck, notFound, RequestContext } from '@hips/common';
import type { RoleType } from '@hips/core';
import { TenantDb } from '@hips/database';
import { generatePassword, hashPassword, PASSWORD_MIN_LENGTH } from './passwords';
import { Agency, OrgUnit, Person } from './directory.models';
import type {
  AssignRoleInput,
  CreateAgencyInput,
  CreateOrgUnitInput,
  InvitePersonInput,
} from './dto/directory.inputs';
import { AgencyRow, OrgUnitRow, PersonRow, toAgency, toOrgUnit, toPerson } from './mappers';

/** Roles an AGENCY_ADMIN may hand out within its agency; the rest need a PARTNERSHIP_ADMIN. */
const AGENCY_ASSIGNABLE: RoleType[] = [
  'PRACTITIONER',
  'LINE_MANAGER',
  'SAFEGUARDING_LEAD',
  'SENIOR_MANAGER',
  'AGENCY_ADMIN',
];
/** HIPS-wide roles are granted by operations (seed), never through a partnership's admin. */
const NOT_ASSIGNABLE: RoleType[] = ['HIPS_ANALYST'];

/**
 * Who may manage an agency's structure: a PARTNERSHIP_ADMIN for agencies of its partnership, an AGENCY_ADMIN for
 * its own agency. Must be called inside the tenant transaction (the agency row is read under RLS).
 */
export async function assertCanManageAgency(
  em: EntityManager,
  ctx: RequestContext,
  agencyId: string | null,
  field: string[],
): Promise<string> {
  const rows: unknown[] = agencyId
    ? await em.query(
        `select 1 from agencies a join agency_memberships m on m.agency_id = a.id and m.partnership_id = $2
         where a.id = $1`,
        [agencyId, ctx.partnershipId],
      )
    : [];
  if (!agencyId || rows.length === 0) notFound('Agency', field);
  if (hasRole(ctx, 'PARTNERSHIP_ADMIN')) return agencyId;
  if (hasRole(ctx, 'AGENCY_ADMIN') && ctx.agencyId === agencyId) return agencyId;
  return fail('FORBIDDEN', 'Only a partnership admin, or an admin of this agency, may do this', field);
}

function duplicateEmail(): never {
  return fail('DUPLICATE', 'A person with this e-mail already exists', ['input', 'email']);
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: string }).code === '23505';
}

@Injectable()
export class DirectoryAdminService {
  constructor(
    private readonly db: TenantDb,
    private readonly audit: AuditService,
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
    return this.db.run(ctx, async (em) => {
      const [row]: AgencyRow[] = await em.query(
        `insert into agencies (name, type, registered_by_partnership_id) values ($1, $2, $3) returning *`,
        [input.name.trim(), input.type, ctx.partnershipId],
      );
      await em.query('insert into agency_memberships (partnership_id, agency_id) values ($1, $2)', [
        ctx.partnershipId,
        row.id,
      ]);
      await this.audit.record(em, ctx, { action: 'AGENCY_CREATED', entityType: 'Agency', entityId: row.id });
      return { agency: toAgency(row) };
    });
  }

  async createOrgUnit(ctx: RequestContext, input: CreateOrgUnitInput): Promise<{ orgUnit: OrgUnit }> {
    new InputCheck().text(input.name, ['input', 'name'], { max: 200, label: 'name' }).done();
    return this.db.run(ctx, async (em) => {
      const agencyId = await assertCanManageAgency(em, ctx, idOf(input.agencyId, 'Agency'), [
        'input',
        'agencyId',
      ]);
      let parentId: string | null = null;
      if (input.parentId) {
        parentId = idOf(input.parentId, 'OrgUnit');
        const parent: unknown[] = parentId
          ? await em.query('select 1 from org_units where id = $1 and agency_id = $2', [parentId, agencyId])
          : [];
        if (parent.length === 0) notFound('Parent unit in this agency', ['input', 'parentId']);
      }
      const [row]: OrgUnitRow[] = await em.query(
        'insert into org_units (agency_id, parent_id, name) values ($1, $2, $3) returning *',
        [agencyId, parentId, input.name.trim()],
      );
      await this.audit.record(em, ctx, {
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
    return this.db.run(ctx, async (em) => {
      const agencyId = await assertCanManageAgency(em, ctx, idOf(input.agencyId, 'Agency'), [
        'input',
        'agencyId',
      ]);
      // Only people this partnership can already see are duplicates. An account of the same e-mail elsewhere is
      // neither looked at nor revealed: this partnership gets an account of its own, exactly as for a new
      // address (docs/security/authentication.md, "Inviting people").
      const email = input.email.trim().toLowerCase();
      const visible: unknown[] = await em.query('select 1 from people where email = $1', [email]);
      if (visible.length > 0) duplicateEmail();
      const rows = await em
        .query<PersonRow[]>(
          `insert into people (email, display_name, agency_id, home_partnership_id, password_hash)
           values ($1, $2, $3, $4, $5) returning *`,
          [email, input.displayName.trim(), agencyId, ctx.partnershipId, passwordHash],
        )
        .catch((error: unknown) => {
          // A concurrent invitation of the same e-mail by this partnership (unique per e-mail and partnership).
          if (isUniqueViolation(error)) duplicateEmail();
          throw error;
        });
      const row = rows[0];
      await this.audit.record(em, ctx, { action: 'PERSON_INVITED', entityType: 'Person', entityId: row.id });
      return { person: toPerson(row), initialPassword };
    });
  }

  async assignRole(ctx: RequestContext, input: AssignRoleInput): Promise<{ person: Person }> {
    const roleType = input.roleType as RoleType;
    new InputCheck()
      .that(input.partnerships.length > 0, ['input', 'partnerships'], 'name at least one partnership')
      .done();
    if (input.partnerships.some((code) => String(code) !== ctx.partnershipCode)) {
      fail('OUT_OF_SCOPE', `Posts can be assigned for ${ctx.partnershipCode} only from this login`, [
        'input',
        'partnerships',
      ]);
    }
    if (NOT_ASSIGNABLE.includes(roleType)) {
      fail('FORBIDDEN', `${roleType} is granted by HIPS operations, not by a partnership`, [
        'input',
        'roleType',
      ]);
    }
    if (!hasRole(ctx, 'PARTNERSHIP_ADMIN') && !AGENCY_ASSIGNABLE.includes(roleType)) {
      fail('FORBIDDEN', `Only a partnership admin may assign ${roleType}`, ['input', 'roleType']);
    }
    return this.db.run(ctx, async (em) => {
      const unitId = idOf(input.orgUnitId, 'OrgUnit');
      const [unit]: OrgUnitRow[] = unitId
        ? await em.query('select * from org_units where id = $1', [unitId])
        : [];
      if (!unit) notFound('Organisational unit', ['input', 'orgUnitId']);
      await assertCanManageAgency(em, ctx, unit.agency_id, ['input', 'orgUnitId']);
      const personId = idOf(input.personId, 'Person');
      const [person]: PersonRow[] = personId
        ? await em.query('select * from people where id = $1', [personId])
        : [];
      if (!person) notFound('Person', ['input', 'personId']);
      if (person.agency_id !== unit.agency_id) {
        fail('VALIDATION', 'The person and the unit belong to different agencies', ['input', 'orgUnitId']);
      }
      let managerId: string | null = null;
      if (input.managerPersonId) {
        managerId = idOf(input.managerPersonId, 'Person');
        const found: unknown[] = managerId
          ? await em.query('select 1 from people where id = $1', [managerId])
          : [];
        if (!managerId || found.length === 0) notFound('Manager', ['input', 'managerPersonId']);
        if (managerId === person.id)
          fail('VALIDATION', 'A person cannot be their own manager', ['input', 'managerPersonId']);
      }
      await em.query(
        `insert into role_assignments (partnership_id, person_id, org_unit_id, role_type, manager_person_id)
         values ($1, $2, $3, $4, $5)
         on conflict (partnership_id, person_id, org_unit_id, role_type)
         do update set manager_person_id = excluded.manager_person_id`,
        [ctx.partnershipId, person.id, unit.id, roleType, managerId],
      );
      await this.audit.record(em, ctx, {
        action: 'ROLE_ASSIGNED',
        entityType: 'Person',
        entityId: person.id,
        detail: { roleType, orgUnitId: unit.id, managerPersonId: managerId },
      });
      return { person: toPerson(person) };
    });
  }
}
