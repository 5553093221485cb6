import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** The child's identifiers as stored (encrypted) and shown (ChildRecord). */
export interface ChildIdentifiers {
  initials: string;
  dateOfBirth: string;
  localAuthority: string;
  nhsNumber: string | null;
  localAuthorityCaseId: string | null;
}

export interface SealedChild {
  ciphertext: Buffer;
  iv: Buffer;
  tag: Buffer;
}

/**
 * AES-256-GCM with a fresh 96-bit IV per record; the case id is the associated data, so a ciphertext moved to
 * another case fails to open. Never log the plaintext.
 */
export function sealChild(key: Buffer, escalationId: string, child: ChildIdentifiers): SealedChild {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(escalationId, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(JSON.stringify(child), 'utf8'), cipher.final()]);
  return { ciphertext, iv, tag: cipher.getAuthTag() };
}

export function openChild(key: Buffer, escalationId: string, sealed: SealedChild): ChildIdentifiers {
  const decipher = createDecipheriv('aes-256-gcm', key, sealed.iv);
  decipher.setAAD(Buffer.from(escalationId, 'utf8'));
  decipher.setAuthTag(sealed.tag);
  const plain = Buffer.concat([decipher.update(sealed.ciphertext), decipher.final()]).toString('utf8');
  return JSON.parse(plain) as ChildIdentifiers;
}
