import { Scalar, CustomScalar } from '@nestjs/graphql';
import { GraphQLError, Kind, ValueNode } from 'graphql';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function parseDate(value: unknown): string {
  if (typeof value !== 'string' || !DATE.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) {
    throw new GraphQLError('Date must be YYYY-MM-DD', { extensions: { code: 'BAD_USER_INPUT' } });
  }
  if (new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) !== value) {
    throw new GraphQLError('Date is not a calendar date', { extensions: { code: 'BAD_USER_INPUT' } });
  }
  return value;
}

/** A calendar date, YYYY-MM-DD, kept as a string so that no time zone can shift it. */
@Scalar('Date')
export class DateScalar implements CustomScalar<string, string> {
  description = 'A calendar date, YYYY-MM-DD.';
  parseValue(value: unknown): string {
    return parseDate(value);
  }
  serialize(value: unknown): string {
    if (value instanceof Date) return value.toISOString().slice(0, 10);
    return parseDate(value);
  }
  parseLiteral(ast: ValueNode): string {
    if (ast.kind !== Kind.STRING)
      throw new GraphQLError('Date must be a string', { extensions: { code: 'BAD_USER_INPUT' } });
    return parseDate(ast.value);
  }
}
