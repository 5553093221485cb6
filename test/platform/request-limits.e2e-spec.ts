import { readFileSync } from 'node:fs';
import { createClient, type Client } from 'graphql-ws';
import request from 'supertest';
import WebSocket from 'ws';
import { startTestApp, TestApp } from '../support/app';
import { RunningProcess, startProductionApi, stopProcess } from '../support/processes';
import { agencyId, email, PORTSMOUTH_CSC, RAISE, raiseInput } from '../escalations/support';
import { wsUrl } from '../subscriptions/support';

type WireError = { message: string; extensions?: { code?: string } };
const wsClient = (apiUrl: string, token: string) =>
  createClient({
    url: wsUrl(apiUrl),
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${token}` },
    retryAttempts: 0,
  });
/** The errors a subscribe message is answered with (fails if the subscription is accepted). */
const firstError = (client: Client, query: string) =>
  new Promise<WireError[]>((resolve, reject) => {
    client.subscribe(
      { query },
      {
        next: () => reject(new Error('the subscription was accepted')),
        error: (errors) => resolve(errors as WireError[]),
        complete: () => reject(new Error('completed without an error')),
      },
    );
  });

/** docs/security/request-limits.md: what a document may cost, and input refused before it reaches PostgreSQL. */
describe('request limits', () => {
  let t: TestApp;
  let token: string;
  const statements = () => readFileSync(process.env.SQL_LOG_FILE!, 'utf8').split('\n').length;
  const aliases = (n: number, field: string) =>
    Array.from({ length: n }, (_, i) => `a${i}: ${field}`).join(' ');
  /** Posts the document; the answer's errors, extensions and status, with the statements the API ran for it. */
  const send = async (query: string, variables: Record<string, unknown> = {}, auth = true) => {
    const before = statements();
    let req = t.http.post('/graphql').set('content-type', 'application/json');
    if (auth) req = req.set('authorization', `Bearer ${token}`);
    const res = await req.send({ query, variables });
    return {
      status: res.status,
      body: res.body as {
        data?: Record<string, any>;
        errors?: { message: string; extensions?: { code?: string } }[];
        extensions?: { cost?: { requestedQueryCost: number | null; maximumAvailable: number } };
      },
      statements: statements() - before,
    };
  };
  const codes = (res: Awaited<ReturnType<typeof send>>) => res.body.errors?.map((e) => e.extensions?.code);

  beforeAll(async () => {
    t = await startTestApp();
    token = await t.login('admin.portsmouth@demo.hips.test');
  });
  afterAll(() => t.close());

  describe('cost of what executes', () => {
    // Nine aliases at each of three fragment levels: 27 aliases (under the alias limit), 729 holders per agency.
    const FAN_OUT = `query {
      agencies(first: 100) { edges { node { ...Units } } }
    }
    fragment Units on Agency { ${aliases(9, 'orgUnits { ...Posts }')} }
    fragment Posts on OrgUnit { ${aliases(9, 'posts { ...Holders }')} }
    fragment Holders on Post { ${aliases(9, 'holder { id displayName }')} }`;

    it('refuses a document multiplied through aliases and fragments before executing anything', async () => {
      const res = await send(FAN_OUT);
      expect(res.status).toBe(400);
      expect(codes(res)).toEqual(['QUERY_TOO_COSTLY']);
      expect(res.body.data).toBeUndefined();
      expect(res.body.extensions?.cost?.requestedQueryCost).toBeGreaterThan(20_000);
      expect(res.body.extensions?.cost?.maximumAvailable).toBe(20_000);
      // Not even the guard's look-up of the caller: nothing ran.
      expect(res.statements).toBe(0);
    });

    it('prices lists by `first` (variables included) and reports the cost of every answer', async () => {
      const page = `query($n: Int) { escalations(first: $n) { totalCount edges { node { id raisingAgency { name } } } } }`;
      const ten = await send(page, { n: 10 });
      const hundred = await send(page, { n: 100 });
      expect(ten.body.errors).toBeUndefined();
      expect(hundred.body.errors).toBeUndefined();
      const small = ten.body.extensions!.cost!;
      expect(small.maximumAvailable).toBe(20_000);
      expect(hundred.body.extensions!.cost!.requestedQueryCost).toBe(10 * small.requestedQueryCost!);
      // An unpaginated list counts at its declared bound: 100 units per agency, 50 posts per unit.
      const units = await send(
        `{ agencies(first: 100) { edges { node { orgUnits { posts { holder { id } } } } } } }`,
      );
      expect(codes(units)).toEqual(['QUERY_TOO_COSTLY']);
      expect(units.statements).toBe(0);
    });

    it('applies the same limits to subscriptions over graphql-ws', async () => {
      const client = wsClient(process.env.API_URL!, token);
      try {
        const costly = await firstError(
          client,
          `subscription { escalationEvents { ${aliases(9, 'actor { posts { orgUnit { posts { deputies { posts { orgUnit { id } } } } } } }')} } }`,
        );
        expect(costly.map((e) => e.extensions?.code)).toEqual(['QUERY_TOO_COSTLY']);
        const long = await firstError(client, `subscription { escalationEvents { ${'id '.repeat(5_001)} } }`);
        expect(long.map((e) => e.extensions?.code)).toEqual(['TOO_MANY_TOKENS']);
      } finally {
        await client.dispose();
      }
    });
  });

  describe('document size and tokens', () => {
    it('refuses an anonymous document far sooner than an authenticated one, before parsing', async () => {
      const huge = `{ ${'__typename '.repeat(22_700)}}`; // 250 KB
      const anonymousHuge = await send(huge, {}, false);
      expect(anonymousHuge.status).toBe(413);
      expect(codes(anonymousHuge)).toEqual(['DOCUMENT_TOO_LARGE']);

      // 6,000 characters of comment: no tokens, but too long for an anonymous caller only.
      const padded = `# ${'x'.repeat(6_000)}\n{ __typename }`;
      expect(codes(await send(padded, {}, false))).toEqual(['DOCUMENT_TOO_LARGE']);
      expect((await send(padded)).body.data).toEqual({ __typename: 'Query' });

      // 602 tokens of unknown fields: refused by count alone when anonymous; parsed and validated otherwise.
      const many = `{ ${'a '.repeat(600)}}`;
      expect(codes(await send(many, {}, false))).toEqual(['TOO_MANY_TOKENS']);
      expect(codes(await send(many))?.[0]).toBe('GRAPHQL_VALIDATION_FAILED');
      expect(codes(await send(`{ ${'a '.repeat(5_000)}}`))).toEqual(['TOO_MANY_TOKENS']);

      // What anonymous callers need still passes: login.
      const login = await send(
        `mutation { login(input: { email: "nobody@demo.hips.test", password: "wrong" }) { userErrors { code } } }`,
        {},
        false,
      );
      expect(login.body.data?.login.userErrors[0].code).toBe('INVALID_CREDENTIALS');
    });
  });

  describe('production error messages', () => {
    let prod: RunningProcess | undefined;
    let prodUrl = '';
    beforeAll(async () => {
      ({ api: prod, url: prodUrl } = await startProductionApi());
    }, 90_000);
    afterAll(() => stopProcess(prod));

    it('suggest no field names in production (development still does)', async () => {
      const typo = { query: '{ viewr { roles } }' };
      const dev = await t.http.post('/graphql').set('content-type', 'application/json').send(typo);
      expect(dev.body.errors[0].message).toMatch(/Did you mean "viewer"\?/);
      const res = await request(prodUrl).post('/graphql').set('content-type', 'application/json').send(typo);
      expect(res.body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
      expect(res.body.errors[0].message).toContain('viewr');
      expect(JSON.stringify(res.body)).not.toMatch(/did you mean|viewer/i);

      // Nor over graphql-ws.
      const login = await request(prodUrl).post('/graphql').set('content-type', 'application/json').send({
        query: `mutation { login(input: { email: "admin.portsmouth@demo.hips.test", password: "resolve-demo" }) { accessToken } }`,
      });
      const client = wsClient(prodUrl, login.body.data.login.accessToken as string);
      try {
        const [error] = await firstError(client, 'subscription { escalationEvents { kin } }');
        expect(error.message).toContain('kin');
        expect(error.message).not.toMatch(/did you mean|kind/i);
      } finally {
        await client.dispose();
      }
    });
  });

  describe('input that would reach PostgreSQL raw', () => {
    let csc: string;
    let practitioner: { token: string };
    beforeAll(async () => {
      csc = await agencyId(t, PORTSMOUTH_CSC);
      practitioner = { token: await t.login(email('practitioner', 'police'), 'PORTSMOUTH') };
    });
    const raise = (patch: Record<string, unknown>) =>
      t.gql(RAISE, { input: raiseInput(csc, patch) }, practitioner);
    const badInput = (
      res: { errors?: { message: string; extensions?: { code?: string } }[] },
      where: RegExp,
    ) => {
      expect(res.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
      expect(res.errors![0].message).toMatch(where);
    };

    it('refuses a NUL character in any string, in variables or literals', async () => {
      badInput(await raise({ summary: 'before\u0000after' }), /\$input\.summary/);
      badInput(
        await raise({ child: { ...raiseInput(csc).child, initials: 'A\u0000' } }),
        /\$input\.child\.initials/,
      );
      badInput(
        await t.gql(
          `mutation { addEscalationNote(input: { escalationId: "x", visibility: SHARED, text: "a\\u0000b" }) { userErrors { code } } }`,
          {},
          { token },
        ),
        /input\.text/,
      );
      badInput(
        await t.gql(`mutation($input: LoginInput!) { login(input: $input) { userErrors { code } } }`, {
          input: { email: 'admin.portsmouth@demo.hips.test\u0000', password: 'x' },
        }),
        /\$input\.email/,
      );
      badInput(await t.gql(`{ agencies(after: "\\u0000") { totalCount } }`, {}, { token }), /after/);
    });

    it('refuses forged pagination cursors', async () => {
      const forge = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
      const escalations = `query($after: String) { escalations(first: 5, after: $after) { totalCount } }`;
      for (const after of [
        forge(['not a time', '00000000-0000-0000-0000-000000000000']),
        forge(['2026-01-01T00:00:00.000000Z', 'not-a-uuid']),
        'not base64 json',
      ]) {
        badInput(await t.gql(escalations, { after }, { token }), /after is not a valid cursor/);
      }
      badInput(
        await t.gql(
          `query($after: String) { agencies(after: $after) { totalCount } }`,
          { after: forge(['Z', 'x']) },
          { token },
        ),
        /after is not a valid cursor/,
      );
      // A cursor the API handed out still works.
      const first = await t.gql(`{ agencies(first: 1) { pageInfo { endCursor } } }`, {}, { token });
      const next = await t.gql(
        `query($after: String) { agencies(first: 1, after: $after) { edges { node { name } } } }`,
        { after: first.data.agencies.pageInfo.endCursor },
        { token },
      );
      expect(next.errors).toBeUndefined();
    });

    it('refuses dates outside 1900-2199 and malformed date-times', async () => {
      badInput(
        await raise({ child: { ...raiseInput(csc).child, dateOfBirth: '9999-01-01' } }),
        /Date must be from/,
      );
      badInput(
        await t.gql(
          `query($f: EscalationFilter) { escalations(filter: $f) { totalCount } }`,
          { f: { raisedFrom: '9999-12-31T00:00:00Z' } },
          { token },
        ),
        /DateTime must be from/,
      );
      badInput(
        await t.gql(
          `query($start: DateTime!) { workingDeadline(start: $start, workingDays: 5) { dueAt } }`,
          { start: '9999-12-30T10:00:00Z' },
          { token },
        ),
        /DateTime must be from/,
      );
      badInput(
        await t.gql(
          `query($at: DateTime) { previewDeadlines(input: { urgency: STANDARD, raisedAt: $at }) { dueAt } }`,
          { at: 'soon' },
          { token },
        ),
        /DateTime must be an ISO 8601/,
      );
      badInput(
        await t.gql(
          `mutation($input: AddClosureDayInput!) { addClosureDay(input: $input) { userErrors { code } } }`,
          { input: { date: '9999-12-31', reason: 'x' } },
          { token },
        ),
        /Date must be from/,
      );
      // Written into the document, the same value fails validation, with the same reason.
      const literal = await t.gql(
        `{ workingDeadline(start: "9999-12-30T10:00:00Z", workingDays: 5) { dueAt } }`,
        {},
        { token },
      );
      expect(literal.errors?.map((e) => e.extensions?.code)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
      expect(literal.errors![0].message).toMatch(/DateTime must be from/);
    });

    it('refuses a challengedAt far in the past without counting working days to it', async () => {
      const started = Date.now();
      badInput(await raise({ challengedAt: '1000-01-01T00:00:00Z' }), /DateTime must be from/);
      // Counting day by day to year 1000 took seconds; the range check answers at once.
      expect(Date.now() - started).toBeLessThan(2_000);

      const res = await raise({ challengedAt: '1901-06-03T09:00:00Z' });
      expect(res.data.raiseEscalation.userErrors).toEqual([
        {
          code: 'VALIDATION',
          field: ['input', 'challengedAt'],
          message: 'challengedAt must be in the past, at most 20 working days back',
        },
      ]);
    });
  });
});
