import { Injectable } from '@nestjs/common';
import type { UnitOfWork } from '@hips/database';

const API_KEY_COLUMNS = 'id, agency_id, name, created_at, expires_at, revoked_at, last_used_at';

export interface ApiKeyRow {
  id: string;
  agency_id: string;
  name: string;
  created_at: Date;
  expires_at: Date | null;
  revoked_at: Date | null;
  last_used_at: Date | null;
}

/** Agency systems' keys (api_keys) of the unit's partnership; only their hashes are stored. */
@Injectable()
export class ApiKeysRepository {
  /** Stores a new key's hash; its id. */
  async insert(
    uow: UnitOfWork,
    key: { agencyId: string; name: string; hash: string; expiresAt: Date | null },
  ): Promise<string> {
    const [row]: { id: string }[] = await uow.query(
      `insert into api_keys (partnership_id, agency_id, name, key_hash, created_by_person_id, expires_at)
       values ($1, $2, $3, $4, $5, $6) returning id`,
      [uow.partnershipId, key.agencyId, key.name, key.hash, uow.ctx.personId, key.expiresAt],
    );
    return row.id;
  }

  /** The partnership's keys, or one agency's (`agencyId`), oldest first. */
  list(uow: UnitOfWork, agencyId: string | null): Promise<ApiKeyRow[]> {
    return uow.query(
      `select ${API_KEY_COLUMNS} from api_keys
       where partnership_id = $1 and ($2::uuid is null or agency_id = $2) order by created_at, id`,
      [uow.partnershipId, agencyId],
    );
  }

  /** One key of the partnership, or of one agency (`agencyId`). */
  async find(uow: UnitOfWork, id: string, agencyId: string | null): Promise<ApiKeyRow | undefined> {
    const [row]: ApiKeyRow[] = await uow.query(
      `select ${API_KEY_COLUMNS} from api_keys
       where id = $1 and partnership_id = $2 and ($3::uuid is null or agency_id = $3)`,
      [id, uow.partnershipId, agencyId],
    );
    return row;
  }

  async revoke(uow: UnitOfWork, id: string): Promise<void> {
    await uow.query('update api_keys set revoked_at = now() where id = $1', [id]);
  }
}
