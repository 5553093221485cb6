import type { GraphQLFormattedError } from 'graphql';
import type { Logger } from 'pino';

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
]);

/** Logs unexpected errors with the request id and returns only a masked message and that id. */
export function formatError(logger: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const code = formatted.extensions?.code;
    if (typeof code === 'string' && CLIENT_CODES.has(code)) {
      return {
        message: formatted.message,
        locations: formatted.locations,
        path: formatted.path,
        extensions: { code },
      };
    }
    const original = (error as { originalError?: unknown })?.originalError ?? error;
    const requestId = (original as { requestId?: string })?.requestId;
    const errorId = requestId ?? Math.random().toString(36).slice(2, 10);
    logger.error(
      {
        err: original instanceof Error ? { message: original.message, stack: original.stack } : original,
        errorId,
        path: formatted.path,
      },
      'unexpected error in a GraphQL operation',
    );
    return {
      message: `Internal error (reference ${errorId})`,
      path: formatted.path,
      extensions: { code: 'INTERNAL_SERVER_ERROR', reference: errorId },
    };
  };
}
