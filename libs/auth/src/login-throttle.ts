import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@hips/config';
import { REDIS } from '@hips/database';

/** Longest e-mail address (RFC 5321) and a generous password bound: anything longer is refused unchecked. */
export const LOGIN_EMAIL_MAX_LENGTH = 254;
export const LOGIN_PASSWORD_MAX_LENGTH = 1024;

type Scope = 'accountFromAddress' | 'address' | 'account';

interface Counter {
  scope: Scope;
  limiter: RateLimiterRedis;
  key: (email: string, address: string) => string;
}

/** A reserved attempt: the keys it counted in, so a correct password can give its place back. */
export interface LoginAttempt {
  keys: Record<Scope, string>;
}

/** Fixed-length keys: neither a huge e-mail nor personal data ends up in Redis as is. */
function digest(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\0'), 'utf8').digest('hex');
}

/**
 * Counts login attempts BEFORE the password is checked (docs/security/authentication.md): each counter is
 * incremented and compared in one atomic Redis script (rate-limiter-flexible), so of N concurrent attempts at most
 * the limit get as far as argon2. Three counters, narrowest first:
 *  - one e-mail from one address (LOGIN_MAX_FAILURES): stops guessing at an account;
 *  - one address, all e-mails (LOGIN_MAX_FAILURES_PER_ADDRESS): stops spraying many accounts;
 *  - one e-mail, all addresses (LOGIN_MAX_FAILURES_PER_ACCOUNT, higher): stops distributed guessing, and only
 *    then locks the owner out too, since an address stopped by a narrower counter stops counting here.
 */
@Injectable()
export class LoginThrottle {
  private readonly counters: Counter[];

  constructor(@Inject(REDIS) redis: Redis, @Inject(APP_CONFIG) config: AppConfig) {
    const counter = (scope: Scope, points: number, key: Counter['key']): Counter => ({
      scope,
      key,
      limiter: new RateLimiterRedis({
        storeClient: redis,
        keyPrefix: `login-attempts:${scope}`,
        points,
        duration: config.loginWindowSeconds,
      }),
    });
    this.counters = [
      counter('accountFromAddress', config.loginMaxFailures, (email, address) => digest(email, address)),
      counter('address', config.loginMaxFailuresPerAddress, (_, address) => digest(address)),
      counter('account', config.loginMaxFailuresPerAccount, (email) => digest(email)),
    ];
  }

  /**
   * Reserves one attempt in each counter, narrowest first, stopping at the first that is spent; null means
   * throttled (and the password must not be checked). Redis errors propagate: without counting, no login.
   */
  async reserve(email: string, address: string): Promise<LoginAttempt | null> {
    const keys = {} as Record<Scope, string>;
    for (const { scope, limiter, key } of this.counters) {
      keys[scope] = key(email, address);
      try {
        await limiter.consume(keys[scope]);
      } catch (error) {
        if (error instanceof RateLimiterRes) return null;
        throw error;
      }
    }
    return { keys };
  }

  /**
   * The password was right: this attempt gives its own place back, and this account's typos from this address
   * are forgotten (only someone who knows the password can do that). Failures counted per address and per
   * account stay, so a known-good login interleaved between guesses resets nothing an attacker needs reset.
   */
  async succeeded(attempt: LoginAttempt): Promise<void> {
    for (const { scope, limiter } of this.counters) {
      const key = attempt.keys[scope];
      await (scope === 'accountFromAddress' ? limiter.delete(key) : limiter.reward(key, 1));
    }
  }
}
