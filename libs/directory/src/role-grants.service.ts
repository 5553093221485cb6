import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AuditService } from '@hips/audit';
import {
  fail,
  hasRole,
  idOf,
  InputCheck,
  notFound,
  PartnershipCode,
  RequestContext,
  RoleTypeEnum,
  toGlobalId,
} from '@hips/common';
import { APP_CONFIG, AppConfig } from '@hips/config';
import type { RoleType } from '@hips/core';
import { TenantDb } from '@hips/database';
import { managerIdOf } from './directory-admin.service';
import type {
  ApproveRoleGrantInput,
  DeclineRoleGrantInput,
  RequestRoleGrantInput,
} from './dto/role-grants.input';
import { assertMayAssignRoleType, resolvePostTarget, SECOND_ADMIN_ROLES, writePost } from './post-rules';
import { RoleGrant, RoleGrantStatus } from './dto/role-grants.model';

interface GrantRow {
  id: string;
  person_id: string;
  org_unit_id: string;
  role_type: string;
  manager_person_id: string | null;
  /** PENDING past expires_at is reported as EXPIRED (see GRANT_COLUMNS). */
  status: RoleGrantStatus;
  requested_by_person_id: string;
  requested_at: Date;
  expires_at: Date;
  decided_by_person_id: string | null;
  decided_at: Date | null;
  decline_reason: string | null;
}

/** Expiry is computed on read, so nothing has to sweep pending requests for them to stop being approvable. */
const GRANT_COLUMNS = `id, person_id, org_unit_id, role_type, manager_person_id,
  case when status = 'PENDING' and expires_at <= now() then 'EXPIRED' else status end as status,
  requested_by_person_id, requested_at, expires_at, decided_by_person_id, decided_at, decline_reason`;

const GRANT_FIELD = ['input', 'grantId'];

function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: string }).code === '23505';
}

/**
 * Four-eyes grants of the roles in SECOND_ADMIN_ROLES (docs/security/separation-of-duties.md): one partnership
 * admin requests, a different one approves, and only then is the post written. The grantee can neither request
 * nor approve their own grant.
 */
@Injectable()
export class RoleGrantsService {
  constructor(
    private readonly db: TenantDb,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async request(ctx: RequestContext, input: RequestRoleGrantInput): Promise<{ grant: RoleGrant }> {
    const roleType = input.roleType as RoleType;
    new InputCheck()
      .that(input.partnerships.length > 0, ['input', 'partnerships'], 'name at least one partnership')
      .done();
    if (input.partnerships.some((code) => String(code) !== ctx.partnershipCode)) {
      fail('OUT_OF_SCOPE', `Grants can be requested for ${ctx.partnershipCode} only from this login`, [
        'input',
        'partnerships',
      ]);
    }
    this.assertAdmin(ctx);
    assertMayAssignRoleType(ctx, roleType);
    if (!SECOND_ADMIN_ROLES.includes(roleType)) {
      fail('VALIDATION', `${roleType} needs no second admin: use assignRole`, ['input', 'roleType']);
    }
    return this.db.run(ctx, async (em) => {
      const target = await resolvePostTarget(em, ctx, {
        personId: idOf(input.personId, 'Person'),
        orgUnitId: idOf(input.orgUnitId, 'OrgUnit'),
        roleType,
        managerId: managerIdOf(input.managerPersonId),
      });
      const held: unknown[] = await em.query(
        `select 1 from role_assignments
          where partnership_id = $1 and person_id = $2 and org_unit_id = $3 and role_type = $4`,
        [ctx.partnershipId, target.person.id, target.unit.id, roleType],
      );
      if (held.length > 0) fail('DUPLICATE', 'The person already holds this post', ['input', 'roleType']);
      // An expired request would still hold the unique index of pending ones: mark it expired first.
      await em.query(
        `update role_grant_requests set status = 'EXPIRED'
          where partnership_id = $1 and person_id = $2 and org_unit_id = $3 and role_type = $4
            and status = 'PENDING' and expires_at <= now()`,
        [ctx.partnershipId, target.person.id, target.unit.id, roleType],
      );
      const rows = await em
        .query<GrantRow[]>(
          `insert into role_grant_requests (partnership_id, person_id, org_unit_id, role_type, manager_person_id,
             requested_by_person_id, expires_at)
           values ($1, $2, $3, $4, $5, $6, now() + make_interval(hours => $7)) returning ${GRANT_COLUMNS}`,
          [
            ctx.partnershipId,
            target.person.id,
            target.unit.id,
            roleType,
            target.managerId,
            ctx.personId,
            this.config.roleGrantTtlHours,
          ],
        )
        .catch((error: unknown) => {
          if (isUniqueViolation(error)) {
            fail('DUPLICATE', 'This grant is already waiting for approval', ['input', 'roleType']);
          }
          throw error;
        });
      const row = rows[0];
      await this.audit.record(em, ctx, {
        action: 'ROLE_GRANT_REQUESTED',
        entityType: 'Person',
        entityId: row.person_id,
        detail: {
          grantId: row.id,
          roleType,
          orgUnitId: row.org_unit_id,
          managerPersonId: row.manager_person_id,
        },
      });
      return { grant: this.toGrant(ctx, row) };
    });
  }

  /** The second admin's approval: the post is written now, with every check of assignRole run again. */
  async approve(ctx: RequestContext, input: ApproveRoleGrantInput): Promise<{ grant: RoleGrant }> {
    this.assertAdmin(ctx);
    return this.db.run(ctx, async (em) => {
      const grant = await this.pending(em, ctx, input.grantId);
      if (grant.person_id === ctx.personId) {
        fail('SELF_GRANT', 'The grantee cannot approve their own grant', GRANT_FIELD);
      }
      if (grant.requested_by_person_id === ctx.personId) {
        fail(
          'SECOND_ADMIN_REQUIRED',
          'A grant is approved by a second admin, not by the one who requested it',
          GRANT_FIELD,
        );
      }
      const roleType = grant.role_type as RoleType;
      const target = await resolvePostTarget(em, ctx, {
        personId: grant.person_id,
        orgUnitId: grant.org_unit_id,
        roleType,
        managerId: grant.manager_person_id,
      });
      const [row]: GrantRow[] = await em.query(
        `with decided as (update role_grant_requests set status = 'APPROVED', decided_by_person_id = $3,
           decided_at = now() where partnership_id = $1 and id = $2 returning *) select ${GRANT_COLUMNS} from decided`,
        [ctx.partnershipId, grant.id, ctx.personId],
      );
      await this.audit.record(em, ctx, {
        action: 'ROLE_GRANT_APPROVED',
        entityType: 'Person',
        entityId: grant.person_id,
        detail: {
          grantId: grant.id,
          roleType,
          orgUnitId: grant.org_unit_id,
          requestedByPersonId: grant.requested_by_person_id,
        },
      });
      await writePost(em, ctx, this.audit, target, {
        grantId: grant.id,
        requestedByPersonId: grant.requested_by_person_id,
      });
      return { grant: this.toGrant(ctx, row) };
    });
  }

  /** Any partnership admin may decline (the requester withdraws, a reviewer refuses); nothing is granted. */
  async decline(ctx: RequestContext, input: DeclineRoleGrantInput): Promise<{ grant: RoleGrant }> {
    const reason = input.reason?.trim() || null;
    new InputCheck()
      .that((reason?.length ?? 0) <= 500, ['input', 'reason'], 'reason must be at most 500 characters')
      .done();
    this.assertAdmin(ctx);
    return this.db.run(ctx, async (em) => {
      const grant = await this.pending(em, ctx, input.grantId);
      const [row]: GrantRow[] = await em.query(
        `with decided as (update role_grant_requests set status = 'DECLINED', decided_by_person_id = $3,
           decided_at = now(), decline_reason = $4 where partnership_id = $1 and id = $2 returning *)
         select ${GRANT_COLUMNS} from decided`,
        [ctx.partnershipId, grant.id, ctx.personId, reason],
      );
      await this.audit.record(em, ctx, {
        action: 'ROLE_GRANT_DECLINED',
        entityType: 'Person',
        entityId: grant.person_id,
        detail: { grantId: grant.id, roleType: grant.role_type, orgUnitId: grant.org_unit_id, reason },
      });
      return { grant: this.toGrant(ctx, row) };
    });
  }

  /** Grants of the partnership in one status (default PENDING), newest first; PARTNERSHIP_ADMIN (resolver). */
  async list(ctx: RequestContext, status: RoleGrantStatus): Promise<RoleGrant[]> {
    const rows: GrantRow[] = await this.db.run(ctx, (em) =>
      em.query(
        `select * from (select ${GRANT_COLUMNS} from role_grant_requests where partnership_id = $1) g
          where g.status = $2 order by g.requested_at desc, g.id limit 200`,
        [ctx.partnershipId, status],
      ),
    );
    return rows.map((r) => this.toGrant(ctx, r));
  }

  private assertAdmin(ctx: RequestContext): void {
    if (!ctx.personId || !hasRole(ctx, 'PARTNERSHIP_ADMIN')) {
      fail('FORBIDDEN', 'Only a partnership admin may request or decide role grants');
    }
  }

  /** The grant, locked, still pending and not expired. */
  private async pending(em: EntityManager, ctx: RequestContext, globalId: string): Promise<GrantRow> {
    const id = idOf(globalId, 'RoleGrant');
    const [grant]: GrantRow[] = id
      ? await em.query(
          `select ${GRANT_COLUMNS} from role_grant_requests where partnership_id = $1 and id = $2 for update`,
          [ctx.partnershipId, id],
        )
      : [];
    if (!grant) notFound('Role grant', GRANT_FIELD);
    if (grant.status === RoleGrantStatus.EXPIRED) {
      fail('GRANT_EXPIRED', 'The grant expired before it was approved; request it again', GRANT_FIELD);
    }
    if (grant.status !== RoleGrantStatus.PENDING) {
      fail('INVALID_STATE', `The grant was already ${grant.status.toLowerCase()}`, GRANT_FIELD);
    }
    return grant;
  }

  private toGrant(ctx: RequestContext, r: GrantRow): RoleGrant {
    return {
      id: toGlobalId('RoleGrant', r.id),
      uuid: r.id,
      personUuid: r.person_id,
      orgUnitUuid: r.org_unit_id,
      managerUuid: r.manager_person_id,
      requestedByUuid: r.requested_by_person_id,
      decidedByUuid: r.decided_by_person_id,
      roleType: r.role_type as RoleTypeEnum,
      partnership: ctx.partnershipCode as PartnershipCode,
      status: r.status,
      requestedAt: r.requested_at,
      expiresAt: r.expires_at,
      decidedAt: r.decided_at,
      declineReason: r.decline_reason,
    };
  }
}
