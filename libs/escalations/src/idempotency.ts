import { createHmac } from 'node:crypto';

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
