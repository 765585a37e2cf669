/**
 * What libraries print must go through the job's logger or not at all (issue 17.4): with Telegram
 * unreachable GramJS used to write raw `Error: connect ECONNREFUSED … at TCPConnectWrap…` dumps through
 * console.error, past the redaction, and the final line said "got no reply" for a refused connection.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { runCli } from '../../helpers/cli-process.ts';
import { freePort } from '../../helpers/free-port.ts';
import { jobEnvironment } from '../../helpers/job-environment.ts';
import { startSyncHarness, type SyncHarness } from '../../helpers/sync-harness.ts';

/** Every line is a JSON log line or a line the job wrote itself: no stack frames, no raw error objects. */
function assertNoLibraryDumps(output: string): void {
  assert.doesNotMatch(output, /^\s+at /m, 'no stack frames');
  assert.doesNotMatch(output, /^Error: /m, 'no raw error dumps');
  assert.doesNotMatch(output, /^\s*(errno|code|syscall): /m, 'no util.inspect of an error object');
}

describe('library output of tg-dialog-sync sync', () => {
  let harness: SyncHarness;
  let env: NodeJS.ProcessEnv;

  before(async () => {
    harness = await startSyncHarness({
      label: 'cli_library_output',
      world: { seed: 'cli-library-output', peers: 60, accounts: 1 },
    });
    const me = harness.world.userAccounts[0]!.userId;
    const account = await harness.account(me, 'main');
    const peers = harness.world.peerDialogPeers(me).slice(0, 10);
    env = await jobEnvironment(harness, {
      accounts: [{ account, session: harness.server.sessionFor(me) }],
      peers: peers.map(String),
    });
  });
  after(() => harness?.close());

  it('with Telegram refusing connections: no GramJS dumps, and the result line says "refused"', async () => {
    const closedPort = await freePort();
    const run = await runCli(['sync'], {
      ...env,
      TELEGRAM_TEST_DC_PORT: String(closedPort),
      SYNC_TRANSIENT_RETRIES: '1',
      SYNC_TRANSIENT_BACKOFF_BASE_MS: '10',
    });
    assert.equal(run.code, 1, run.stdout + run.stderr);
    assertNoLibraryDumps(run.stdout + run.stderr);
    assert.match(run.stdout, /^main: failed — .*refused/m);
    assert.doesNotMatch(run.stdout, /got no reply/);
  });

  it('a successful sync prints no GramJS warning (its "Disconnecting..." is routine)', async () => {
    const run = await runCli(['sync'], env);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assertNoLibraryDumps(run.stdout + run.stderr);
    const gramjsWarnings = (run.stdout + run.stderr)
      .split('\n')
      .filter((line) => line.includes('"component":"gramjs"') && !line.includes('"level":"debug"'));
    assert.deepEqual(gramjsWarnings, []);
  });
});
