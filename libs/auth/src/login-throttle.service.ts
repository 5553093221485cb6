import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@hips/config';
import { REDIS } from '@hips/database';

/** Longest e-mail address (RFC 5321) and a generous password bound: anything longer is refused unchecked. */
export const LOGIN_EMAIL_MAX_LENGTH = 254;
export const LOGIN_PASSWORD_MAX_LENGTH = 1024;

/** The counters, narrowest first: the order of the scripts' KEYS and limits. */
const SCOPES = ['accountFromAddress', 'address', 'account'] as const;
export type LoginCounter = (typeof SCOPES)[number];

/**
 * KEYS: the counters, narrowest first; ARGV: their limits in the same order, then the window in seconds.
 * All or nothing: when any counter is full nothing is written, and the answer is {the narrowest full counter
 * (1-based), ms until every full counter has room again}; otherwise each counter counts one more attempt (a new
 * counter starts its window) and the answer is {0, 0}. A counter without an expiry (only ever set by hand) gets
 * the window, so it cannot refuse for ever.
 */
const RESERVE = `
local window = tonumber(ARGV[#KEYS + 1])
local function msLeft(key)
  local left = redis.call('PTTL', key)
  if left >= 0 then return left end
  redis.call('EXPIRE', key, window)
  return window * 1000
end
local full, wait = 0, 0
for i, key in ipairs(KEYS) do
  if (tonumber(redis.call('GET', key)) or 0) >= tonumber(ARGV[i]) then
    if full == 0 then full = i end
    wait = math.max(wait, msLeft(key))
  end
end
if full > 0 then return {full, wait} end
for _, key in ipairs(KEYS) do
  redis.call('INCR', key)
  msLeft(key)
end
return {0, 0}
`;

/**
 * KEYS: the same counters. The narrowest is cleared; the others get this attempt's place back, unless their
 * window has ended meanwhile (then the key is gone, and a new window owes nothing).
 */
const SUCCEEDED = `
redis.call('DEL', KEYS[1])
for i = 2, #KEYS do
  if (tonumber(redis.call('GET', KEYS[i])) or 0) > 0 then redis.call('DECR', KEYS[i]) end
end
return 0
`;

/** The commands `defineCommand` adds to the client (EVALSHA, falling back to EVAL on a cold script cache). */
interface LoginScripts {
  loginThrottleReserve(...keysThenArgs: (string | number)[]): Promise<[number, number]>;
  loginThrottleSucceeded(...keys: string[]): Promise<number>;
}

/** A reserved attempt: the keys it counted in, so a correct password can give its place back. */
export interface LoginAttempt {
  throttled: false;
  keys: string[];
}

/** A refused attempt, which counted nowhere: the narrowest full counter, and when no counter is full any more. */
export interface LoginRefusal {
  throttled: true;
  full: LoginCounter;
  retryAfterMs: number;
}

/** Fixed-length keys: neither a huge e-mail nor personal data ends up in Redis as is. */
function digest(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\0'), 'utf8').digest('hex');
}

/**
 * Counts login attempts BEFORE the password is checked (docs/security/authentication.md), in three counters:
 *  - one e-mail from one address (LOGIN_MAX_FAILURES): stops guessing at an account;
 *  - one address, all e-mails (LOGIN_MAX_FAILURES_PER_ADDRESS): stops spraying many accounts;
 *  - one e-mail, all addresses (LOGIN_MAX_FAILURES_PER_ACCOUNT, higher): stops distributed guessing, and only
 *    then locks the owner out too, since an attempt stopped by a narrower counter counts nowhere.
 * An attempt reserves a place in all three or in none, in one Lua script (one round trip, atomic), so of N
 * concurrent attempts at most the smallest remaining room gets as far as argon2, and a refused attempt spends
 * nothing. Why not rate-limiter-flexible (11.x): each of its limiters runs a one-key script, and RateLimiterUnion
 * merely consumes every limiter side by side (one round trip each, all with the same key), keeping what the
 * others consumed when one refuses; its customIncrTtlLuaScript is still one key per limiter.
 */
@Injectable()
export class LoginThrottle {
  private readonly scripts: LoginScripts;
  private readonly limits: number[];

  constructor(
    @Inject(REDIS) redis: Redis,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    // The keys of one script must live on one Redis node: this client talks to a single server.
    redis.defineCommand('loginThrottleReserve', { numberOfKeys: SCOPES.length, lua: RESERVE });
    redis.defineCommand('loginThrottleSucceeded', { numberOfKeys: SCOPES.length, lua: SUCCEEDED });
    this.scripts = redis as unknown as LoginScripts;
    this.limits = [
      config.loginMaxFailures,
      config.loginMaxFailuresPerAddress,
      config.loginMaxFailuresPerAccount,
    ];
  }

  /**
   * Reserves one attempt in every counter, or, when one is full, in none (the password must then not be
   * checked). Redis errors propagate: without counting, no login.
   */
  async reserve(email: string, address: string): Promise<LoginAttempt | LoginRefusal> {
    const keys = [digest(email, address), digest(address), digest(email)].map(
      (hash, i) => `login-attempts:${SCOPES[i]}:${hash}`,
    );
    const [full, retryAfterMs] = await this.scripts.loginThrottleReserve(
      ...keys,
      ...this.limits,
      this.config.loginWindowSeconds,
    );
    return full === 0
      ? { throttled: false, keys }
      : { throttled: true, full: SCOPES[full - 1], retryAfterMs };
  }

  /**
   * The password was right: this attempt gives its own place back, and this account's typos from this address
   * are forgotten (only someone who knows the password can do that). Failures counted per address and per
   * account stay, so a known-good login interleaved between guesses resets nothing an attacker needs reset.
   */
  async succeeded(attempt: LoginAttempt): Promise<void> {
    await this.scripts.loginThrottleSucceeded(...attempt.keys);
  }
}
