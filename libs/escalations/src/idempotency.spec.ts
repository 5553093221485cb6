import { canonicalJson, requestFingerprint } from './idempotency';

describe('raise idempotency fingerprints', () => {
  const secret = Buffer.alloc(32, 7);
  const caller = { personId: 'p1', apiKeyId: null };
  const input = {
    summary: 'Referral not accepted',
    child: { initials: 'QZ', dateOfBirth: '2018-05-04' },
    challengedAt: new Date('2026-01-05T10:00:00Z'),
    idempotencyKey: 'k1',
  };

  it('ignores key order, omitted optionals and the key itself', () => {
    expect(canonicalJson({ b: 1, a: { d: null, c: [2, undefined] } })).toBe('{"a":{"c":[2,null]},"b":1}');
    const reordered = {
      idempotencyKey: 'another key',
      respondentPersonId: null,
      challengedAt: new Date('2026-01-05T10:00:00.000Z'),
      child: { dateOfBirth: '2018-05-04', initials: 'QZ' },
      summary: 'Referral not accepted',
    };
    expect(requestFingerprint(secret, caller, reordered)).toBe(requestFingerprint(secret, caller, input));
  });

  it('differs for another request, another caller or another secret', () => {
    const base = requestFingerprint(secret, caller, input);
    expect(requestFingerprint(secret, caller, { ...input, summary: 'different' })).not.toBe(base);
    expect(requestFingerprint(secret, { personId: 'p2', apiKeyId: null }, input)).not.toBe(base);
    expect(requestFingerprint(Buffer.alloc(32, 8), caller, input)).not.toBe(base);
    expect(base).not.toContain('QZ');
  });
});
