import { ApiError } from './api-error';

/** Keyset cursor over a stable ordering (a sort key and the id as tie-breaker). */
export interface Cursor {
  key: string;
  id: string;
}

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.key, cursor.id]), 'utf8').toString('base64url');
}

/**
 * What a cursor's key is: a timestamp key (sqlTimeKey's format), a text key such as a name (both with a UUID as
 * tie-breaker), or a sequence number that is its own tie-breaker (the audit log's `seq`).
 */
export type CursorKeyKind = 'timestamp' | 'text' | 'sequence';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** sqlTimeKey's `2026-03-02T09:30:00.123456Z` or PostgreSQL's own text, `2026-03-02 09:30:00.123456+00`. */
const TIME_KEY = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2}):(\d{2})(\.\d{1,6})?(Z|[+-]\d{2}(:?\d{2})?)$/;
const MAX_CURSOR_LENGTH = 2_000;

const SEQUENCE = /^\d{1,18}$/;

function wellFormedKey(key: string, kind: CursorKeyKind): boolean {
  if (kind === 'sequence') return SEQUENCE.test(key);
  if (kind === 'timestamp') {
    const [, date, hour, minute, second] = TIME_KEY.exec(key) ?? [];
    return (
      date !== undefined &&
      new Date(`${date}T00:00:00Z`).toISOString().startsWith(date) &&
      Number(hour) < 24 &&
      Number(minute) < 60 &&
      Number(second) < 60
    );
  }
  return key.length <= 1_000 && !key.includes('\u0000');
}

/**
 * The keyset cursor a page handed out. Anything else (not base64url JSON, the wrong shape, a key or id that would
 * not fit its column) is refused here with BAD_USER_INPUT, so a forged cursor never reaches PostgreSQL.
 */
export function decodeCursor(raw: string | null | undefined, kind: CursorKeyKind): Cursor | null {
  if (!raw) return null;
  try {
    const parsed: unknown =
      raw.length <= MAX_CURSOR_LENGTH ? JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) : null;
    if (
      Array.isArray(parsed) &&
      parsed.length === 2 &&
      parsed.every((x) => typeof x === 'string') &&
      wellFormedKey(parsed[0], kind) &&
      (kind === 'sequence' ? parsed[1] === parsed[0] : UUID.test(parsed[1]))
    ) {
      return { key: parsed[0], id: parsed[1] };
    }
  } catch {
    // fall through: a malformed cursor is a client error
  }
  throw new ApiError('BAD_USER_INPUT', 'after is not a valid cursor');
}

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

/** `first` is 1..100, default 20 (contract). */
export function pageSize(first: number | null | undefined): number {
  if (first === null || first === undefined) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
    throw new ApiError('BAD_USER_INPUT', `first must be between 1 and ${MAX_PAGE_SIZE}`);
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
