import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { AuditService } from '@hips/audit';
import { APP_CONFIG, AppConfig } from '@hips/config';
import { fail, RequestContext } from '@hips/common';
import { TenantDb } from '@hips/database';
import { DirectoryService, verifyPassword } from '@hips/directory';
import { LOGIN_EMAIL_MAX_LENGTH, LOGIN_PASSWORD_MAX_LENGTH, LoginThrottle } from './login-throttle.service';
import { Account, AccountPost, SessionsRepository } from './persistence/sessions.repository';

export interface TokenPayload {
  sub: string;
  pid: string;
  typ: 'access' | 'refresh';
  jti?: string;
}

export interface IssuedTokens {
  accessToken: string;
  refreshToken: string;
  expiresAt: Date;
  context: RequestContext;
}

// A real argon2id hash of a random string: verifying against it keeps unknown e-mails as slow as known ones.
const DUMMY_HASH =
  '$argon2id$v=19$m=65536,t=3,p=4$O4OBrligKSb5zcteZGdxxA$IBRTD7QQvk3dds+KnQ35uBXe1ZFtkGqqFV5goLGnIpw';

export function hashApiKey(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

export function newApiKeySecret(): string {
  return `hips_${randomBytes(32).toString('base64url')}`;
}

@Injectable()
export class AuthService {
  constructor(
    private readonly db: TenantDb,
    private readonly jwt: JwtService,
    private readonly audit: AuditService,
    private readonly throttle: LoginThrottle,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly directory: DirectoryService,
    private readonly sessions: SessionsRepository,
  ) {}

  /** E-mail and password to tokens bound to one partnership; attempts are throttled (LoginThrottle) before checking. */
  async login(
    input: { email: string; password: string; partnership?: string | null },
    clientAddress: string,
    requestId: string,
  ): Promise<IssuedTokens> {
    if (input.email.length > LOGIN_EMAIL_MAX_LENGTH || input.password.length > LOGIN_PASSWORD_MAX_LENGTH) {
      fail('INVALID_CREDENTIALS', 'E-mail or password is not correct');
    }
    const email = input.email.trim().toLowerCase();
    const attempt = await this.throttle.reserve(email, clientAddress);
    if (attempt.throttled) {
      const minutes = Math.max(1, Math.ceil(attempt.retryAfterMs / 60_000));
      fail('THROTTLED', `Too many failed logins; try again in ${minutes} minute${minutes === 1 ? '' : 's'}`);
    }
    const accounts = await this.db.runWithoutTenant((em) => this.sessions.accountsByEmail(em, email));
    // Several partnerships may each have invited the same e-mail (one account each): the password picks the
    // account. Checked side by side on argon2's thread pool; an unknown e-mail is checked against a dummy hash.
    const checked = await Promise.all(
      (accounts.length > 0 ? accounts : [null]).map(async (account) => {
        const ok = await verifyPassword(account?.password_hash ?? DUMMY_HASH, input.password);
        return ok && account && !account.disabled_at ? account : null;
      }),
    );
    const matched = checked.filter((account): account is Account => account !== null);
    if (matched.length === 0) fail('INVALID_CREDENTIALS', 'E-mail or password is not correct');
    await this.throttle.succeeded(attempt);
    const post = await this.choosePost(matched, input.partnership ?? null);
    return this.issue(post.person_id, post.partnership_id, requestId, 'LOGIN');
  }

  /** The partnership to log in to, among those where the matched accounts hold posts (or were invited). */
  private async choosePost(accounts: Account[], partnership: string | null): Promise<AccountPost> {
    const posts = await this.db.runWithoutTenant((em) => this.sessions.postsOf(em, accounts));
    const codes = [...new Set(posts.map((p) => p.code))];
    if (partnership) {
      return (
        posts.find((p) => p.code === partnership) ??
        fail('FORBIDDEN', 'You hold no post in that partnership', ['input', 'partnership'])
      );
    }
    if (codes.length > 1) {
      fail(
        'PARTNERSHIP_REQUIRED',
        `You hold posts in several partnerships; choose one of ${codes.join(', ')}`,
        ['input', 'partnership'],
      );
    }
    return posts[0];
  }

  /** A refresh token is single use: using it twice (a stolen copy) fails. */
  async refresh(refreshToken: string, requestId: string): Promise<IssuedTokens> {
    const payload = await this.verify(refreshToken, 'refresh');
    if (!payload?.jti) fail('INVALID_TOKEN', 'The refresh token is not valid', ['input', 'refreshToken']);
    const { jti, sub } = payload;
    const used = await this.db.run({ partnershipId: payload.pid }, (em) =>
      this.sessions.useRefreshToken(em, jti, sub),
    );
    if (!used)
      fail('INVALID_TOKEN', 'The refresh token is expired or already used', ['input', 'refreshToken']);
    return this.issue(payload.sub, payload.pid, requestId, 'TOKEN_REFRESHED');
  }

  private async issue(
    personId: string,
    partnershipId: string,
    requestId: string,
    action: string,
  ): Promise<IssuedTokens> {
    const context = await this.contextForPerson(personId, partnershipId, requestId);
    if (!context) fail('INVALID_CREDENTIALS', 'E-mail or password is not correct');
    const jti = randomUUID();
    const refreshExpires = new Date(Date.now() + this.config.refreshTokenTtlSeconds * 1000);
    await this.db.transaction(context, async (uow) => {
      await this.sessions.insertRefreshToken(uow, jti, personId, refreshExpires);
      await this.audit.record(uow.em, context, { action, entityType: 'Person', entityId: personId });
    });
    const expiresAt = new Date(Date.now() + this.config.accessTokenTtlSeconds * 1000);
    const accessToken = await this.jwt.signAsync(
      { sub: personId, pid: partnershipId, typ: 'access' } satisfies TokenPayload,
      { expiresIn: this.config.accessTokenTtlSeconds },
    );
    const refreshToken = await this.jwt.signAsync(
      { sub: personId, pid: partnershipId, typ: 'refresh', jti } satisfies TokenPayload,
      { expiresIn: this.config.refreshTokenTtlSeconds },
    );
    return { accessToken, refreshToken, expiresAt, context };
  }

  /** Verifies signature (HS256 only: `alg: none` and other algorithms are refused), expiry and token type. */
  async verify(token: string, typ: TokenPayload['typ']): Promise<TokenPayload | null> {
    try {
      const payload = await this.jwt.verifyAsync<TokenPayload>(token, { algorithms: ['HS256'] });
      return payload.typ === typ && typeof payload.sub === 'string' && typeof payload.pid === 'string'
        ? payload
        : null;
    } catch {
      return null;
    }
  }

  /** The context of a person in a partnership, or null when they are disabled or hold nothing there. */
  async contextForPerson(
    personId: string,
    partnershipId: string,
    requestId: string,
  ): Promise<RequestContext | null> {
    const person = await this.directory.personInPartnership(personId, partnershipId);
    if (!person) return null;
    return {
      requestId,
      partnershipId,
      partnershipCode: person.partnershipCode,
      personId,
      apiKeyId: null,
      apiClientName: null,
      agencyId: person.agencyId,
      roles: person.roles,
    };
  }

  /** The context of an agency system's key, or null when it is unknown, revoked or expired. */
  async contextForApiKey(secret: string, requestId: string): Promise<RequestContext | null> {
    const key = await this.db.runWithoutTenant((em) => this.sessions.apiKeyByHash(em, hashApiKey(secret)));
    if (!key || key.revoked_at || (key.expires_at && key.expires_at.getTime() <= Date.now())) return null;
    return this.db.run({ partnershipId: key.partnership_id }, async (em) => {
      const code = await this.sessions.markApiKeyUsed(em, key.id);
      if (code === undefined) return null;
      return {
        requestId,
        partnershipId: key.partnership_id,
        partnershipCode: code,
        personId: null,
        apiKeyId: key.id,
        apiClientName: key.name,
        agencyId: key.agency_id,
        roles: [],
      };
    });
  }
}
