import { MapperKind, mapSchema } from '@graphql-tools/utils';
import { Scalar, CustomScalar } from '@nestjs/graphql';
import { GraphQLError, GraphQLScalarType, GraphQLSchema, Kind, ValueNode } from 'graphql';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Every Date and DateTime a caller sends lies in these years (docs/security/request-limits.md): nothing in the
 * procedure is older or further ahead, and calendar arithmetic and PostgreSQL never see year 1000 or 9999.
 */
export const EARLIEST_INPUT_DATE = '1900-01-01';
export const LATEST_INPUT_DATE = '2199-12-31';

const badInput = (message: string) => new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });

function assertInputRange(date: string, scalar: string): void {
  if (date < EARLIEST_INPUT_DATE || date > LATEST_INPUT_DATE) {
    throw badInput(`${scalar} must be from ${EARLIEST_INPUT_DATE} to ${LATEST_INPUT_DATE}`);
  }
}

function parseDate(value: unknown): string {
  if (typeof value !== 'string' || !DATE.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) {
    throw new GraphQLError('Date must be YYYY-MM-DD', { extensions: { code: 'BAD_USER_INPUT' } });
  }
  if (new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) !== value) {
    throw new GraphQLError('Date is not a calendar date', { extensions: { code: 'BAD_USER_INPUT' } });
  }
  return value;
}

function parseInputDate(value: unknown): string {
  const date = parseDate(value);
  assertInputRange(date, 'Date');
  return date;
}

/** A calendar date, YYYY-MM-DD, kept as a string so that no time zone can shift it. */
@Scalar('Date')
export class DateScalar implements CustomScalar<string, string> {
  description = 'A calendar date, YYYY-MM-DD.';
  parseValue(value: unknown): string {
    return parseInputDate(value);
  }
  serialize(value: unknown): string {
    if (value instanceof Date) return value.toISOString().slice(0, 10);
    return parseDate(value);
  }
  parseLiteral(ast: ValueNode): string {
    if (ast.kind !== Kind.STRING)
      throw new GraphQLError('Date must be a string', { extensions: { code: 'BAD_USER_INPUT' } });
    return parseInputDate(ast.value);
  }
}

const DATE_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;

function parseDateTime(value: unknown): Date {
  const instant = typeof value === 'string' && DATE_TIME.test(value) ? new Date(value) : null;
  if (!instant || Number.isNaN(instant.getTime())) {
    throw badInput('DateTime must be an ISO 8601 date-time, such as 2026-03-02T09:30:00Z');
  }
  assertInputRange(instant.toISOString().slice(0, 10), 'DateTime');
  return instant;
}

/**
 * The served schema with a strict DateTime: the driver's scalar turns any string or number into a Date (an
 * invalid one reaching PostgreSQL as an internal error); this one takes only ISO 8601 strings within the input
 * years. Applied once to the whole schema, whichever model declared the field.
 */
export function withStrictDateTime(schema: GraphQLSchema): GraphQLSchema {
  return mapSchema(schema, {
    [MapperKind.SCALAR_TYPE]: (type) =>
      type.name !== 'DateTime'
        ? type
        : new GraphQLScalarType({
            ...type.toConfig(),
            parseValue: parseDateTime,
            parseLiteral: (ast) => {
              if (ast.kind !== Kind.STRING) throw badInput('DateTime must be a string');
              return parseDateTime(ast.value);
            },
          }),
  });
}
