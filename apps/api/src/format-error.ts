import type { ApolloServerPlugin } from '@apollo/server';
import type { Request } from 'express';
import type { GraphQLFormattedError } from 'graphql';
import type { Logger } from 'pino';
import { requestIdOf } from '@hips/common';

/** Codes whose messages are meant for the caller; anything else is internal and masked. */
const CLIENT_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'PERSISTED_QUERY_NOT_FOUND',
  'OPERATION_RESOLUTION_FAILURE',
  // Analytics answers too large or too slow (docs/security/heavy-work.md).
  'ANALYTICS_TABLE_TOO_LARGE',
  'ANALYTICS_TIME_BUDGET_EXCEEDED',
  'ANALYTICS_BUSY',
  // docs/security/request-limits.md
  'QUERY_TOO_COSTLY',
  'TOO_MANY_TOKENS',
  'DOCUMENT_TOO_LARGE',
]);

const REQUEST_ID = Symbol('requestId');
type Tagged = { [REQUEST_ID]?: string };

export function isClientError(code: unknown): boolean {
  return typeof code === 'string' && CLIENT_CODES.has(code);
}

/**
 * Logs every unexpected error once, with the request id, and tags it so that formatError can give the caller
 * that id as the only detail.
 */
export function errorLoggingPlugin(logger: Logger): ApolloServerPlugin<{ req: Request }> {
  return {
    requestDidStart() {
      return Promise.resolve({
        didEncounterErrors({ contextValue, errors }) {
          const requestId = requestIdOf(contextValue.req);
          for (const error of errors) {
            if (isClientError(error.extensions?.code)) continue;
            const original: unknown = error.originalError ?? error;
            if (original && typeof original === 'object') (original as Tagged)[REQUEST_ID] = requestId;
            logger.error(
              {
                requestId,
                path: error.path,
                err:
                  original instanceof Error ? { message: original.message, stack: original.stack } : original,
              },
              'unexpected error in a GraphQL operation',
            );
          }
          return Promise.resolve();
        },
      });
    },
  };
}

/** Client errors pass through; anything else becomes a masked message carrying only the request id. */
export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const code = formatted.extensions?.code;
  if (isClientError(code)) {
    return {
      message: formatted.message,
      locations: formatted.locations,
      path: formatted.path,
      extensions: { code },
    };
  }
  const original = (error as { originalError?: unknown } | null)?.originalError ?? error;
  const requestId = (original as Tagged | null)?.[REQUEST_ID] ?? 'unknown';
  return {
    message: `Internal error; quote request ${requestId} to support`,
    path: formatted.path,
    extensions: { code: 'INTERNAL_SERVER_ERROR', requestId },
  };
}
