/**
 * `npm run telegram:local` (the telegram-test-server package's CLI) prints settings for the job: the
 * job's own configuration accepts every printed setting as it is (17.3: the api hash was refused),
 * the printed peers file is a valid peers file, and the job's test-data-center connector reaches the
 * server with the printed host, port, key and session. The CLI's own behaviour (faults, shutdown,
 * a taken port) is tested in the package.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Api, TelegramClient } from 'telegram';
import { Logger, LogLevel } from 'telegram/extensions/Logger.js';
import { StringSession } from 'telegram/sessions/index.js';
import { loadConfig } from '../../../src/config/index.ts';
import { parsePeersFile } from '../../../src/peers/peers-file.ts';
import { configureTestDataCenter } from '../../../src/telegram/test-data-center.ts';
import { startNode, TSX, type CliProcess } from '../../helpers/cli-process.ts';

const cliPath = fileURLToPath(import.meta.resolve('telegram-test-server/cli'));

describe('npm run telegram:local, for the job', () => {
  let child: CliProcess | undefined;
  after(async () => {
    if (child && child.child.exitCode === null) await child.stop('SIGKILL');
  });

  it('prints settings the job accepts and connects with', async () => {
    child = startNode([...TSX, cliPath, '--peers', '50', '--seed', '3', '--port', '0'], process.env);
    await child.waitForOutput(/Ctrl-C to stop\./, 60_000);
    const output = child.stdout();
    const setting = (name: string) => {
      const match = output.match(new RegExp(`^${name}=(.+)$`, 'm'));
      assert.ok(match, `${name} is printed`);
      return match[1]!.trim();
    };
    const settings = Object.fromEntries(
      [...output.matchAll(/^(TELEGRAM_[A-Z_]+|SYNC_PEERS_FILE)=(.+)$/gm)].map((m) => [m[1]!, m[2]!.trim()]),
    );
    const config = loadConfig({ env: { ...settings, TELEGRAM_SESSION_DIR: '/tmp/unused' } });
    assert.equal(config.telegram.apiHash, setting('TELEGRAM_API_HASH'));
    const peersFile = setting('SYNC_PEERS_FILE');
    const peers = parsePeersFile(peersFile, readFileSync(peersFile, 'utf8'));
    assert.equal(peers.problems.length, 0);
    assert.ok(peers.entries.length > 0);
    const session = output.match(/session: (\S+)/)?.[1];
    assert.ok(session, 'a pre-seeded session is printed');
    const dc = configureTestDataCenter({
      host: setting('TELEGRAM_TEST_DC_HOST'),
      dataCenters: { 2: Number(setting('TELEGRAM_TEST_DC_PORT')) },
      publicKeyPem: readFileSync(setting('TELEGRAM_TEST_DC_PUBLIC_KEY_FILE'), 'utf8'),
    });
    const client = new TelegramClient(
      new StringSession(session),
      Number(setting('TELEGRAM_API_ID')),
      setting('TELEGRAM_API_HASH'),
      {
        connection: dc.connection,
        baseLogger: new Logger(LogLevel.NONE),
        floodSleepThreshold: 0,
        connectionRetries: 1,
      },
    );
    try {
      await client.connect();
      const state = await client.invoke(new Api.updates.GetState());
      assert.ok(state instanceof Api.updates.State);
    } finally {
      await client.destroy();
    }
    const stopped = await child.stop('SIGTERM', 10_000);
    assert.equal(stopped.code, 0);
  });
});
