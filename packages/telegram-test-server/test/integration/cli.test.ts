/**
 * The `telegram-test-server` executable (`npm run telegram:local` in the project) by hand: the printed
 * settings are enough for a GramJS client to connect with a printed session, --fault applies, and
 * SIGTERM stops the server cleanly. That the job's own configuration accepts the printed settings is
 * the project's test (test/integration/cli/telegram-local.test.ts): this package does not import the job.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Api, TelegramClient, errors } from 'telegram';
import { Logger, LogLevel } from 'telegram/extensions/Logger.js';
import { StringSession } from 'telegram/sessions/index.js';
import { withTimeout } from '../../src/testing/gramjs-client.ts';
import { localDataCenter } from '../../src/testing/local-data-center.ts';

/** The bin registers tsx itself, so it runs with plain node, as `npm run telegram:local` runs it. */
const binPath = fileURLToPath(new URL('../../bin/telegram-test-server.mjs', import.meta.url));

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
    child = spawn(
      process.execPath,
      [
        binPath,
        '--peers',
        '50',
        '--seed',
        '3',
        '--port',
        '0',
        '--fault',
        'flood-wait:seconds=9,method=updates.getState,nth=2',
      ],
      { stdio: ['pipe', 'pipe', 'pipe'] },
    );
    const output = await withTimeout(readUntil(child, 'Ctrl-C to stop.'), 60_000, 'CLI start-up');
    const setting = (name: string) => {
      const match = output.match(new RegExp(`^${name}=(.+)$`, 'm'));
      assert.ok(match, `${name} is printed`);
      return match[1]!.trim();
    };
    const port = Number(setting('TELEGRAM_TEST_DC_PORT'));
    const session = output.match(/session: (\S+)/)?.[1];
    assert.ok(session, 'a pre-seeded session is printed');
    const dc = localDataCenter({
      host: setting('TELEGRAM_TEST_DC_HOST'),
      dataCenters: { 2: port },
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
    // Peer names to add are printed.
    assert.match(output, /^Peers to sync /m);
    const examples = output.match(/^ {2}(@\w+(?: @\w+)*)$/m)?.[1]?.split(' ') ?? [];
    assert.ok(examples.length > 0, 'example usernames are printed');
    try {
      await client.connect();
      // The data center accepts the printed api_id/api_hash for a phone login…
      const sent = await client.invoke(
        new Api.auth.SendCode({
          phoneNumber: output.match(/phone \+(\d+)/)![1]!,
          apiId: Number(setting('TELEGRAM_API_ID')),
          apiHash: setting('TELEGRAM_API_HASH'),
          settings: new Api.CodeSettings({}),
        }),
      );
      assert.ok(sent instanceof Api.auth.SentCode);
      // …and the printed names resolve.
      const resolved = await client.invoke(new Api.contacts.ResolveUsername({ username: examples[0]!.slice(1) }));
      assert.ok(resolved.peer);
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

  it('names --port when the port is taken, without a stack trace', async () => {
    const busy = createServer();
    busy.listen(0, '127.0.0.1');
    await once(busy, 'listening');
    const port = (busy.address() as { port: number }).port;
    try {
      const taken = spawn(process.execPath, [binPath, '--peers', '10', '--port', String(port)], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      taken.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const [code] = await withTimeout(once(taken, 'close'), 60_000, 'CLI exit');
      assert.equal(code, 1, stderr);
      assert.match(stderr, new RegExp(`port ${port} .*in use.*--port`));
      assert.doesNotMatch(stderr, /\n\s+at /, 'no stack trace');
    } finally {
      busy.close();
    }
  });
});
