import { createHmac } from 'node:crypto';
import { isUniqueViolation } from '@hips/database';

/**
 * Idempotency keys of `raiseEscalation`. A key names one request of one caller in a partnership; whatever that
 * request produced (a case, or a redirected intake) carries the key and the request's fingerprint. A retry with
 * the same key and the same request gets the same answer and writes nothing; the same key with a different request
 * (or from another caller) is refused with IDEMPOTENCY_KEY_REUSED.
 */

/** JSON with sorted keys and without null or undefined members (an omitted optional equals an explicit null). */
export function canonicalJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== null && v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * HMAC-SHA-256 (under a key derived from `secret`) of the caller and the request, less its idempotency key. It is
 * stored beside redirected intakes too, which keep no child identifiers: without the secret nothing can be tested
 * against it, and the request's free text is part of it.
 */
export function requestFingerprint(
  secret: Buffer,
  caller: { personId: string | null; apiKeyId: string | null },
  input: object,
): string {
  const key = createHmac('sha256', secret).update('hips:raise-idempotency-fingerprint').digest();
  const request = { ...(input as Record<string, unknown>), idempotencyKey: null };
  const by = caller.personId ? `person:${caller.personId}` : `api-key:${caller.apiKeyId ?? ''}`;
  return createHmac('sha256', key).update(canonicalJson({ by, request })).digest('base64url');
}

/** What an earlier request under the same key means for this one. */
export type KeyUse = 'FIRST_USE' | 'RETRY' | 'REUSED';

/**
 * `stored` is the fingerprint kept with what the key already produced: undefined when the key is new, null for
 * rows written before fingerprints were kept (taken as the same request).
 */
export function keyUse(stored: string | null | undefined, fingerprint: string): KeyUse {
  if (stored === undefined) return 'FIRST_USE';
  if (stored !== null && stored !== fingerprint) return 'REUSED';
  return 'RETRY';
}

/**
 * Runs a keyed raise. Requests under one key are serialised, but should two inserts still meet at the unique
 * index on the key, the loser answers as a retry of the winner (`replay`, which refuses a different request)
 * instead of failing.
 */
export async function withUniqueKeyFallback<T>(
  attempt: () => Promise<T>,
  replay: () => Promise<T | null>,
): Promise<T> {
  try {
    return await attempt();
  } catch (error) {
    if (isUniqueViolation(error)) {
      const again = await replay();
      if (again) return again;
    }
    throw error;
  }
}
