import { randomBytes } from 'node:crypto';
import { openChild, sealChild } from './child-crypto';

describe('child identifier encryption', () => {
  const key = randomBytes(32);
  const child = {
    initials: 'AB',
    dateOfBirth: '2019-03-04',
    localAuthority: 'PORTSMOUTH',
    nhsNumber: '9434765919',
    localAuthorityCaseId: null,
  };

  it('round-trips and hides the plaintext', () => {
    const sealed = sealChild(key, 'case-1', child);
    expect(sealed.ciphertext.toString('latin1')).not.toContain('9434765919');
    expect(openChild(key, 'case-1', sealed)).toEqual(child);
  });

  it('refuses another case id or key', () => {
    const sealed = sealChild(key, 'case-1', child);
    expect(() => openChild(key, 'case-2', sealed)).toThrow();
    expect(() => openChild(randomBytes(32), 'case-1', sealed)).toThrow();
  });
});
