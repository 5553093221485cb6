import { createHmac } from 'node:crypto';
import { loadConfig } from '@hips/config';
import { hashPassword } from '@hips/directory';
import { DEMO_PASSWORD, startTestApp, TestApp } from '../support/app';
import { createOwnAgency } from '../support/fixtures';

const LOGIN = `mutation($input: LoginInput!) {
  login(input: $input) { accessToken refreshToken expiresAt viewer { roles partnership { code } } userErrors { code field message } }
}`;
const REFRESH = `mutation($input: RefreshTokenInput!) {
  refreshToken(input: $input) { accessToken refreshToken userErrors { code field } }
}`;

/** A JWT signed by hand, so the tests can forge what an attacker would. */
function jwt(header: object, payload: object, secret: string | null): string {
  const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const body = `${enc(header)}.${enc(payload)}`;
  const signature = secret === null ? '' : createHmac('sha256', secret).update(body).digest('base64url');
  return `${body}.${signature}`;
}

describe('authentication', () => {
  let t: TestApp;
  let secret: string;
  let portsmouthAdminId: string;
  let portsmouthId: string;

  beforeAll(async () => {
    t = await startTestApp();
    secret = loadConfig().jwtSecret;
    [{ id: portsmouthAdminId }] = await t.owner.query(
      `select id from people where email = 'admin.portsmouth@demo.hips.test'`,
    );
    [{ id: portsmouthId }] = await t.owner.query(`select id from partnerships where code = 'PORTSMOUTH'`);
  });
  afterAll(() => t.close());

  const viewerWith = (headers: Record<string, string>) => {
    let req = t.http.post('/graphql').set('content-type', 'application/json');
    for (const [k, v] of Object.entries(headers)) req = req.set(k, v);
    return req.send({ query: '{ viewer { roles apiClientName person { displayName } } }' });
  };

  it('logs in with e-mail and password and returns a short-lived token bound to the partnership', async () => {
    const res = await t.gql(LOGIN, {
      input: { email: 'Admin.Portsmouth@demo.hips.test', password: DEMO_PASSWORD },
    });
    const login = res.data.login;
    expect(login.userErrors).toEqual([]);
    expect(login.viewer).toEqual({ roles: ['PARTNERSHIP_ADMIN'], partnership: { code: 'PORTSMOUTH' } });
    const minutes = (new Date(login.expiresAt).getTime() - Date.now()) / 60_000;
    expect(minutes).toBeGreaterThan(10);
    expect(minutes).toBeLessThanOrEqual(15);
    const viewer = await viewerWith({ authorization: `Bearer ${login.accessToken}` });
    expect(viewer.body.data.viewer.person.displayName).toBe('Partnership admin (Portsmouth)');
    const audit: unknown[] = await t.owner.query(
      `select 1 from audit_log where action = 'LOGIN' and actor_id = $1`,
      [portsmouthAdminId],
    );
    expect(audit.length).toBeGreaterThan(0);
  });

  it('answers a wrong password and an unknown e-mail alike, with no token', async () => {
    for (const input of [
      { email: 'admin.southampton@demo.hips.test', password: 'wrong-password' },
      { email: 'nobody@demo.hips.test', password: DEMO_PASSWORD },
    ]) {
      const res = await t.gql(LOGIN, { input });
      expect(res.data.login.accessToken).toBeNull();
      expect(res.data.login.userErrors).toEqual([
        { code: 'INVALID_CREDENTIALS', field: null, message: 'E-mail or password is not correct' },
      ]);
    }
  });

  it('throttles repeated failures for an account, even with the right password afterwards', async () => {
    const email = 'line-manager.school.hampshire@demo.hips.test';
    for (let i = 0; i < 5; i += 1) {
      const res = await t.gql(LOGIN, { input: { email, password: 'not-it' } });
      expect(res.data.login.userErrors[0].code).toBe('INVALID_CREDENTIALS');
    }
    const res = await t.gql(LOGIN, { input: { email, password: DEMO_PASSWORD } });
    expect(res.data.login.userErrors[0].code).toBe('THROTTLED');
    expect(res.data.login.accessToken).toBeNull();
  });

  it('throttles repeated failures from one address across accounts', async () => {
    const fromAddress = (email: string, password: string) =>
      t.http
        .post('/graphql')
        .set('content-type', 'application/json')
        .set('x-forwarded-for', '198.51.100.23') // trusted only from a loopback proxy, as in these tests
        .send({ query: LOGIN, variables: { input: { email, password } } });
    for (let i = 0; i < 50; i += 1) {
      const res = await fromAddress(`someone-${i}@demo.hips.test`, 'x');
      expect(res.body.data.login.userErrors[0].code).toBe('INVALID_CREDENTIALS');
    }
    const blocked = await fromAddress('admin.hampshire@demo.hips.test', DEMO_PASSWORD);
    expect(blocked.body.data.login.userErrors[0].code).toBe('THROTTLED');
    const elsewhere = await t.gql(LOGIN, {
      input: { email: 'admin.hampshire@demo.hips.test', password: DEMO_PASSWORD },
    });
    expect(elsewhere.data.login.userErrors).toEqual([]);
  }, 180_000);

  it('asks which partnership when the person holds posts in several', async () => {
    // A person of this spec's own: a second post for a demo login would change the demo structure.
    const own = await createOwnAgency(t, {
      adminEmail: 'admin.isle-of-wight@demo.hips.test',
      partnership: 'ISLE_OF_WIGHT',
      label: 'Two-partnership agency',
      people: [{ key: 'practitioner', roleType: 'PRACTITIONER' }],
    });
    const email = own.emails.practitioner;
    await t.owner.query(
      `insert into role_assignments (partnership_id, person_id, org_unit_id, role_type)
       select p.id, r.person_id, r.org_unit_id, 'PRACTITIONER' from role_assignments r, partnerships p
       where r.person_id = (select id from people where email = $1) and p.code = 'HAMPSHIRE'`,
      [email],
    );
    const ask = await t.gql(LOGIN, { input: { email, password: DEMO_PASSWORD } });
    expect(ask.data.login.userErrors[0]).toMatchObject({
      code: 'PARTNERSHIP_REQUIRED',
      field: ['input', 'partnership'],
    });
    const chosen = await t.gql(LOGIN, {
      input: { email, password: DEMO_PASSWORD, partnership: 'HAMPSHIRE' },
    });
    expect(chosen.data.login.viewer.partnership.code).toBe('HAMPSHIRE');
    const outside = await t.gql(LOGIN, {
      input: { email, password: DEMO_PASSWORD, partnership: 'SOUTHAMPTON' },
    });
    expect(outside.data.login.userErrors[0].code).toBe('FORBIDDEN');
  });

  it('rotates refresh tokens: each works once', async () => {
    const res = await t.gql(LOGIN, {
      input: { email: 'admin.isle-of-wight@demo.hips.test', password: DEMO_PASSWORD },
    });
    const first = res.data.login.refreshToken as string;
    const refreshed = await t.gql(REFRESH, { input: { refreshToken: first } });
    expect(refreshed.data.refreshToken.userErrors).toEqual([]);
    expect(refreshed.data.refreshToken.accessToken).toEqual(expect.any(String));
    const again = await t.gql(REFRESH, { input: { refreshToken: first } });
    expect(again.data.refreshToken).toEqual({
      accessToken: null,
      refreshToken: null,
      userErrors: [{ code: 'INVALID_TOKEN', field: ['input', 'refreshToken'] }],
    });
    const forged = await t.gql(REFRESH, { input: { refreshToken: 'x.y.z' } });
    expect(forged.data.refreshToken.userErrors[0].code).toBe('INVALID_TOKEN');
  });

  it('refuses forged, expired and misused tokens', async () => {
    const claims = { sub: portsmouthAdminId, pid: portsmouthId, typ: 'access' };
    const now = Math.floor(Date.now() / 1000);
    const valid = jwt({ alg: 'HS256', typ: 'JWT' }, { ...claims, iat: now, exp: now + 60 }, secret);
    expect((await viewerWith({ authorization: `Bearer ${valid}` })).body.data.viewer.roles).toEqual([
      'PARTNERSHIP_ADMIN',
    ]);

    const forgeries = {
      algNone: jwt({ alg: 'none', typ: 'JWT' }, { ...claims, iat: now, exp: now + 60 }, null),
      wrongSignature: jwt(
        { alg: 'HS256', typ: 'JWT' },
        { ...claims, iat: now, exp: now + 60 },
        'x'.repeat(48),
      ),
      expired: jwt({ alg: 'HS256', typ: 'JWT' }, { ...claims, iat: now - 7200, exp: now - 3600 }, secret),
      refreshAsAccess: jwt(
        { alg: 'HS256', typ: 'JWT' },
        { ...claims, typ: 'refresh', iat: now, exp: now + 60 },
        secret,
      ),
      garbage: 'not-a-token',
    };
    for (const [name, token] of Object.entries(forgeries)) {
      const res = await viewerWith({ authorization: `Bearer ${token}` });
      expect({ name, data: res.body.data, code: res.body.errors?.[0]?.extensions?.code }).toEqual({
        name,
        data: null,
        code: 'UNAUTHENTICATED',
      });
    }
    const anonymous = await viewerWith({});
    expect(anonymous.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  describe('the viewer a login or refresh answers with', () => {
    const VIEWER = `viewer { roles partnership { code } person { displayName roles agency { name partnerships { code } orgUnits { name } } } }`;
    const email = `viewer-${Date.now()}@login-viewer.test`;
    const password = 'viewer password 1234';
    let agencyName: string;

    beforeAll(async () => {
      const [agency]: { id: string; name: string; partnership_id: string }[] = await t.owner.query(
        `select a.id, a.name, m.partnership_id from agencies a join agency_memberships m on m.agency_id = a.id
         where m.partnership_id = $1 order by a.name limit 1`,
        [portsmouthId],
      );
      agencyName = agency.name;
      await t.owner.query(
        `insert into people (email, display_name, agency_id, home_partnership_id, password_hash)
         values ($1, 'Viewer Person', $2, $3, $4)`,
        [email, agency.id, agency.partnership_id, await hashPassword(password)],
      );
    });

    const expected = () => ({
      roles: [],
      partnership: { code: 'PORTSMOUTH' },
      person: {
        displayName: 'Viewer Person',
        roles: [],
        agency: { name: agencyName, partnerships: expect.any(Array), orgUnits: expect.any(Array) },
      },
    });

    it('resolves every field under it as the person who just logged in', async () => {
      const res = await t.gql(
        `mutation($input: LoginInput!) { login(input: $input) { refreshToken ${VIEWER} userErrors { code } } }`,
        { input: { email, password } },
      );
      expect(res.errors).toBeUndefined();
      expect(res.data.login.userErrors).toEqual([]);
      expect(res.data.login.viewer).toEqual(expected());
      expect(res.data.login.viewer.person.agency.partnerships).toContainEqual({ code: 'PORTSMOUTH' });

      const refreshed = await t.gql(
        `mutation($input: RefreshTokenInput!) { refreshToken(input: $input) { ${VIEWER} userErrors { code } } }`,
        { input: { refreshToken: res.data.login.refreshToken } },
      );
      expect(refreshed.errors).toBeUndefined();
      expect(refreshed.data.refreshToken.viewer).toEqual(expected());
    });

    it('authenticates that answer only: other fields of the operation still need credentials', async () => {
      const res = await t.gql(
        `mutation($input: LoginInput!) {
          login(input: $input) { viewer { person { agency { name } } } }
          createAgency(input: { name: "Riding on a login", type: OTHER, partnerships: [PORTSMOUTH] }) { userErrors { code } }
        }`,
        { input: { email, password } },
      );
      // createAgency's payload is non-null, so its error nulls the whole answer; what matters is which error.
      expect(res.errors?.map((e) => [e.extensions?.code, (e as { path?: string[] }).path])).toEqual([
        ['UNAUTHENTICATED', ['createAgency']],
      ]);
      const [{ count }]: { count: number }[] = await t.owner.query(
        `select count(*)::int as count from agencies where name = 'Riding on a login'`,
      );
      expect(count).toBe(0);
    });
  });

  describe('API keys', () => {
    const CREATE = `mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { apiKey keyId userErrors { code field } } }`;
    const REVOKE = `mutation($id: ID!) { revokeApiKey(keyId: $id) { keyId userErrors { code field } } }`;
    let agencyId: string;
    let practitionerEmail: string;

    beforeAll(async () => {
      // Keys hang on an agency of this spec's own, never on a demo agency (docs/testing/test-practice.md).
      const own = await createOwnAgency(t, {
        adminEmail: 'admin.portsmouth@demo.hips.test',
        partnership: 'PORTSMOUTH',
        label: 'API key hospital',
        type: 'HEALTH_PROVIDER',
        people: [{ key: 'practitioner', roleType: 'PRACTITIONER' }],
      });
      agencyId = own.agencyId;
      practitionerEmail = own.emails.practitioner;
    });

    it('creates a key shown once, stored only as a hash, that authenticates the agency system', async () => {
      const token = await t.login('admin.portsmouth@demo.hips.test');
      const created = await t.gql(CREATE, { input: { agencyId, name: 'Hospital EPR' } }, { token });
      const { apiKey, keyId } = created.data.createApiKey;
      expect(apiKey).toMatch(/^hips_[A-Za-z0-9_-]{40,}$/);
      const stored: { key_hash: string; last_used_at: Date | null }[] = await t.owner.query(
        'select key_hash, last_used_at from api_keys where name = $1',
        ['Hospital EPR'],
      );
      expect(stored).toHaveLength(1);
      expect(stored[0].key_hash).not.toContain(apiKey);
      expect(stored[0].key_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(stored[0].last_used_at).toBeNull();

      const viewer = await viewerWith({ 'x-api-key': apiKey });
      expect(viewer.body.data.viewer).toEqual({ roles: [], apiClientName: 'Hospital EPR', person: null });
      const [used]: { last_used_at: Date | null }[] = await t.owner.query(
        'select last_used_at from api_keys where name = $1',
        ['Hospital EPR'],
      );
      expect(used.last_used_at).not.toBeNull();

      const revoked = await t.gql(REVOKE, { id: keyId }, { token });
      expect(revoked.data.revokeApiKey).toEqual({ keyId, userErrors: [] });
      expect((await viewerWith({ 'x-api-key': apiKey })).body.errors[0].extensions.code).toBe(
        'UNAUTHENTICATED',
      );
      const twice = await t.gql(REVOKE, { id: keyId }, { token });
      expect(twice.data.revokeApiKey.userErrors).toEqual([{ code: 'INVALID_STATE', field: ['keyId'] }]);
    });

    it('refuses an expired key and a key of another partnership', async () => {
      const token = await t.login('admin.portsmouth@demo.hips.test');
      const created = await t.gql(CREATE, { input: { agencyId, name: 'Soon expired' } }, { token });
      await t.owner.query(
        `update api_keys set expires_at = now() - interval '1 second' where name = 'Soon expired'`,
      );
      const res = await viewerWith({ 'x-api-key': created.data.createApiKey.apiKey });
      expect(res.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');

      const southampton = await t.login('admin.southampton@demo.hips.test');
      const other = await t.gql(REVOKE, { id: created.data.createApiKey.keyId }, { token: southampton });
      expect(other.data.revokeApiKey.userErrors).toEqual([{ code: 'NOT_FOUND', field: ['keyId'] }]);
      const past = await t.gql(
        CREATE,
        { input: { agencyId, name: 'Past', expiresAt: '2020-01-01T00:00:00Z' } },
        { token },
      );
      expect(past.data.createApiKey.userErrors).toEqual([
        { code: 'VALIDATION', field: ['input', 'expiresAt'] },
      ]);
    });

    it('lists keys for admins only, with last-used time and never the secret', async () => {
      const token = await t.login('admin.portsmouth@demo.hips.test');
      // A key of this test's own, used once and revoked, so that the test runs alone or in any order.
      const created = await t.gql(CREATE, { input: { agencyId, name: 'Listed EPR' } }, { token });
      const { apiKey, keyId } = created.data.createApiKey;
      expect((await viewerWith({ 'x-api-key': apiKey })).body.data.viewer.apiClientName).toBe('Listed EPR');
      expect((await t.gql(REVOKE, { id: keyId }, { token })).data.revokeApiKey.userErrors).toEqual([]);

      const listed = await t.gql('{ apiKeys { id name lastUsedAt revokedAt expiresAt } }', {}, { token });
      const epr = listed.data.apiKeys.find((k: any) => k.name === 'Listed EPR');
      expect(epr.lastUsedAt).toEqual(expect.any(String));
      expect(epr.revokedAt).toEqual(expect.any(String));
      expect(JSON.stringify(listed.data)).not.toContain('hips_');
      const other = await t.gql(
        '{ apiKeys { name } }',
        {},
        { token: await t.login('admin.hampshire@demo.hips.test') },
      );
      expect(other.data.apiKeys.map((k: any) => k.name)).not.toContain('Listed EPR');
      const practitioner = await t.login(practitionerEmail);
      const denied = await t.gql('{ apiKeys { name } }', {}, { token: practitioner });
      expect(denied.errors?.[0].extensions?.code).toBe('FORBIDDEN');
      expect(denied.data).toBeNull();
    });

    it('lets only admins create keys', async () => {
      const token = await t.login(practitionerEmail);
      const res = await t.gql(CREATE, { input: { agencyId, name: 'Sneaky' } }, { token });
      expect(res.data.createApiKey).toEqual({
        apiKey: null,
        keyId: null,
        userErrors: [{ code: 'FORBIDDEN', field: ['input', 'agencyId'] }],
      });
      const [{ count }]: { count: number }[] = await t.owner.query(
        `select count(*)::int as count from api_keys where name = 'Sneaky'`,
      );
      expect(count).toBe(0);
    });
  });
});
