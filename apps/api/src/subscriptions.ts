import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Request } from 'express';
import { GraphQLError, parse, specifiedRules, validate, type ExecutionArgs } from 'graphql';
import type { Logger } from 'pino';
import type { WebSocket } from 'ws';
import type { AuthService } from '@hips/auth';
import { connectionRequest, RequestContext } from '@hips/common';
import { SubscriberTooSlowError } from '@hips/escalations';
import type { SchemaRef } from './operation-limits-plugin';
import { formatError, isClientError } from './format-error';
import { queryLimits, REQUEST_LIMITS, sourceProblem } from './graphql-limits';
import { nulCharacterProblem } from './input-hygiene';
import { priceOperation } from './query-cost';

/** graphql-ws close codes (as graphql-ws itself uses them). */
export const CLOSE_UNAUTHORIZED = 4401;
export const CLOSE_FORBIDDEN = 4403;

const CONTEXT = Symbol('hips:connection-context');

interface Extra {
  socket: WebSocket;
  request: IncomingMessage;
  [CONTEXT]?: RequestContext;
  expiryTimer?: NodeJS.Timeout;
}

/** What graphql-ws hands to its hooks (the parts used here). */
export interface WsContext {
  connectionParams?: Readonly<Record<string, unknown>>;
  extra: unknown;
  subscriptions: unknown;
}

function param(params: Readonly<Record<string, unknown>> | undefined, name: string): string | null {
  if (!params) return null;
  const key = Object.keys(params).find((k) => k.toLowerCase() === name);
  const value = key ? params[key] : undefined;
  return typeof value === 'string' && value.length > 0 ? value : null;
}

export type ConnectionAuth =
  | { ok: true; context: RequestContext; expiresAt: number | null }
  | { ok: false; code: typeof CLOSE_UNAUTHORIZED | typeof CLOSE_FORBIDDEN };

/**
 * The HTTP rules on connectionParams: `authorization: 'Bearer <access token>'` (HS256, typ access, person not
 * disabled and holding a post in the token's partnership) or `x-api-key` (not revoked, not expired). Like the HTTP
 * guard, a bad token falls back to the API key when both are sent. Nothing sent: 4401; nothing valid: 4403.
 */
export async function authenticateConnection(
  auth: Pick<AuthService, 'verify' | 'contextForPerson' | 'contextForApiKey'>,
  params: Readonly<Record<string, unknown>> | undefined,
  requestId: string,
): Promise<ConnectionAuth> {
  const authorization = param(params, 'authorization');
  const apiKey = param(params, 'x-api-key');
  if (!authorization && !apiKey) return { ok: false, code: CLOSE_UNAUTHORIZED };
  const bearer = authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
  if (bearer) {
    const payload = await auth.verify(bearer, 'access');
    if (payload) {
      const context = await auth.contextForPerson(payload.sub, payload.pid, requestId);
      const exp = (payload as { exp?: unknown }).exp;
      if (context) return { ok: true, context, expiresAt: typeof exp === 'number' ? exp * 1000 : null };
    }
  }
  if (apiKey && apiKey.length <= 200) {
    const context = await auth.contextForApiKey(apiKey, requestId);
    if (context) return { ok: true, context, expiresAt: null };
  }
  return { ok: false, code: CLOSE_FORBIDDEN };
}

/** What a client's subscribe message carries. */
interface SubscribePayload {
  query: string;
  operationName?: string | null;
  variables?: Record<string, unknown> | null;
}

/** Only the code of a refusal reaches the client (its http status means nothing on a socket). */
const refusal = (error: GraphQLError) =>
  new GraphQLError(error.message, { extensions: { code: error.extensions.code } });

/**
 * The HTTP limits on one subscribe message (connections are always authenticated): size and tokens before
 * parsing, depth and aliases in validation, then the price with the variables; nothing runs when one refuses.
 */
export function checkedSubscription(
  ref: SchemaRef,
  payload: SubscribePayload,
): readonly GraphQLError[] | ExecutionArgs {
  const problem = sourceProblem(payload.query, REQUEST_LIMITS.authenticated);
  if (problem) return [refusal(problem)];
  const schema = ref.schema;
  if (!schema)
    return [new GraphQLError('The API is still starting', { extensions: { code: 'UNAVAILABLE' } })];
  let document;
  try {
    document = parse(payload.query);
  } catch (error) {
    return [error as GraphQLError];
  }
  const nul = nulCharacterProblem(document, payload.variables);
  if (nul) return [refusal(nul)];
  const rules = [...specifiedRules, queryLimits(REQUEST_LIMITS.depth, REQUEST_LIMITS.aliases)];
  const invalid = validate(schema, document, rules);
  if (invalid.length > 0) {
    if (!ref.hideSuggestions) return invalid;
    // As Apollo's DisableSuggestions plugin does over HTTP.
    return invalid.map(
      (error) =>
        new GraphQLError(error.message.replace(/ ?Did you mean(.+?)\?$/, ''), {
          nodes: error.nodes,
          extensions: error.extensions,
        }),
    );
  }
  try {
    priceOperation(schema, document, payload.operationName, payload.variables, REQUEST_LIMITS.maxCost);
  } catch (error) {
    if (error instanceof GraphQLError) return [refusal(error)];
    throw error;
  }
  return {
    schema,
    document,
    operationName: payload.operationName,
    variableValues: payload.variables ?? undefined,
  };
}

/**
 * The `graphql-ws` options of the Apollo driver: authenticate at connection_init, close the connection when the
 * access token expires, apply the same document limits as HTTP, and mask unexpected errors as HTTP does.
 */
export function graphqlWsOptions(auth: AuthService, logger: Logger, ref: SchemaRef) {
  return {
    path: '/graphql',
    connectionInitWaitTimeout: 5_000,
    onConnect: async (ctx: WsContext): Promise<boolean> => {
      const extra = ctx.extra as Extra;
      const result = await authenticateConnection(auth, ctx.connectionParams, `ws-${randomUUID()}`);
      if (!result.ok) {
        if (result.code === CLOSE_UNAUTHORIZED) extra.socket.close(CLOSE_UNAUTHORIZED, 'Unauthorized');
        return false; // graphql-ws closes with 4403 Forbidden (a no-op when already closing)
      }
      extra[CONTEXT] = result.context;
      if (result.expiresAt !== null) {
        // A connection lives no longer than its access token: the client reconnects with a fresh one.
        const ms = Math.max(0, result.expiresAt - Date.now());
        extra.expiryTimer = setTimeout(() => extra.socket.close(CLOSE_FORBIDDEN, 'Token expired'), ms);
        extra.expiryTimer.unref();
      }
      return true;
    },
    onClose: (ctx: WsContext): void => {
      const extra = ctx.extra as Extra;
      if (extra?.expiryTimer) clearTimeout(extra.expiryTimer);
    },
    onSubscribe: (_ctx: WsContext, _id: string, payload: SubscribePayload) =>
      checkedSubscription(ref, payload),
    // A stream that fails (an unexpected error, or a subscriber dropped as too slow) ends with an error message:
    // unexpected ones are logged and masked as over HTTP.
    onError: (_ctx: WsContext, id: string, _payload: unknown, errors: readonly GraphQLError[]) =>
      errors.map((error) => {
        const original = error.originalError;
        if (!original || original instanceof SubscriberTooSlowError) return error.toJSON();
        const requestId = `ws-${id}-${randomUUID()}`;
        logger.error(
          { requestId, err: { message: original.message, stack: original.stack } },
          'unexpected error in a GraphQL subscription stream',
        );
        return {
          message: `Internal error; quote request ${requestId} to support`,
          extensions: { code: 'INTERNAL_SERVER_ERROR', requestId },
        };
      }),
    onNext: (
      _ctx: WsContext,
      id: string,
      _payload: unknown,
      _args: unknown,
      result: { errors?: readonly GraphQLError[] },
    ) => {
      if (!result.errors?.length) return undefined;
      const requestId = `ws-${id}-${randomUUID()}`;
      for (const error of result.errors) {
        if (isClientError(error.extensions?.code)) continue;
        const original = error.originalError ?? error;
        logger.error(
          { requestId, path: error.path, err: { message: original.message, stack: original.stack } },
          'unexpected error in a GraphQL subscription',
        );
      }
      return {
        ...result,
        errors: result.errors.map((error) => {
          const formatted = formatError(error.toJSON(), error);
          return formatted.extensions?.code === 'INTERNAL_SERVER_ERROR'
            ? {
                ...formatted,
                message: `Internal error; quote request ${requestId} to support`,
                extensions: { code: 'INTERNAL_SERVER_ERROR', requestId },
              }
            : formatted;
        }),
      };
    },
  };
}

function isWsContext(value: unknown): value is WsContext {
  return typeof value === 'object' && value !== null && 'extra' in value && 'subscriptions' in value;
}

/**
 * The GraphQL context of an operation: `{ req }`. Over HTTP, Express' request (passport sets `req.user`); over a
 * WebSocket, a request-like object carrying the connection's RequestContext, with a request id per operation.
 */
export function graphqlContext(arg: unknown): { req: Request } {
  if (isWsContext(arg)) {
    const context = (arg.extra as Extra)[CONTEXT];
    return {
      req: context
        ? connectionRequest({ ...context, requestId: `ws-${randomUUID()}` })
        : ({ headers: {} } as Request),
    };
  }
  return { req: (arg as { req: Request }).req };
}
