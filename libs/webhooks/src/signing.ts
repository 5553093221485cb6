import { createCipheriv, createDecipheriv, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** A new signing secret, shown once to the agency's admin. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

/** `sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">` under the endpoint's secret. */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`, 'utf8').digest('hex')}`;
}

/**
 * What a receiver does: recompute the signature over the raw body and compare in constant time, refusing
 * timestamps further than `toleranceSeconds` from its clock (replayed captures).
 */
export function verifyWebhookSignature(
  secret: string,
  headers: { timestamp: string | undefined; signature: string | undefined },
  body: string,
  opts: { nowSeconds?: number; toleranceSeconds?: number } = {},
): boolean {
  const timestamp = Number(headers.timestamp);
  if (!headers.signature || !Number.isInteger(timestamp)) return false;
  const now = opts.nowSeconds ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - timestamp) > (opts.toleranceSeconds ?? 300)) return false;
  const expected = Buffer.from(signWebhook(secret, timestamp, body));
  const given = Buffer.from(headers.signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/**
 * Milliseconds to wait before the next attempt after `attempts` failed ones (1-based): base × 2^(attempts-1),
 * capped, then "equal jitter" (between half and all of it) so that many failing deliveries do not retry in step.
 */
export function backoffMs(
  attempts: number,
  opts: { baseMs: number; maxMs: number },
  random: () => number = Math.random,
): number {
  const exponent = Math.min(Math.max(attempts - 1, 0), 30);
  const ceiling = Math.min(opts.baseMs * 2 ** exponent, opts.maxMs);
  return Math.round(ceiling / 2 + (ceiling / 2) * random());
}

const VERSION = 'v1';

/** AES-256-GCM under the identifier key, bound to the endpoint (`aad`) so a ciphertext cannot be moved. */
export function encryptSecret(key: Buffer, plaintext: string, aad: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [VERSION, iv, cipher.getAuthTag(), body]
    .map((p) => (typeof p === 'string' ? p : p.toString('base64')))
    .join('.');
}

export function decryptSecret(key: Buffer, sealed: string, aad: string): string {
  const [version, iv, tag, body] = sealed.split('.');
  if (version !== VERSION || !iv || !tag || body === undefined) throw new Error('unknown secret format');
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64'));
  decipher.setAAD(Buffer.from(aad, 'utf8'));
  decipher.setAuthTag(Buffer.from(tag, 'base64'));
  return Buffer.concat([decipher.update(Buffer.from(body, 'base64')), decipher.final()]).toString('utf8');
}

export const WEBHOOK_URL_MAX = 2000;
export const WEBHOOK_EVENT_KIND_MAX = 64;
export const WEBHOOK_EVENT_KINDS_MAX = 30;

/** Why a receiver URL is refused, or null when it is acceptable. */
export function webhookUrlProblem(raw: string, allowHttp: boolean): string | null {
  if (raw.length > WEBHOOK_URL_MAX) return `url must be at most ${WEBHOOK_URL_MAX} characters`;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'url is not a valid absolute URL';
  }
  if (url.protocol !== 'https:' && !(allowHttp && url.protocol === 'http:')) {
    return allowHttp ? 'url must be http:// or https://' : 'url must be https://';
  }
  if (url.username || url.password) return 'url must not carry credentials';
  if (url.hash) return 'url must not have a #fragment';
  return null;
}

/** Event kinds as in EscalationEvent.kind: upper case, digits and underscores. */
export function eventKindProblem(kind: string): string | null {
  if (kind.length === 0 || kind.length > WEBHOOK_EVENT_KIND_MAX || !/^[A-Z][A-Z0-9_]*$/.test(kind)) {
    return `event kind ${JSON.stringify(kind.slice(0, 80))} must be 1-${WEBHOOK_EVENT_KIND_MAX} characters A-Z, 0-9, _ (e.g. RAISED)`;
  }
  return null;
}
