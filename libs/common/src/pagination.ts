import { Field, ObjectType } from '@nestjs/graphql';
import { GraphQLError } from 'graphql';

@ObjectType()
export class PageInfo {
  @Field(() => Boolean) hasNextPage!: boolean;
  @Field(() => Boolean) hasPreviousPage!: boolean;
  @Field(() => String, { nullable: true }) startCursor!: string | null;
  @Field(() => String, { nullable: true }) endCursor!: string | null;
}

/** Keyset cursor over a stable ordering (a sort key and the id as tie-breaker). */
export interface Cursor {
  key: string;
  id: string;
}

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.key, cursor.id]), 'utf8').toString('base64url');
}

export function decodeCursor(raw: string | null | undefined): Cursor | null {
  if (!raw) return null;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
    if (Array.isArray(parsed) && parsed.length === 2 && parsed.every((x) => typeof x === 'string')) {
      return { key: parsed[0], id: parsed[1] };
    }
  } catch {
    // fall through: a malformed cursor is a client error
  }
  throw new GraphQLError('after is not a valid cursor', { extensions: { code: 'BAD_USER_INPUT' } });
}

/** `first` is 1..100, default 20 (contract). */
export function pageSize(first: number | null | undefined): number {
  if (first === null || first === undefined) return 20;
  if (!Number.isInteger(first) || first < 1 || first > 100) {
    throw new GraphQLError('first must be between 1 and 100', { extensions: { code: 'BAD_USER_INPUT' } });
  }
  return first;
}

/** Builds a page from rows fetched with limit first + 1. */
export function toPage<T>(rows: T[], first: number, cursorOf: (row: T) => Cursor, hasPrevious: boolean) {
  const hasNextPage = rows.length > first;
  const nodes = rows.slice(0, first);
  const edges = nodes.map((node) => ({ node, cursor: encodeCursor(cursorOf(node)) }));
  return {
    edges,
    pageInfo: {
      hasNextPage,
      hasPreviousPage: hasPrevious,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
  };
}
