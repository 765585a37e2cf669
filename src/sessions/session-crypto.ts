import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** A session encrypted at rest with AES-256-GCM; `keyId` names the key so keys can be rotated. */
export interface EncryptedSession {
  readonly keyId: string;
  readonly iv: Buffer;
  readonly authTag: Buffer;
  readonly ciphertext: Buffer;
}

export interface SessionKey {
  readonly keyId: string;
  /** 32 bytes. */
  readonly key: Buffer;
}

/** The account id is bound in as associated data: a ciphertext copied to another account does not decrypt. */
export function encryptSession(session: string, key: SessionKey, accountId: number): EncryptedSession {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key.key, iv);
  cipher.setAAD(associatedData(accountId, key.keyId));
  const ciphertext = Buffer.concat([cipher.update(session, 'utf8'), cipher.final()]);
  return { keyId: key.keyId, iv, authTag: cipher.getAuthTag(), ciphertext };
}

/** Throws when the key is wrong or anything was tampered with. */
export function decryptSession(encrypted: EncryptedSession, key: SessionKey, accountId: number): string {
  const decipher = createDecipheriv('aes-256-gcm', key.key, encrypted.iv);
  decipher.setAAD(associatedData(accountId, encrypted.keyId));
  decipher.setAuthTag(encrypted.authTag);
  return Buffer.concat([decipher.update(encrypted.ciphertext), decipher.final()]).toString('utf8');
}

function associatedData(accountId: number, keyId: string): Buffer {
  return Buffer.from(`tg-dialog-sync session v1|${accountId}|${keyId}`);
}
