import { Injectable } from '@nestjs/common';
import { AuditService } from '@hips/audit';
import { fail, hasRole, idOf, InputCheck, notFound, RequestContext, toGlobalId } from '@hips/common';
import { TenantDb } from '@hips/database';
import { assertCanManageAgency } from '@hips/directory';
import { hashApiKey, newApiKeySecret } from './auth.service';
import { ApiKey } from './dto/api-key.model';

const API_KEY_COLUMNS = 'id, agency_id, name, created_at, expires_at, revoked_at, last_used_at';

interface ApiKeyRow {
  id: string;
  agency_id: string;
  name: string;
  created_at: Date;
  expires_at: Date | null;
  revoked_at: Date | null;
  last_used_at: Date | null;
}

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
    return this.db.run(ctx, async (em) => {
      const agencyId = await assertCanManageAgency(em, ctx, idOf(input.agencyId, 'Agency'), [
        'input',
        'agencyId',
      ]);
      const [row]: { id: string }[] = await em.query(
        `insert into api_keys (partnership_id, agency_id, name, key_hash, created_by_person_id, expires_at)
         values ($1, $2, $3, $4, $5, $6) returning id`,
        [
          ctx.partnershipId,
          agencyId,
          input.name.trim(),
          hashApiKey(secret),
          ctx.personId,
          input.expiresAt ?? null,
        ],
      );
      await this.audit.record(em, ctx, { action: 'API_KEY_CREATED', entityType: 'ApiKey', entityId: row.id });
      return { apiKey: secret, keyId: toGlobalId('ApiKey', row.id) };
    });
  }

  /** Keys of the partnership (a PARTNERSHIP_ADMIN) or of the caller's own agency (an AGENCY_ADMIN). */
  async list(ctx: RequestContext): Promise<ApiKey[]> {
    const ownAgencyOnly = hasRole(ctx, 'PARTNERSHIP_ADMIN') ? null : ctx.agencyId;
    const rows: ApiKeyRow[] = await this.db.run(ctx, (em) =>
      em.query(
        `select ${API_KEY_COLUMNS} from api_keys
         where partnership_id = $1 and ($2::uuid is null or agency_id = $2) order by created_at, id`,
        [ctx.partnershipId, ownAgencyOnly],
      ),
    );
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
    const [row]: ApiKeyRow[] = await this.db.run(ctx, (em) =>
      em.query(
        `select ${API_KEY_COLUMNS} from api_keys
         where id = $1 and partnership_id = $2 and ($3::uuid is null or agency_id = $3)`,
        [id, ctx.partnershipId, admin ? null : ctx.agencyId],
      ),
    );
    return row ? toApiKey(row) : null;
  }

  async revoke(ctx: RequestContext, keyGlobalId: string): Promise<{ keyId: string }> {
    const keyId = idOf(keyGlobalId, 'ApiKey');
    return this.db.run(ctx, async (em) => {
      const [key]: { id: string; agency_id: string; revoked_at: Date | null }[] = keyId
        ? await em.query(
            'select id, agency_id, revoked_at from api_keys where id = $1 and partnership_id = $2',
            [keyId, ctx.partnershipId],
          )
        : [];
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
      await em.query('update api_keys set revoked_at = now() where id = $1', [key.id]);
      await this.audit.record(em, ctx, { action: 'API_KEY_REVOKED', entityType: 'ApiKey', entityId: key.id });
      return { keyId: keyGlobalId };
    });
  }
}
