/**
 * The job's test-data-center override (src/telegram/test-data-center.ts): the key reaches GramJS, the
 * connection dials the configured port per DC, and its sessions save to exactly the strings the local
 * data center (telegram-test-server) hands out.
 */
import assert from 'node:assert/strict';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { _serverKeys } from 'telegram/crypto/RSA.js';
import { Logger, LogLevel } from 'telegram/extensions/Logger.js';
import { PromisedNetSockets } from 'telegram/extensions/index.js';
import { StringSession } from 'telegram/sessions/index.js';
import { encodeStringSession } from 'telegram-test-server';
import {
  PLACEHOLDER_PORT,
  TestDataCenterConfigError,
  configureTestDataCenter,
  rsaPublicKeyFingerprint,
} from '../../../src/telegram/test-data-center.ts';

const publicKeyPem = generateKeyPairSync('rsa', { modulusLength: 2048 })
  .publicKey.export({ type: 'pkcs1', format: 'pem' })
  .toString();

describe('configureTestDataCenter', () => {
  const dc = configureTestDataCenter({ host: '127.0.0.1', dataCenters: { 2: 40002, 3: 40003 }, publicKeyPem });
  const connectionFor = (dcId: number) =>
    new dc.connection({
      ip: '149.154.167.50',
      port: 443,
      dcId,
      loggers: new Logger(LogLevel.NONE),
      socket: PromisedNetSockets,
      testServers: false,
    } as ConstructorParameters<typeof dc.connection>[0]);

  it('registers the public key with GramJS under its fingerprint', () => {
    const { fingerprint } = rsaPublicKeyFingerprint(publicKeyPem);
    assert.ok(_serverKeys.has(fingerprint.toString()));
  });

  it('dials the local host and the port of the DC, whatever GramJS asks for', () => {
    assert.equal(connectionFor(3).toString(), '127.0.0.1:40003/LocalDataCenter');
    assert.throws(() => connectionFor(4), TestDataCenterConfigError);
  });

  it('builds sessions with a placeholder port that GramJS can save and load', async () => {
    const key = randomBytes(256);
    key[0] = 0x91;
    const session = dc.sessionFor(3, key);
    const saved = session.save();
    assert.equal(saved, encodeStringSession(3, '127.0.0.1', key));
    const loaded = new StringSession(saved);
    await loaded.load();
    assert.equal(loaded.dcId, 3);
    assert.equal(loaded.port, PLACEHOLDER_PORT);
    assert.deepEqual(loaded.getAuthKey()?.getKey(), key);
    assert.equal(dc.sessionFor(2).getAuthKey(), undefined, 'a keyless session makes GramJS do the handshake');
    assert.throws(() => dc.sessionFor(5), TestDataCenterConfigError);
  });
});
