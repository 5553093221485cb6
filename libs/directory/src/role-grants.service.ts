import { Inject, Injectable } from '@nestjs/common';
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
import { TenantDb, UnitOfWork } from '@hips/database';
import { managerIdOf } from './directory-admin.service';
import type {
  ApproveRoleGrantInput,
  DeclineRoleGrantInput,
  RequestRoleGrantInput,
} from './dto/role-grants.input';
import { GrantRow, RoleGrantsRepository } from './persistence/role-grants.repository';
import { PostsRepository } from './persistence/posts.repository';
import { isUniqueViolation } from '@hips/database';
import {
  assertMayAssignRoleType,
  assertOwnPartnershipOnly,
  resolvePostTarget,
  SECOND_ADMIN_ROLES,
  writePost,
} from './post-rules';
import { RoleGrant, RoleGrantStatus } from './dto/role-grants.model';

const GRANT_FIELD = ['input', 'grantId'];

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
    private readonly grants: RoleGrantsRepository,
    private readonly posts: PostsRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async request(ctx: RequestContext, input: RequestRoleGrantInput): Promise<{ grant: RoleGrant }> {
    const roleType = input.roleType as RoleType;
    assertOwnPartnershipOnly(ctx, input.partnerships, 'Grants can be requested');
    this.assertAdmin(ctx);
    assertMayAssignRoleType(ctx, roleType);
    if (!SECOND_ADMIN_ROLES.includes(roleType)) {
      fail('VALIDATION', `${roleType} needs no second admin: use assignRole`, ['input', 'roleType']);
    }
    return this.db.transaction(ctx, async (uow) => {
      const target = await resolvePostTarget(uow.em, ctx, {
        personId: idOf(input.personId, 'Person'),
        orgUnitId: idOf(input.orgUnitId, 'OrgUnit'),
        roleType,
        managerId: managerIdOf(input.managerPersonId),
      });
      const key = { personId: target.person.id, orgUnitId: target.unit.id, roleType };
      if (await this.posts.isHeld(uow, key)) {
        fail('DUPLICATE', 'The person already holds this post', ['input', 'roleType']);
      }
      // An expired request would still hold the unique index of pending ones: mark it expired first.
      await this.grants.expireStale(uow, key);
      const row = await this.grants
        .insert(uow, { ...key, managerId: target.managerId, ttlHours: this.config.roleGrantTtlHours })
        .catch((error: unknown) => {
          if (isUniqueViolation(error)) {
            fail('DUPLICATE', 'This grant is already waiting for approval', ['input', 'roleType']);
          }
          throw error;
        });
      await this.audit.record(uow.em, ctx, {
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
    return this.db.transaction(ctx, async (uow) => {
      const grant = await this.pending(uow, input.grantId);
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
      const target = await resolvePostTarget(uow.em, ctx, {
        personId: grant.person_id,
        orgUnitId: grant.org_unit_id,
        roleType,
        managerId: grant.manager_person_id,
      });
      const row = await this.grants.approve(uow, grant.id);
      await this.audit.record(uow.em, ctx, {
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
      await writePost(uow.em, ctx, this.audit, target, {
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
    return this.db.transaction(ctx, async (uow) => {
      const grant = await this.pending(uow, input.grantId);
      const row = await this.grants.decline(uow, grant.id, reason);
      await this.audit.record(uow.em, ctx, {
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
    const rows = await this.db.transaction(ctx, (uow) => this.grants.inStatus(uow, status));
    return rows.map((r) => this.toGrant(ctx, r));
  }

  private assertAdmin(ctx: RequestContext): void {
    if (!ctx.personId || !hasRole(ctx, 'PARTNERSHIP_ADMIN')) {
      fail('FORBIDDEN', 'Only a partnership admin may request or decide role grants');
    }
  }

  /** The grant, locked, still pending and not expired. */
  private async pending(uow: UnitOfWork, globalId: string): Promise<GrantRow> {
    const id = idOf(globalId, 'RoleGrant');
    const grant = id ? await this.grants.lock(uow, id) : undefined;
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
