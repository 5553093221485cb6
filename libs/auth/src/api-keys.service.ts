import { Injectable } from '@nestjs/common';
import { AuditService } from '@hips/audit';
import { fail, hasRole, idOf, InputCheck, notFound, RequestContext, toGlobalId } from '@hips/common';
import { TenantDb } from '@hips/database';
import { assertCanManageAgency } from '@hips/directory';
import { hashApiKey, newApiKeySecret } from './auth.service';
import { ApiKey } from './dto/api-key.model';
import { ApiKeyRow, ApiKeysRepository } from './persistence/api-keys.repository';

function toApiKey(r: ApiKeyRow): ApiKey {
  return {
    __typename: 'ApiKey',
    id: toGlobalId('ApiKey', r.id),
    agencyUuid: r.agency_id,
    name: r.name,
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    revokedAt: r.revoked_at,
    lastUsedAt: r.last_used_at,
  };
}

/** Keys for agencies' systems: created by their admins, stored only as hashes, revocable. */
@Injectable()
export class ApiKeysService {
  constructor(
    private readonly db: TenantDb,
    private readonly audit: AuditService,
    private readonly keys: ApiKeysRepository,
  ) {}

  async create(
    ctx: RequestContext,
    input: { agencyId: string; name: string; expiresAt?: Date | null },
  ): Promise<{ apiKey: string; keyId: string }> {
    new InputCheck()
      .text(input.name, ['input', 'name'], { max: 100, label: 'name' })
      .that(
        !input.expiresAt || input.expiresAt.getTime() > Date.now(),
        ['input', 'expiresAt'],
        'expiresAt must be in the future',
      )
      .done();
    const secret = newApiKeySecret();
    return this.db.transaction(ctx, async (uow) => {
      const agencyId = await assertCanManageAgency(uow.em, ctx, idOf(input.agencyId, 'Agency'), [
        'input',
        'agencyId',
      ]);
      const id = await this.keys.insert(uow, {
        agencyId,
        name: input.name.trim(),
        hash: hashApiKey(secret),
        expiresAt: input.expiresAt ?? null,
      });
      await this.audit.record(uow.em, ctx, { action: 'API_KEY_CREATED', entityType: 'ApiKey', entityId: id });
      return { apiKey: secret, keyId: toGlobalId('ApiKey', id) };
    });
  }

  /** Keys of the partnership (a PARTNERSHIP_ADMIN) or of the caller's own agency (an AGENCY_ADMIN). */
  async list(ctx: RequestContext): Promise<ApiKey[]> {
    const ownAgencyOnly = hasRole(ctx, 'PARTNERSHIP_ADMIN') ? null : ctx.agencyId;
    const rows = await this.db.transaction(ctx, (uow) => this.keys.list(uow, ownAgencyOnly));
    return rows.map(toApiKey);
  }

  /**
   * One key by global id, for `node`: what `apiKeys` would list to the viewer (a PARTNERSHIP_ADMIN: its
   * partnership's; an AGENCY_ADMIN: its own agency's); null for anyone else and for other partnerships' keys.
   */
  async byGlobalId(ctx: RequestContext, globalId: string): Promise<ApiKey | null> {
    const id = idOf(globalId, 'ApiKey');
    if (!id) return null;
    const admin = hasRole(ctx, 'PARTNERSHIP_ADMIN');
    if (!admin && !(hasRole(ctx, 'AGENCY_ADMIN') && ctx.agencyId)) return null;
    const row = await this.db.transaction(ctx, (uow) => this.keys.find(uow, id, admin ? null : ctx.agencyId));
    return row ? toApiKey(row) : null;
  }

  async revoke(ctx: RequestContext, keyGlobalId: string): Promise<{ keyId: string }> {
    const keyId = idOf(keyGlobalId, 'ApiKey');
    return this.db.transaction(ctx, async (uow) => {
      const key = keyId ? await this.keys.find(uow, keyId, null) : undefined;
      if (!key) notFound('API key', ['keyId']);
      if (
        !hasRole(ctx, 'PARTNERSHIP_ADMIN') &&
        !(hasRole(ctx, 'AGENCY_ADMIN') && ctx.agencyId === key.agency_id)
      ) {
        fail('FORBIDDEN', 'Only a partnership admin, or an admin of the key’s agency, may revoke it', [
          'keyId',
        ]);
      }
      if (key.revoked_at) fail('INVALID_STATE', 'The key is already revoked', ['keyId']);
      await this.keys.revoke(uow, key.id);
      await this.audit.record(uow.em, ctx, {
        action: 'API_KEY_REVOKED',
        entityType: 'ApiKey',
        entityId: key.id,
      });
      return { keyId: keyGlobalId };
    });
  }
}
