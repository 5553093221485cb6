import { canonicalJson, keyUse, requestFingerprint, withUniqueKeyFallback } from './idempotency';

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

describe('a second request under the same key', () => {
  const secret = Buffer.alloc(32, 7);
  const caller = { personId: 'p1', apiKeyId: null };
  const first = requestFingerprint(secret, caller, {
    summary: 'Referral not accepted',
    idempotencyKey: 'k1',
  });

  it('is a retry when it is the same request, and refused when it differs in anything', () => {
    expect(keyUse(undefined, first)).toBe('FIRST_USE');
    expect(keyUse(first, first)).toBe('RETRY');
    const differing = requestFingerprint(secret, caller, {
      summary: 'Referral not accepted.',
      idempotencyKey: 'k1',
    });
    expect(keyUse(first, differing)).toBe('REUSED');
    const otherCaller = requestFingerprint(
      secret,
      { personId: 'p2', apiKeyId: null },
      { summary: 'Referral not accepted' },
    );
    expect(keyUse(first, otherCaller)).toBe('REUSED');
    // Rows kept from before fingerprints (or whose fingerprint was purged) answer as the same request.
    expect(keyUse(null, differing)).toBe('RETRY');
  });
});

describe('the unique index on the key', () => {
  const uniqueViolation = Object.assign(new Error('duplicate key value violates unique constraint'), {
    code: '23505',
  });

  it('turns the loser of a concurrent insert into a retry of the winner', async () => {
    const replay = jest.fn(() => Promise.resolve('the winner’s case'));
    await expect(withUniqueKeyFallback(() => Promise.reject(uniqueViolation), replay)).resolves.toBe(
      'the winner’s case',
    );
    expect(replay).toHaveBeenCalledTimes(1);
  });

  it('refuses the loser when the winner’s request differed', async () => {
    const reused = Object.assign(new Error('reused'), { code: 'IDEMPOTENCY_KEY_REUSED' });
    await expect(
      withUniqueKeyFallback(
        () => Promise.reject(uniqueViolation),
        () => Promise.reject(reused),
      ),
    ).rejects.toBe(reused);
  });

  it('rethrows when nothing was found to replay, and leaves other errors alone', async () => {
    await expect(
      withUniqueKeyFallback(
        () => Promise.reject(uniqueViolation),
        () => Promise.resolve(null),
      ),
    ).rejects.toBe(uniqueViolation);
    const other = Object.assign(new Error('deadlock'), { code: '40P01' });
    const replay = jest.fn(() => Promise.resolve('never'));
    await expect(withUniqueKeyFallback(() => Promise.reject(other), replay)).rejects.toBe(other);
    expect(replay).not.toHaveBeenCalled();
    await expect(withUniqueKeyFallback(() => Promise.resolve('first'), replay)).resolves.toBe('first');
    expect(replay).not.toHaveBeenCalled();
  });
});
