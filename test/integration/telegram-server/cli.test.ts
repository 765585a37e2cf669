/**
 * `npm run telegram:local` by hand: the printed settings are enough for a GramJS client to connect
 * with a printed session, --fault applies, and SIGTERM stops the server cleanly.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Api, TelegramClient, errors } from 'telegram';
import { Logger, LogLevel } from 'telegram/extensions/Logger.js';
import { StringSession } from 'telegram/sessions/index.js';
import { configureTestDataCenter } from '../../../src/telegram/test-data-center.ts';
import { withTimeout } from '../../telegram-server/testing/gramjs-client.ts';

const cliPath = fileURLToPath(new URL('../../telegram-server/cli.ts', import.meta.url));

function readUntil(child: ChildProcessWithoutNullStreams, marker: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes(marker)) {
        child.stdout.off('data', onData);
        resolve(output);
      }
    };
    child.stdout.on('data', onData);
    child.once('exit', (code) => reject(new Error(`CLI exited (${code}) before printing "${marker}":\n${output}`)));
  });
}

describe('telegram:local CLI', () => {
  let child: ChildProcessWithoutNullStreams | undefined;
  after(() => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
  });

  it('prints working settings and stops on SIGTERM', async () => {
    child = spawn(process.execPath, ['--import', 'tsx', cliPath, '--peers', '50', '--seed', '3', '--port', '0',
      '--fault', 'flood-wait:seconds=9,method=updates.getState,nth=2'], { stdio: ['pipe', 'pipe', 'pipe'] });
    const output = await withTimeout(readUntil(child, 'Ctrl-C to stop.'), 60_000, 'CLI start-up');
    const setting = (name: string) => {
      const match = output.match(new RegExp(`^${name}=(.+)$`, 'm'));
      assert.ok(match, `${name} is printed`);
      return match[1]!.trim();
    };
    const port = Number(setting('TELEGRAM_TEST_DC_PORT'));
    const session = output.match(/session: (\S+)/)?.[1];
    assert.ok(session, 'a pre-seeded session is printed');
    const dc = configureTestDataCenter({
      host: setting('TELEGRAM_TEST_DC_HOST'),
      dataCenters: { 2: port },
      publicKeyPem: readFileSync(setting('TELEGRAM_TEST_DC_PUBLIC_KEY_FILE'), 'utf8'),
    });
    const client = new TelegramClient(new StringSession(session), Number(setting('TELEGRAM_API_ID')), setting('TELEGRAM_API_HASH'), {
      connection: dc.connection, baseLogger: new Logger(LogLevel.NONE), floodSleepThreshold: 0, connectionRetries: 1,
    });
    try {
      await client.connect();
      await client.invoke(new Api.updates.GetState());
      await assert.rejects(client.invoke(new Api.updates.GetState()), (error: unknown) => {
        assert.ok(error instanceof errors.FloodWaitError);
        assert.equal(error.seconds, 9);
        return true;
      });
    } finally {
      await client.destroy();
    }
    child.kill('SIGTERM');
    const [code] = await withTimeout(once(child, 'exit'), 10_000, 'CLI shutdown');
    assert.equal(code, 0);
  });
});
