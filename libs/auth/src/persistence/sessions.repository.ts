import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { changedRows, UnitOfWork } from '@hips/database';
import { partnershipCodeOf } from '@hips/directory';

/** What login may know of an account before any tenant is known (auth_person_by_email). */
export interface Account {
  id: string;
  password_hash: string;
  disabled_at: Date | null;
  home_partnership_id: string;
}

/** A partnership where an account holds a post (or was invited), with its code. */
export interface AccountPost {
  person_id: string;
  partnership_id: string;
  code: string;
  home: boolean;
}

/** An agency system's key as seen before any tenant is known (auth_api_key). */
export interface ApiKeyLogin {
  id: string;
  partnership_id: string;
  agency_id: string;
  name: string;
  expires_at: Date | null;
  revoked_at: Date | null;
}

/**
 * Login's statements: the accounts and keys looked up before a tenant is known (SECURITY DEFINER functions, on a
 * tenant-free transaction), and the single-use refresh tokens (refresh_tokens) of a partnership.
 */
@Injectable()
export class SessionsRepository {
  /** Every account with that (lower-cased) e-mail, one per partnership that invited it. */
  accountsByEmail(em: EntityManager, email: string): Promise<Account[]> {
    return em.query<Account[]>('select * from auth_person_by_email($1)', [email]);
  }

  /** The partnerships where the accounts hold posts, by code, each account's home partnership first. */
  postsOf(em: EntityManager, accounts: Account[]): Promise<AccountPost[]> {
    return em.query<AccountPost[]>(
      `select m.person_id, a.partnership_id, ${partnershipCodeOf('a.partnership_id')} as code,
         a.partnership_id = m.home_id as home
       from unnest($1::uuid[], $2::uuid[]) as m(person_id, home_id)
       cross join lateral auth_person_partnerships(m.person_id) a
       order by code, home desc`,
      [accounts.map((a) => a.id), accounts.map((a) => a.home_partnership_id)],
    );
  }

  /** Marks a refresh token used; false when it is unknown, expired or already used. */
  async useRefreshToken(em: EntityManager, id: string, personId: string): Promise<boolean> {
    const rows = await changedRows(
      em,
      `update refresh_tokens set used_at = now()
       where id = $1 and person_id = $2 and used_at is null and expires_at > now() returning id`,
      [id, personId],
    );
    return rows.length > 0;
  }

  async insertRefreshToken(uow: UnitOfWork, id: string, personId: string, expiresAt: Date): Promise<void> {
    await uow.query(
      `insert into refresh_tokens (id, partnership_id, person_id, expires_at) values ($1, $2, $3, $4)`,
      [id, uow.partnershipId, personId, expiresAt],
    );
  }

  /** The key with that hash, whatever its partnership, or undefined. */
  async apiKeyByHash(em: EntityManager, hash: string): Promise<ApiKeyLogin | undefined> {
    const rows = await em.query<ApiKeyLogin[]>('select * from auth_api_key($1)', [hash]);
    return rows[0];
  }

  /** Notes the key's use; its partnership's code, or undefined when the tenant cannot see the key. */
  async markApiKeyUsed(em: EntityManager, id: string): Promise<string | undefined> {
    const rows = await changedRows<{ code: string }>(
      em,
      `update api_keys k set last_used_at = now()
       where k.id = $1 returning ${partnershipCodeOf('k.partnership_id')} as code`,
      [id],
    );
    return rows[0]?.code;
  }
}
