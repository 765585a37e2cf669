import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { decryptSession, encryptSession } from '../../../src/sessions/session-crypto.ts';
import { fileSessionStore } from '../../../src/sessions/file-session-store.ts';

describe('session encryption', () => {
  const key = { keyId: '2026-11', key: randomBytes(32) };

  it('round-trips and never stores the plaintext', () => {
    const encrypted = encryptSession('1BQANOTREALSESSION', key, 7);
    assert.equal(encrypted.ciphertext.includes(Buffer.from('NOTREAL')), false);
    assert.equal(decryptSession(encrypted, key, 7), '1BQANOTREALSESSION');
  });

  it('refuses a wrong key, another account, or a tampered ciphertext', () => {
    const encrypted = encryptSession('1BQANOTREALSESSION', key, 7);
    assert.throws(() => decryptSession(encrypted, { keyId: '2026-11', key: randomBytes(32) }, 7));
    assert.throws(() => decryptSession(encrypted, key, 8));
    const tampered = { ...encrypted, ciphertext: Buffer.from(encrypted.ciphertext) };
    tampered.ciphertext[0] = (tampered.ciphertext[0] ?? 0) ^ 1;
    assert.throws(() => decryptSession(tampered, key, 7));
  });
});

describe('file session store', () => {
  it('writes a 0600 file in a 0700 folder and reads it back', async () => {
    const directory = join(await mkdtemp(join(tmpdir(), 'sessions-')), 'nested');
    const store = fileSessionStore(directory);
    assert.equal(await store.load('main', 1), null);
    await store.save('main', 1, 'session-string-value');
    assert.equal(await store.load('main', 1), 'session-string-value');
    assert.equal((await stat(directory)).mode & 0o777, 0o700);
    assert.equal((await stat(join(directory, 'main.session'))).mode & 0o777, 0o600);
    assert.equal(await readFile(join(directory, 'main.session'), 'utf8'), 'session-string-value');
    await store.remove('main', 1);
    assert.equal(await store.load('main', 1), null);
  });
});
