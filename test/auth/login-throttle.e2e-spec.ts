import { createHash, randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import argon2 from 'argon2';
import { startTestApp, TestApp } from '../support/app';

const LOGIN = `mutation($input: LoginInput!) {
  login(input: $input) { accessToken userErrors { code field message } }
}`;
const PASSWORD = 'correct horse battery staple';
/** The defaults the test API runs with (docs/security/authentication.md). */
const PER_ACCOUNT_FROM_ADDRESS = 5;
const PER_ACCOUNT = 50;
const PER_ADDRESS = 50;
const WINDOW_SECONDS = 900;

/**
 * Login throttling (docs/security/authentication.md). Every login here comes from an address of its own
 * (X-Forwarded-For, trusted from the loopback proxy) and uses people created for this spec, so the counters of
 * other specs (which log in from 127.0.0.1 as demo people) are never touched.
 */
describe('login throttling', () => {
  let t: TestApp;
  let redis: Redis;
  let agencyId: string;
  let partnershipId: string;
  let passwordHash: string;

  beforeAll(async () => {
    t = await startTestApp();
    redis = new Redis(process.env.REDIS_URL!);
    [{ agency_id: agencyId, partnership_id: partnershipId }] = await t.owner.query(
      `select m.agency_id, m.partnership_id from agency_memberships m
       join partnerships p on p.id = m.partnership_id where p.code = 'HAMPSHIRE' limit 1`,
    );
    // A real argon2id hash, with cheap parameters: verification cost follows the stored hash, and this spec
    // checks many passwords on a shared machine.
    passwordHash = await argon2.hash(PASSWORD, { type: argon2.argon2id, memoryCost: 1024, timeCost: 1 });
  });
  afterAll(async () => {
    redis.disconnect();
    await t.close();
  });

  /** A person of this spec only, who can log in with PASSWORD. */
  async function person(label: string): Promise<string> {
    const email = `${label}-${randomBytes(4).toString('hex')}@throttle.test`;
    await t.owner.query(
      `insert into people (email, display_name, agency_id, home_partnership_id, password_hash)
       values ($1, $2, $3, $4, $5)`,
      [email, `Throttle ${label}`, agencyId, partnershipId, passwordHash],
    );
    return email;
  }

  let nextAddress = 1;
  /**
   * A client address of its own, as a proxy on loopback reports it: TEST-NET-3, which no other spec uses (address
   * counters are shared by every spec of the run; auth.e2e-spec fills one in TEST-NET-2).
   */
  const newAddress = () => `203.0.113.${nextAddress++}`;

  async function answer(email: string, password: string, address: string) {
    const res = await t.http
      .post('/graphql')
      .set('content-type', 'application/json')
      .set('x-forwarded-for', address)
      .send({ query: LOGIN, variables: { input: { email, password } } });
    return res.body.data.login as {
      accessToken: string | null;
      userErrors: { code: string; message: string }[];
    };
  }
  async function login(email: string, password: string, address: string): Promise<string> {
    const payload = await answer(email, password, address);
    return payload.accessToken ? 'OK' : payload.userErrors[0].code;
  }

  /** A counter's Redis key as documented: the sha256 of the lower-cased e-mail and/or address (joined by NUL). */
  const counterKey = (scope: 'accountFromAddress' | 'address' | 'account', ...parts: string[]) =>
    `${process.env.REDIS_PREFIX}:login-attempts:${scope}:${createHash('sha256').update(parts.join('\0')).digest('hex')}`;
  const keysOf = (email: string, address: string) => ({
    accountFromAddress: counterKey('accountFromAddress', email, address),
    address: counterKey('address', address),
    account: counterKey('account', email),
  });
  /** The three counters an attempt of this e-mail from this address reserves in (null: no such key). */
  async function counters(email: string, address: string): Promise<Record<string, string | null>> {
    const keys = keysOf(email, address);
    const [accountFromAddress, byAddress, account] = await redis.mget(
      keys.accountFromAddress,
      keys.address,
      keys.account,
    );
    return { accountFromAddress, address: byAddress, account };
  }
  /** A counter arranged as full, as many earlier attempts within the window would have left it. */
  const fill = (key: string, limit: number) => redis.set(key, limit, 'EX', WINDOW_SECONDS);

  const tally = (codes: string[]) =>
    codes.reduce<Record<string, number>>((acc, code) => ({ ...acc, [code]: (acc[code] ?? 0) + 1 }), {});

  it('checks at most the limit of 30 concurrent wrong passwords; the rest are refused unchecked', async () => {
    const email = await person('concurrent');
    const address = newAddress();
    const codes = await Promise.all(
      Array.from({ length: 30 }, () => login(email, 'wrong password', address)),
    );
    // INVALID_CREDENTIALS is only ever answered after argon2 has checked the password; THROTTLED before.
    expect(tally(codes)).toEqual({
      INVALID_CREDENTIALS: PER_ACCOUNT_FROM_ADDRESS,
      THROTTLED: 30 - PER_ACCOUNT_FROM_ADDRESS,
    });
    expect(await login(email, PASSWORD, address)).toBe('THROTTLED');
  }, 60_000);

  it("keeps an attacker's failures when the owner logs in meanwhile", async () => {
    const email = await person('interleaved');
    const attacker = newAddress();
    const owner = newAddress();
    for (let i = 0; i < PER_ACCOUNT_FROM_ADDRESS - 1; i += 1) {
      expect(await login(email, `guess ${i}`, attacker)).toBe('INVALID_CREDENTIALS');
    }
    expect(await login(email, PASSWORD, owner)).toBe('OK');
    expect(await login(email, 'last guess', attacker)).toBe('INVALID_CREDENTIALS');
    expect(await login(email, 'one more guess', attacker)).toBe('THROTTLED');
    expect(await login(email, PASSWORD, attacker)).toBe('THROTTLED');
  }, 60_000);

  it('forgets the owner’s own typos when they then get it right', async () => {
    const email = await person('typos');
    const owner = newAddress();
    for (let i = 0; i < PER_ACCOUNT_FROM_ADDRESS - 1; i += 1) {
      expect(await login(email, `typo ${i}`, owner)).toBe('INVALID_CREDENTIALS');
    }
    expect(await login(email, PASSWORD, owner)).toBe('OK');
    for (let i = 0; i < PER_ACCOUNT_FROM_ADDRESS; i += 1) {
      expect(await login(email, `typo again ${i}`, owner)).toBe('INVALID_CREDENTIALS');
    }
    expect(await login(email, PASSWORD, owner)).toBe('THROTTLED');
  }, 60_000);

  it('does not let one attacking address lock the owner out; only many addresses together do', async () => {
    const email = await person('lockout');
    const attacker = newAddress();
    const owner = newAddress();
    const first = await Promise.all(Array.from({ length: 20 }, () => login(email, 'guess', attacker)));
    expect(tally(first)).toEqual({ INVALID_CREDENTIALS: PER_ACCOUNT_FROM_ADDRESS, THROTTLED: 15 });
    // The refused 15 counted against the attacker's address only, not against the account.
    expect(await login(email, PASSWORD, owner)).toBe('OK');

    const addresses = Array.from({ length: PER_ACCOUNT / PER_ACCOUNT_FROM_ADDRESS - 1 }, newAddress);
    const distributed = await Promise.all(
      addresses.flatMap((address) =>
        Array.from({ length: PER_ACCOUNT_FROM_ADDRESS }, () => login(email, 'guess', address)),
      ),
    );
    expect(tally(distributed)).toEqual({ INVALID_CREDENTIALS: PER_ACCOUNT - PER_ACCOUNT_FROM_ADDRESS });
    // The account-wide bar is reached: now the owner waits for the window too.
    expect(await login(email, PASSWORD, owner)).toBe('THROTTLED');
    expect(await login(email, PASSWORD, newAddress())).toBe('THROTTLED');
  }, 120_000);

  it('refuses an absurdly long e-mail unchecked and keeps every counter key short and opaque', async () => {
    const address = newAddress();
    const huge = `${'a'.repeat(100_000)}@throttle.test`;
    expect(await login(huge, PASSWORD, address)).toBe('INVALID_CREDENTIALS');
    const long = `${'b'.repeat(240)}@throttle.test`;
    expect(await login(long, PASSWORD, address)).toBe('INVALID_CREDENTIALS');

    const keys = await redis.keys(`${process.env.REDIS_PREFIX}:login-attempts:*`);
    expect(keys.length).toBeGreaterThan(0);
    const own = `${process.env.REDIS_PREFIX}:login-attempts:`;
    for (const key of keys) {
      expect(key.slice(own.length)).toMatch(/^(accountFromAddress|address|account):[0-9a-f]{64}$/);
    }
    expect(keys.some((key) => key.includes('aaaa') || key.includes('bbbb') || key.includes('@'))).toBe(false);
  });

  it('reserves in all three counters or in none: an attempt refused by a wider counter counts nowhere', async () => {
    const email = await person('all-or-none');
    // The keys as documented (a checked attempt counts once in each).
    const first = newAddress();
    expect(await login(email, 'wrong password', first)).toBe('INVALID_CREDENTIALS');
    expect(await counters(email, first)).toEqual({ accountFromAddress: '1', address: '1', account: '1' });

    // The address counter is full: the e-mail's own counters are left as they were.
    const busy = newAddress();
    await fill(keysOf(email, busy).address, PER_ADDRESS);
    expect(await login(email, 'wrong password', busy)).toBe('THROTTLED');
    expect(await login(email, PASSWORD, busy)).toBe('THROTTLED');
    expect(await counters(email, busy)).toEqual({
      accountFromAddress: null,
      address: `${PER_ADDRESS}`,
      account: '1',
    });

    // The account counter is full: neither this address's counters nor the e-mail's from this address count.
    await fill(keysOf(email, first).account, PER_ACCOUNT);
    const owner = newAddress();
    for (let i = 0; i < PER_ACCOUNT_FROM_ADDRESS + 1; i += 1) {
      expect(await login(email, PASSWORD, owner)).toBe('THROTTLED');
    }
    // The answer says when the full counter's window ends.
    expect((await answer(email, PASSWORD, owner)).userErrors[0].message).toMatch(/try again in 15 minutes$/);
    expect(await counters(email, owner)).toEqual({
      accountFromAddress: null,
      address: null,
      account: `${PER_ACCOUNT}`,
    });
  }, 60_000);

  it('lets concurrent attempts from many addresses past a nearly full account counter only as far as its limit', async () => {
    const email = await person('nearly-full');
    const left = 2;
    const account = counterKey('account', email);
    await fill(account, PER_ACCOUNT - left);
    const addresses = Array.from({ length: 5 }, newAddress);
    const codes = await Promise.all(
      addresses.flatMap((address) => [1, 2].map(() => login(email, 'wrong password', address))),
    );
    expect(tally(codes)).toEqual({ INVALID_CREDENTIALS: left, THROTTLED: 2 * addresses.length - left });
    expect(await redis.get(account)).toBe(`${PER_ACCOUNT}`);
    // Only the checked attempts counted in the narrower counters.
    const narrower = await Promise.all(addresses.map((address) => counters(email, address)));
    const sum = (scope: string) => narrower.reduce((total, c) => total + Number(c[scope] ?? 0), 0);
    expect(sum('accountFromAddress')).toBe(left);
    expect(sum('address')).toBe(left);
  }, 60_000);

  it('reserves and gives back with one Redis round trip each (MONITOR)', async () => {
    const email = await person('round-trips');
    const address = newAddress();
    const keys = keysOf(email, address);
    const own = `${process.env.REDIS_PREFIX}:login-attempts:`;
    // A login first, so the scripts are in Redis' script cache (an EVALSHA refused with NOSCRIPT is resent).
    expect(await login(email, 'warm up', newAddress())).toBe('INVALID_CREDENTIALS');

    // A connection of its own, in MONITOR mode (ioredis duplicates the connection it is called on).
    const monitor = await redis.monitor();
    try {
      let seen: string[][] = [];
      let marker: { text: string; reached: () => void } | null = null;
      // Commands sent by clients (not those a script runs, source "lua") that touch a login counter.
      monitor.on('monitor', (_time: string, args: string[], source: string) => {
        if (marker && args[0] === 'echo' && args[1] === marker.text) marker.reached();
        else if (source !== 'lua' && args.some((arg) => arg.startsWith(own))) seen.push(args);
      });
      /** The commands this step sent: Redis reports in order, so once our marker shows, all of them have. */
      const commandsOf = async (step: () => Promise<unknown>): Promise<string[][]> => {
        seen = [];
        await step();
        const text = `marker-${randomBytes(4).toString('hex')}`;
        const reached = new Promise<void>((resolve) => (marker = { text, reached: resolve }));
        await redis.echo(text);
        await reached;
        return seen;
      };
      const allKeys = [keys.accountFromAddress, keys.address, keys.account];

      const failed = await commandsOf(async () =>
        expect(await login(email, 'wrong', address)).toBe('INVALID_CREDENTIALS'),
      );
      expect(failed).toHaveLength(1);
      expect(failed[0][0]).toBe('evalsha');
      expect(failed[0]).toEqual(expect.arrayContaining(allKeys));

      const succeeded = await commandsOf(async () =>
        expect(await login(email, PASSWORD, address)).toBe('OK'),
      );
      expect(succeeded.map((args) => args[0])).toEqual(['evalsha', 'evalsha']);
      for (const args of succeeded) expect(args).toEqual(expect.arrayContaining(allKeys));

      await fill(keys.account, PER_ACCOUNT);
      const refused = await commandsOf(async () =>
        expect(await login(email, PASSWORD, address)).toBe('THROTTLED'),
      );
      expect(refused).toHaveLength(1);
    } finally {
      monitor.disconnect();
    }
  }, 60_000);
});
