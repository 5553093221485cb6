import { Injectable } from '@nestjs/common';
import { decodeCursor, pageSize, RequestContext, RoleTypeEnum, toGlobalId, toPage } from '@hips/common';
import { AuditLogRow, AuditService } from '@hips/audit';
import { TenantDb } from '@hips/database';
import { AccessChange, AccessChangeAction, AccessChangeConnection } from './dto/access-changes.model';

type AuditRow = AuditLogRow & { action: AccessChangeAction };

const ACTIONS = Object.values(AccessChangeAction);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const uuidIn = (value: unknown): string | null =>
  typeof value === 'string' && UUID.test(value) ? value : null;

const toAccessChange = (r: AuditRow): AccessChange => ({
  id: r.seq,
  at: r.at,
  action: r.action,
  actorType: r.actor_type,
  actorUuid: r.actor_type === 'PERSON' ? r.actor_id : null,
  personUuid: uuidIn(r.entity_id),
  orgUnitUuid: uuidIn(r.detail.orgUnitId),
  managerUuid: uuidIn(r.detail.managerPersonId),
  previousManagerUuid: uuidIn(r.detail.previousManagerPersonId),
  deputyUuid: uuidIn(r.detail.deputyPersonId),
  requestedByUuid: uuidIn(r.detail.requestedByPersonId),
  roleType: typeof r.detail.roleType === 'string' ? (r.detail.roleType as RoleTypeEnum) : null,
  grantId: uuidIn(r.detail.grantId) ? toGlobalId('RoleGrant', r.detail.grantId as string) : null,
  reason: typeof r.detail.reason === 'string' ? r.detail.reason : null,
});

/**
 * The partnership's access changes, read from its audit log through the audit library (row-level security keeps
 * other partnerships' rows out; the query filters by tenant as well). Newest first. Who may ask is checked by the resolver.
 */
@Injectable()
export class AccessChangesService {
  constructor(
    private readonly db: TenantDb,
    private readonly audit: AuditService,
  ) {}

  async list(
    ctx: RequestContext,
    first?: number | null,
    after?: string | null,
  ): Promise<AccessChangeConnection> {
    const limit = pageSize(first);
    const cursor = decodeCursor(after, 'sequence');
    return this.db.transaction(ctx, async (uow) => {
      const { rows, totalCount } = await this.audit.entriesPage(uow, ACTIONS, cursor?.key ?? null, limit + 1);
      const changes = (rows as AuditRow[]).map(toAccessChange);
      const page = toPage(changes, limit, (c) => ({ key: c.id, id: c.id }), cursor !== null);
      return { ...page, totalCount };
    });
  }
}
