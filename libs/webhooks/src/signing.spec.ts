import { createHmac, randomBytes } from 'node:crypto';
import {
  backoffMs,
  decryptSecret,
  encryptSecret,
  eventKindProblem,
  newWebhookSecret,
  signWebhook,
  verifyWebhookSignature,
  webhookUrlProblem,
} from './signing';

describe('webhook signing', () => {
  const secret = 'whsec_test';
  const body = '{"id":"x","kind":"RAISED"}';

  it('signs "<timestamp>.<body>" with HMAC-SHA256, hex, prefixed sha256=', () => {
    const expected = createHmac('sha256', secret).update(`1700000000.${body}`).digest('hex');
    expect(signWebhook(secret, 1_700_000_000, body)).toBe(`sha256=${expected}`);
  });

  it('verifies a good signature and refuses a changed body, another secret, a stale timestamp', () => {
    const ts = 1_700_000_000;
    const signature = signWebhook(secret, ts, body);
    const at = { nowSeconds: ts + 10 };
    expect(verifyWebhookSignature(secret, { timestamp: String(ts), signature }, body, at)).toBe(true);
    expect(verifyWebhookSignature(secret, { timestamp: String(ts), signature }, `${body} `, at)).toBe(false);
    expect(verifyWebhookSignature('other', { timestamp: String(ts), signature }, body, at)).toBe(false);
    expect(verifyWebhookSignature(secret, { timestamp: String(ts + 1), signature }, body, at)).toBe(false);
    expect(
      verifyWebhookSignature(secret, { timestamp: String(ts), signature }, body, { nowSeconds: ts + 301 }),
    ).toBe(false);
    expect(verifyWebhookSignature(secret, { timestamp: undefined, signature }, body, at)).toBe(false);
  });

  describe('refuses what a forger or a replayer could send', () => {
    const ts = 1_700_000_000;
    const signature = signWebhook(secret, ts, body);
    const verify = (
      headers: { timestamp?: string; signature?: string },
      nowSeconds = ts,
      toleranceSeconds?: number,
    ) =>
      verifyWebhookSignature(secret, { timestamp: String(ts), signature, ...headers }, body, {
        nowSeconds,
        toleranceSeconds,
      });

    it('accepts timestamps up to the tolerance either side of the clock, and no further', () => {
      expect(verify({}, ts + 300)).toBe(true);
      expect(verify({}, ts - 300)).toBe(true); // the sender's clock runs ahead
      expect(verify({}, ts + 301)).toBe(false); // a replayed capture
      expect(verify({}, ts - 301)).toBe(false); // a timestamp from the future
      expect(verify({}, ts - 86_400)).toBe(false);
      expect(verify({}, ts + 30, 20)).toBe(false);
      expect(verify({}, ts + 20, 20)).toBe(true);
    });

    it('refuses a future timestamp even when signed with the right secret', () => {
      const future = ts + 3_600;
      expect(verify({ timestamp: String(future), signature: signWebhook(secret, future, body) }, ts)).toBe(
        false,
      );
    });

    it('refuses truncated, extended, empty and missing signatures', () => {
      for (const cut of [1, 2, 32, 64]) expect(verify({ signature: signature.slice(0, -cut) })).toBe(false);
      expect(verify({ signature: `${signature}0` })).toBe(false);
      expect(verify({ signature: 'sha256=' })).toBe(false);
      expect(verify({ signature: '' })).toBe(false);
      expect(
        verifyWebhookSignature(secret, { timestamp: String(ts), signature: undefined }, body, {
          nowSeconds: ts,
        }),
      ).toBe(false);
    });

    it('refuses another scheme or spelling of the same digest', () => {
      const hex = signature.slice('sha256='.length);
      expect(verify({ signature: hex })).toBe(false);
      expect(verify({ signature: `sha1=${hex}` })).toBe(false);
      expect(verify({ signature: `SHA256=${hex}` })).toBe(false);
      expect(verify({ signature: `sha256=${hex.toUpperCase()}` })).toBe(false);
      expect(verify({ signature: `sha256=${Buffer.from(hex, 'hex').toString('base64')}` })).toBe(false);
    });

    it('refuses timestamps that are not whole seconds', () => {
      for (const timestamp of ['', 'abc', `${ts}.5`, `${ts * 1000}`, '-1', 'NaN', 'Infinity']) {
        expect(verify({ timestamp })).toBe(false);
      }
    });
  });

  it('makes distinct, long secrets', () => {
    const a = newWebhookSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(newWebhookSecret()).not.toBe(a);
  });
});

describe('webhook backoff', () => {
  const opts = { baseMs: 10_000, maxMs: 3_600_000 };

  it('doubles per attempt between half and all of base × 2^(n-1)', () => {
    expect(backoffMs(1, opts, () => 0)).toBe(5_000);
    expect(backoffMs(1, opts, () => 1)).toBe(10_000);
    expect(backoffMs(2, opts, () => 1)).toBe(20_000);
    expect(backoffMs(4, opts, () => 1)).toBe(80_000);
    expect(backoffMs(4, opts, () => 0.5)).toBe(60_000);
  });

  it('is capped, even for absurd attempt counts', () => {
    expect(backoffMs(12, opts, () => 1)).toBe(3_600_000);
    expect(backoffMs(1000, opts, () => 0)).toBe(1_800_000);
  });

  it('never goes below half the base, whatever the random source', () => {
    for (let n = 1; n < 20; n += 1) {
      const ms = backoffMs(n, opts);
      expect(ms).toBeGreaterThanOrEqual(5_000);
      expect(ms).toBeLessThanOrEqual(3_600_000);
    }
  });
});

describe('secret encryption at rest', () => {
  const key = randomBytes(32);

  it('round-trips and never stores the plaintext', () => {
    const sealed = encryptSecret(key, 'whsec_abc', 'webhook_endpoint:1');
    expect(sealed).not.toContain('whsec_abc');
    expect(decryptSecret(key, sealed, 'webhook_endpoint:1')).toBe('whsec_abc');
  });

  it('refuses another endpoint, another key, or a tampered ciphertext', () => {
    const sealed = encryptSecret(key, 'whsec_abc', 'webhook_endpoint:1');
    expect(() => decryptSecret(key, sealed, 'webhook_endpoint:2')).toThrow();
    expect(() => decryptSecret(randomBytes(32), sealed, 'webhook_endpoint:1')).toThrow();
    const parts = sealed.split('.');
    parts[3] = Buffer.from('whsec_abd').toString('base64');
    expect(() => decryptSecret(key, parts.join('.'), 'webhook_endpoint:1')).toThrow();
  });
});

describe('endpoint input', () => {
  it('accepts https, and http only when allowed', () => {
    expect(webhookUrlProblem('https://agency.example/hooks', false)).toBeNull();
    expect(webhookUrlProblem('http://agency.example/hooks', true)).toBeNull();
    expect(webhookUrlProblem('http://agency.example/hooks', false)).toBe('url must be https://');
  });

  it('refuses other schemes, garbage, credentials, fragments and very long URLs', () => {
    expect(webhookUrlProblem('ftp://agency.example/', true)).toBe('url must be http:// or https://');
    expect(webhookUrlProblem('javascript:alert(1)', true)).toMatch(/must be/);
    expect(webhookUrlProblem('not a url', true)).toBe('url is not a valid absolute URL');
    expect(webhookUrlProblem('https://u:p@agency.example/', true)).toBe('url must not carry credentials');
    expect(webhookUrlProblem('https://agency.example/#x', true)).toBe('url must not have a #fragment');
    expect(webhookUrlProblem(`https://agency.example/${'a'.repeat(2000)}`, true)).toMatch(/at most 2000/);
  });

  it('checks event kinds', () => {
    expect(eventKindProblem('STAGE_BREACHED')).toBeNull();
    expect(eventKindProblem('raised')).not.toBeNull();
    expect(eventKindProblem('')).not.toBeNull();
    expect(eventKindProblem('A'.repeat(65))).not.toBeNull();
  });
});
