import { GraphQLError } from 'graphql';
import type { RequestContext } from '@hips/common';
import { SubscriberTooSlowError } from '@hips/escalations';
import {
  authenticateConnection,
  CLOSE_FORBIDDEN,
  CLOSE_UNAUTHORIZED,
  graphqlContext,
  graphqlWsOptions,
} from './subscriptions';

const person: RequestContext = {
  requestId: 'r',
  partnershipId: 'p',
  partnershipCode: 'PORTSMOUTH',
  personId: 'person',
  apiKeyId: null,
  apiClientName: null,
  agencyId: 'a',
  roles: ['PRACTITIONER'],
};
const key: RequestContext = { ...person, personId: null, apiKeyId: 'k', apiClientName: 'EPR', roles: [] };

function fakeAuth(opts: { token?: string; apiKey?: string; exp?: number } = {}) {
  return {
    verify: jest.fn((token: string, typ: string) =>
      Promise.resolve(
        token === opts.token && typ === 'access'
          ? { sub: 'person', pid: 'p', typ: 'access' as const, exp: opts.exp }
          : null,
      ),
    ),
    contextForPerson: jest.fn(() => Promise.resolve(person)),
    contextForApiKey: jest.fn((secret: string) => Promise.resolve(secret === opts.apiKey ? key : null)),
  };
}

describe('authenticateConnection', () => {
  it('answers 4401 without credentials and 4403 with invalid ones', async () => {
    const auth = fakeAuth({ token: 'good' });
    expect(await authenticateConnection(auth, undefined, 'r')).toEqual({
      ok: false,
      code: CLOSE_UNAUTHORIZED,
    });
    expect(await authenticateConnection(auth, { authorization: '' }, 'r')).toMatchObject({
      code: CLOSE_UNAUTHORIZED,
    });
    expect(await authenticateConnection(auth, { authorization: 'Bearer bad' }, 'r')).toMatchObject({
      code: CLOSE_FORBIDDEN,
    });
    expect(await authenticateConnection(auth, { authorization: 'good' }, 'r')).toMatchObject({
      code: CLOSE_FORBIDDEN,
    });
    expect(await authenticateConnection(auth, { 'x-api-key': 'x'.repeat(201) }, 'r')).toMatchObject({
      code: CLOSE_FORBIDDEN,
    });
  });

  it('builds the person context, with the token expiry, whatever the case of the parameter names', async () => {
    const auth = fakeAuth({ token: 'good', exp: 2_000_000_000 });
    const result = await authenticateConnection(auth, { Authorization: 'Bearer good' }, 'r');
    expect(result).toEqual({ ok: true, context: person, expiresAt: 2_000_000_000_000 });
    expect(auth.contextForPerson).toHaveBeenCalledWith('person', 'p', 'r');
  });

  it('refuses a person who is disabled or holds nothing in the partnership', async () => {
    const auth = { ...fakeAuth({ token: 'good' }), contextForPerson: jest.fn(() => Promise.resolve(null)) };
    expect(await authenticateConnection(auth, { authorization: 'Bearer good' }, 'r')).toMatchObject({
      code: CLOSE_FORBIDDEN,
    });
  });

  it('falls back to the API key when the token is bad, as the HTTP guard does', async () => {
    const auth = fakeAuth({ apiKey: 'hips_k' });
    expect(
      await authenticateConnection(auth, { authorization: 'Bearer bad', 'X-API-Key': 'hips_k' }, 'r'),
    ).toEqual({ ok: true, context: key, expiresAt: null });
  });
});

describe('graphql-ws wiring', () => {
  it('gives websocket operations a request carrying the connection context, with its own request id', async () => {
    const closed: number[] = [];
    const extra = { socket: { close: (code: number) => closed.push(code) }, request: {} };
    const options = graphqlWsOptions(
      fakeAuth({ apiKey: 'hips_k' }) as never,
      { error: jest.fn() } as never,
      {},
    );
    const ws = { connectionParams: { 'x-api-key': 'hips_k' }, extra, subscriptions: {} };
    expect(await options.onConnect(ws)).toBe(true);
    const { req } = graphqlContext(ws);
    expect(req.user).toMatchObject({ apiKeyId: 'k', partnershipId: 'p' });
    expect((req.user as RequestContext).requestId).toMatch(/^ws-/);
    expect(closed).toEqual([]);

    const refused = { connectionParams: {}, extra: { socket: extra.socket, request: {} }, subscriptions: {} };
    expect(await options.onConnect(refused)).toBe(false);
    expect(closed).toEqual([CLOSE_UNAUTHORIZED]);
    expect(graphqlContext(refused).req.user).toBeUndefined();
  });

  it('masks unexpected stream errors, keeps validation errors and the too-slow notice', () => {
    const logger = { error: jest.fn() };
    const options = graphqlWsOptions(fakeAuth() as never, logger as never, {});
    const ws = { extra: {}, subscriptions: {} };
    const [masked, slow, invalid] = options.onError(ws, '1', {}, [
      new GraphQLError('relation "x" does not exist', {
        originalError: new Error('relation "x" does not exist'),
      }),
      new GraphQLError('dropped', { originalError: new SubscriberTooSlowError(100) }),
      new GraphQLError('Cannot query field "nope"'),
    ]);
    expect(masked.message).toMatch(/^Internal error; quote request ws-1-/);
    expect(JSON.stringify(masked)).not.toContain('relation');
    expect(logger.error).toHaveBeenCalledTimes(1);
    expect(slow.message).toBe('dropped');
    expect(invalid.message).toBe('Cannot query field "nope"');
  });

  it('passes HTTP requests through', () => {
    const req = { headers: {} };
    expect(graphqlContext({ req }).req).toBe(req);
  });
});
