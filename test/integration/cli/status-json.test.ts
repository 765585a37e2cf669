/**
 * `tg-dialog-sync status --json` as a child process (issue 18): one JSON object on stdout with the
 * documented field names, and the same counts as the table view — before anything ran, and after a
 * real `sync` in which the local data center answers CHANNEL_PRIVATE for one channel.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { StatusJson } from '../../../src/cli/commands/status-report.ts';
import { peersInclude } from 'telegram-test-server';
import { answers, startCliEnvironment, type CliEnvironment } from './cli-harness.ts';
import { runCli, type CliRun } from '../../helpers/cli-process.ts';

const CHANNEL_MARK = 1_000_000_000_000n;

/** stdout is exactly one line, one JSON object. */
function parseStatus(run: CliRun): StatusJson {
  assert.equal(run.code, 0, run.stderr);
  const lines = run.stdout.split('\n').filter((line) => line !== '');
  assert.equal(lines.length, 1, run.stdout);
  return JSON.parse(lines[0]!) as StatusJson;
}

describe('tg-dialog-sync status --json', () => {
  let cli: CliEnvironment;
  let peers: bigint[];
  let privateChannel: bigint;

  before(async () => {
    cli = await startCliEnvironment({
      label: 'cli_status_json',
      world: { seed: 'cli-status-json', peers: 60, accounts: 1, botAccounts: 0 },
    });
    peers = cli.world.peerDialogPeers(cli.accounts[0]!.userId).slice(0, 15);
    const channel = peers.find((peer) => peer < -CHANNEL_MARK);
    assert.ok(channel !== undefined, 'the world gives the account a channel dialog');
    privateChannel = channel;
  });
  after(() => cli?.close());

  it('before anything ran: the schedule, no accounts, no runs, nothing in backoff', async () => {
    const status = parseStatus(
      await runCli(['status', '--json'], { ...cli.env, SYNC_CRON: '0 3 * * *', SYNC_TIMEZONE: 'Europe/Berlin' }),
    );
    assert.deepEqual(Object.keys(status), [
      'nextScheduledRun',
      'accounts',
      'queue',
      'lastRuns',
      'peersWaitingToBeResolved',
      'peersInBackoff',
    ]);
    assert.equal(status.nextScheduledRun.cron, '0 3 * * *');
    assert.equal(status.nextScheduledRun.timezone, 'Europe/Berlin');
    assert.ok(Date.parse(status.nextScheduledRun.at ?? '') > Date.now(), String(status.nextScheduledRun.at));
    assert.deepEqual(status.accounts, { total: 0, active: 0, needingAttention: [] });
    assert.deepEqual(status.lastRuns, []);
    assert.deepEqual(status.peersWaitingToBeResolved, { total: 0, byAccount: [] });
    assert.deepEqual(status.peersInBackoff, { total: 0, peers: [] });
  });

  it('after a sync: the run, its counts and the peer in backoff, as the table shows them', async () => {
    const login = await runCli(
      ['login', '--account', 'main', '--session-stdin'],
      cli.env,
      answers(cli.server.sessionFor(cli.accounts[0]!.userId)),
    );
    assert.equal(login.code, 0, login.stderr);
    assert.equal((await runCli(['peers', 'add', '-a', 'main', ...peers.map(String)], cli.env)).code, 0);
    cli.server.faults.rpcError(400, 'CHANNEL_PRIVATE', {
      method: 'messages.GetPeerDialogs',
      where: peersInclude({ channelId: -privateChannel - CHANNEL_MARK }),
    });
    const sync = await runCli(['sync', '--account', 'main'], cli.env);
    assert.equal(sync.code, 0, sync.stderr + sync.stdout);
    const synced = Number(/main: succeeded — (\d+) synced, 1 failed/.exec(sync.stdout)?.[1]);
    await cli.sql.query(
      `INSERT INTO accounts (label, status, status_reason) VALUES ('old', 'needs_login', 'log in again')`,
    );

    const status = parseStatus(await runCli(['status', '--json'], cli.env));
    assert.equal(status.accounts.total, 2);
    assert.equal(status.accounts.active, 1);
    assert.deepEqual(status.accounts.needingAttention, [
      { label: 'old', status: 'needs_login', reason: 'log in again' },
    ]);
    assert.equal(status.lastRuns.length, 1);
    const run = status.lastRuns[0]!;
    assert.equal(run.account, 'main');
    assert.equal(run.status, 'succeeded');
    assert.equal(run.trigger, 'cli');
    assert.equal(run.peersSynced, synced);
    assert.equal(run.peersFailed, 1);
    assert.equal(run.error, null);
    assert.ok(Date.parse(run.finishedAt ?? '') >= Date.parse(run.startedAt ?? ''));
    assert.equal(status.peersInBackoff.total, 1);
    assert.equal(status.peersInBackoff.peers.length, 1);
    const backoff = status.peersInBackoff.peers[0]!;
    assert.equal(backoff.account, 'main');
    assert.equal(backoff.peer, String(privateChannel));
    assert.equal(backoff.errorCode, 'CHANNEL_PRIVATE');
    assert.equal(backoff.failures, 1);
    assert.ok(Date.parse(backoff.nextAttemptAt ?? '') > Date.now());
    // The queue is installed by the migrations: each account's place in it.
    assert.deepEqual(
      status.queue?.map((state) => state.account),
      ['main', 'old'],
    );

    // The table view of the same moment agrees.
    const table = await runCli(['status'], cli.env);
    assert.match(table.stdout, /^Accounts needing attention \(1 of 2\):$/m);
    assert.match(table.stdout, /^Peers in backoff: 1$/m);
  });
});
