import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import type { DataSource } from 'typeorm';
import { loadConfig } from '@hips/config';
import { createOwnerDataSource } from '@hips/database';
import { readTestEnv } from './env';

export interface GqlResult<T = Record<string, any>> {
  status: number;
  data: T;
  errors?: { message: string; extensions?: { code?: string; reference?: string } }[];
}

export type Auth = { token: string } | { apiKey: string } | undefined;

export interface TestApp {
  /** supertest against the running API process. */
  http: TestAgent;
  /** The owner connection, for arranging fixtures and inspecting rows behind the API's back. */
  owner: DataSource;
  gql<T = Record<string, any>>(
    query: string,
    variables?: Record<string, unknown>,
    auth?: Auth,
  ): Promise<GqlResult<T>>;
  login(email: string, partnership?: string): Promise<string>;
  close(): Promise<void>;
}

export const DEMO_PASSWORD = 'resolve-demo';

/** Connects to the API process started by the global setup (real HTTP) and to the run's database as owner. */
export async function startTestApp(): Promise<TestApp> {
  const env = readTestEnv();
  Object.assign(process.env, env);
  const owner = createOwnerDataSource(loadConfig().databaseUrl);
  await owner.initialize();
  const http = request(env.API_URL);
  const tokens = new Map<string, string>();
  const gql: TestApp['gql'] = async (query, variables, auth) => {
    let req = http.post('/graphql').set('content-type', 'application/json');
    if (auth && 'token' in auth) req = req.set('authorization', `Bearer ${auth.token}`);
    if (auth && 'apiKey' in auth) req = req.set('x-api-key', auth.apiKey);
    const res = await req.send({ query, variables });
    return { status: res.status, data: res.body.data, errors: res.body.errors };
  };
  return {
    http,
    owner,
    gql,
    async login(email, partnership) {
      const key = `${email}/${partnership ?? ''}`;
      const cached = tokens.get(key);
      if (cached) return cached;
      const res = await gql(
        `mutation($input: LoginInput!) { login(input: $input) { accessToken userErrors { code message } } }`,
        { input: { email, password: DEMO_PASSWORD, partnership } },
      );
      const token = res.data?.login?.accessToken as string | undefined;
      if (!token) throw new Error(`login failed for ${email}: ${JSON.stringify(res.data ?? res.errors)}`);
      tokens.set(key, token);
      return token;
    },
    async close() {
      await owner.destroy();
    },
  };
}
