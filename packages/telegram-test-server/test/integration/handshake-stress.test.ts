/**
 * 1,000 consecutive auth-key exchanges, each driven by GramJS's own `doAuthentication` over one
 * full-transport connection (the same code `client.connect()` runs, without the client's per-connect
 * overhead), and every resulting key checked against the server's copy.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Logger, LogLevel } from 'telegram/extensions/Logger.js';
import { PromisedNetSockets } from 'telegram/extensions/index.js';
import { doAuthentication } from 'telegram/network/Authenticator.js';
import { MTProtoPlainSender } from 'telegram/network/MTProtoPlainSender.js';
import { startLocalTelegramServer, type LocalTelegramServer } from '../../src/server.ts';
import { localDataCenter } from '../../src/testing/local-data-center.ts';
import { standInWorld } from '../../src/testing/stand-in-world.ts';

const HANDSHAKES = 1000;

describe('auth-key exchange under repetition', () => {
  let server: LocalTelegramServer;
  before(async () => {
    server = await startLocalTelegramServer({ world: standInWorld() });
  });
  after(async () => {
    await server.stop();
  });

  it(`completes ${HANDSHAKES} consecutive handshakes without a failure`, async () => {
    const dc = localDataCenter(server.testDataCenterOptions());
    const logger = new Logger(LogLevel.NONE);
    const connection = new dc.connection({
      ip: server.host,
      port: server.port(),
      dcId: server.mainDcId,
      loggers: logger,
      socket: PromisedNetSockets,
      testServers: false,
    } as ConstructorParameters<typeof dc.connection>[0]);
    await connection.connect();
    const started = performance.now();
    let strippedKeys = 0;
    try {
      for (let i = 0; i < HANDSHAKES; i++) {
        const { authKey } = await doAuthentication(new MTProtoPlainSender(connection, logger), logger);
        const key = authKey.getKey();
        assert.ok(key, `handshake ${i} produced a key`);
        if (key.length < 256) strippedKeys++;
        const stored = server.keys.get(BigInt(authKey.keyId!.toString()));
        assert.ok(stored, `handshake ${i}: the server knows the key`);
        assert.ok(stored.key.equals(key), `handshake ${i}: client and server agree on the key bytes`);
      }
    } finally {
      await connection.disconnect();
    }
    const perHandshake = (performance.now() - started) / HANDSHAKES;
    console.log(
      `# ${HANDSHAKES} handshakes, ${perHandshake.toFixed(2)} ms each (client + server), ${strippedKeys} keys with leading zero bytes`,
    );
    assert.equal(server.keys.size, HANDSHAKES);
    assert.deepEqual(server.stats.handshakeFailures, []);
  });
});
