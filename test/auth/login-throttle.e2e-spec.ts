import { randomBytes } from 'node:crypto';
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
  /** A client address of its own (TEST-NET-2), as a proxy on loopback reports it. */
  const newAddress = () => `198.51.100.${nextAddress++}`;

  async function login(email: string, password: string, address: string): Promise<string> {
    const res = await t.http
      .post('/graphql')
      .set('content-type', 'application/json')
      .set('x-forwarded-for', address)
      .send({ query: LOGIN, variables: { input: { email, password } } });
    const payload = res.body.data.login;
    return payload.accessToken ? 'OK' : payload.userErrors[0].code;
  }

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
});
