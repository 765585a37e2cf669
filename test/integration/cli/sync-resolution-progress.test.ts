/**
 * `tg-dialog-sync sync` while a run resolves new peers (issue 17: "the progress bar stays blank during
 * resolution"): the run row's resolution counters are saved from the phase's start, so the progress
 * display (here the log lines of a run without a terminal) shows it, with the time since the run began.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { answers, startCliEnvironment, type CliEnvironment } from './cli-harness.ts';
import { runCli, startCli } from '../../helpers/cli-process.ts';

describe('tg-dialog-sync sync: progress while resolving', () => {
  let cli: CliEnvironment;

  before(async () => {
    cli = await startCliEnvironment({
      label: 'cli_resolution_progress',
      world: { seed: 'cli-resolution-progress', peers: 80, accounts: 1, botAccounts: 0 },
    });
  });
  after(() => cli?.close());

  it('records and shows the peers being resolved before any is synced', async () => {
    const me = cli.accounts[0]!.userId;
    const login = await runCli(
      ['login', '--account', 'main', '--session-stdin'],
      cli.env,
      answers(cli.server.sessionFor(me)),
    );
    assert.equal(login.code, 0, login.stderr);
    const peers = cli.world.peerDialogPeers(me).slice(0, 30);
    const add = await runCli(['peers', 'add', '-a', 'main', ...peers.map(String)], cli.env);
    assert.equal(add.code, 0, add.stderr);

    // A fresh database knows none of these ids: the run scans the account's dialog list to resolve
    // them. Its first page is held until the resolution phase has shown up.
    const barrier = cli.server.faults.barrier({ method: 'messages.GetDialogs', nthCall: 1 });
    const sync = startCli(['sync', '--account', 'main'], cli.env);
    await sync.waitForOutput(
      new RegExp(`sync progress: main resolving 0/${peers.length} peers \\(0%\\), \\d+s since the run started`),
    );
    const during = await cli.sql.query<{ peers_to_resolve: number; peers_resolve_done: number; peers_total: number }>(
      `SELECT peers_to_resolve, peers_resolve_done, peers_total FROM sync_runs WHERE status = 'running'`,
    );
    assert.deepEqual(during.rows, [{ peers_to_resolve: peers.length, peers_resolve_done: 0, peers_total: 0 }]);
    barrier.release();

    const run = await sync.exited;
    assert.equal(run.code, 0, run.stderr + run.stdout);
    const ended = await cli.sql.query<{ peers_to_resolve: number; peers_resolve_done: number; peers_resolved: number }>(
      `SELECT peers_to_resolve, peers_resolve_done, peers_resolved FROM sync_runs`,
    );
    assert.equal(ended.rows.length, 1);
    assert.equal(ended.rows[0]!.peers_to_resolve, peers.length);
    assert.equal(ended.rows[0]!.peers_resolve_done, peers.length);
    assert.ok(ended.rows[0]!.peers_resolved > 0 && ended.rows[0]!.peers_resolved <= peers.length, run.stderr);
  });
});
