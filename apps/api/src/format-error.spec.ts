import { GraphQLError } from 'graphql';
import { formatError } from './format-error';

describe('formatError', () => {
  it('passes client errors through with their code only', () => {
    const error = new GraphQLError('Authentication required', {
      extensions: { code: 'UNAUTHENTICATED', secret: 1 },
    });
    expect(formatError(error.toJSON(), error)).toEqual({
      message: 'Authentication required',
      extensions: { code: 'UNAUTHENTICATED' },
    });
  });

  it('masks anything else: no message, no stack, only a reference', () => {
    const original = new Error('duplicate key value violates unique constraint "people_email" (x@y)');
    const error = new GraphQLError(original.message, { originalError: original, path: ['invitePerson'] });
    const formatted = formatError(error.toJSON(), error);
    expect(formatted).toEqual({
      message: 'Internal error; quote request unknown to support',
      path: ['invitePerson'],
      extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: 'unknown' },
    });
    expect(JSON.stringify(formatted)).not.toContain('duplicate key');
  });
});
