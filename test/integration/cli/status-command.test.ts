/**
 * `tg-dialog-sync status` (and `peers list` after a real run) as child processes: the next scheduled
 * run from SYNC_CRON/SYNC_TIMEZONE, accounts needing a login, the last runs, and peers in backoff
 * after a real `sync` in which the local data center answers CHANNEL_PRIVATE for one channel.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { peersInclude } from 'telegram-test-server';
import { answers, singleErrorLine, startCliEnvironment, type CliEnvironment } from './cli-harness.ts';
import { runCli, startCli } from '../../helpers/cli-process.ts';

const CHANNEL_MARK = 1_000_000_000_000n;

describe('tg-dialog-sync status', () => {
  let cli: CliEnvironment;
  let peers: bigint[];
  let privateChannel: bigint;

  before(async () => {
    cli = await startCliEnvironment({
      label: 'cli_status',
      world: { seed: 'cli-status', peers: 120, accounts: 1, botAccounts: 0 },
    });
    const me = cli.accounts[0]!.userId;
    peers = cli.world.peerDialogPeers(me).slice(0, 30);
    const channel = peers.find((peer) => peer < -CHANNEL_MARK);
    assert.ok(channel !== undefined, 'the world gives the account a channel dialog');
    privateChannel = channel;
  });
  after(() => cli?.close());

  it('shows the next scheduled run computed from SYNC_CRON in SYNC_TIMEZONE, and that nothing ran yet', async () => {
    const run = await runCli(['status'], { ...cli.env, SYNC_CRON: '0 0 1 1 *', SYNC_TIMEZONE: 'Asia/Tokyo' });
    assert.equal(run.code, 0, run.stderr);
    // Midnight of 1 January in Tokyo (UTC+9, no DST) is 15:00 UTC on 31 December.
    const now = new Date();
    const thisYear = Date.UTC(now.getUTCFullYear(), 11, 31, 15);
    const expected = new Date(now.getTime() < thisYear ? thisYear : Date.UTC(now.getUTCFullYear() + 1, 11, 31, 15));
    const year = expected.getUTCFullYear() + 1;
    assert.match(
      run.stdout,
      new RegExp(
        `^Next scheduled run: ${expected.getUTCFullYear()}-12-31 15:00:00Z = ${year}-01-01 00:00:00 Asia/Tokyo \\(SYNC_CRON "0 0 1 1 \\*" in Asia/Tokyo; the worker must be running\\)$`,
        'm',
      ),
    );
    assert.match(run.stdout, /^No accounts yet/m);
    assert.match(run.stdout, /^Last runs: none yet\.$/m);
    assert.match(run.stdout, /^Peers in backoff: none\.$/m);
  });

  it('after a sync: the last run per account, the peer in backoff, and the accounts needing a login', async () => {
    assert.equal(
      (
        await runCli(
          ['login', '--account', 'main', '--session-stdin'],
          cli.env,
          answers(cli.server.sessionFor(cli.accounts[0]!.userId)),
        )
      ).code,
      0,
    );
    const add = await runCli(['peers', 'add', '-a', 'main', ...peers.map(String)], cli.env);
    assert.equal(add.code, 0, add.stderr);
    cli.server.faults.rpcError(400, 'CHANNEL_PRIVATE', {
      method: 'messages.GetPeerDialogs',
      where: peersInclude({ channelId: -privateChannel - CHANNEL_MARK }),
    });
    const sync = await runCli(['sync', '--account', 'main'], cli.env);
    assert.equal(sync.code, 0, sync.stderr + sync.stdout);
    // Every peer but the private channel is synced (an upgraded group and its supergroup count once);
    // the failed one is now in backoff, as `status` shows it (17.8: the line said "0 in backoff").
    const synced = Number(/main: succeeded — (\d+) synced, 1 failed, 1 in backoff$/m.exec(sync.stdout)?.[1]);
    assert.ok(synced >= peers.length - 2, sync.stdout);
    await cli.sql.query(
      `INSERT INTO accounts (label, status, status_reason) VALUES ('old', 'needs_login', 'the session was terminated from another device: log in again')`,
    );

    const run = await runCli(['status', '--runs', '2'], cli.env);
    assert.equal(run.code, 0, run.stderr);
    assert.match(
      run.stdout,
      /^Next scheduled run: \d{4}-\d\d-\d\d \d\d:\d\d:00Z = .* UTC \(SYNC_CRON "\*\/15 \* \* \* \*" in UTC/m,
    );
    assert.match(run.stdout, /^Accounts needing attention \(1 of 2\):$/m);
    assert.match(run.stdout, /^old\s+needs_login\s+the session was terminated from another device: log in again$/m);
    assert.match(
      run.stdout,
      new RegExp(`^main\\s+\\S+ \\S+\\s+succeeded\\s+cli\\s+\\d+\\.\\d s\\s+${synced}\\s+1\\s+0\\s+—$`, 'm'),
    );
    assert.match(run.stdout, /^Peers in backoff: 1$/m);
    assert.match(
      run.stdout,
      new RegExp(
        `^main\\s+${privateChannel}\\s+CHANNEL_PRIVATE\\s+1\\s+\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\dZ$`,
        'm',
      ),
    );

    const list = await runCli(['peers', 'list', '-a', 'main'], cli.env);
    assert.equal(list.code, 0, list.stderr);
    assert.match(
      list.stdout,
      new RegExp(`^${privateChannel}\\s+failing\\s+cli\\s+—\\s+—\\s+CHANNEL_PRIVATE: .+\\s+\\d{4}-\\S+ \\S+Z$`, 'm'),
    );
    // Columns PEER STATUS SOURCE RULE LAST SYNC …: no rule brought these in.
    assert.equal(list.stdout.split('\n').filter((line) => /\ssynced\s+cli\s+—\s+\d{4}-/.test(line)).length, synced);
  });

  it('sync without a terminal logs its progress from the run counters while a run is under way', async () => {
    // Hold the second batch's reply until the progress line for the first batch has been printed.
    const barrier = cli.server.faults.barrier({ method: 'messages.GetPeerDialogs', nthCall: 2 });
    const sync = startCli(['sync', '--account', 'main'], { ...cli.env, SYNC_BATCH_SIZE: '10' });
    const [, done, total] = await sync.waitForOutput(/sync progress: main (\d+)\/(\d+) peers \(\d+%\), 0 failed/);
    assert.ok(Number(done) >= 10 && Number(done) < Number(total), `${done}/${total}`);
    barrier.release();
    const run = await sync.exited;
    assert.equal(run.code, 0, run.stderr + run.stdout);
    assert.match(run.stdout, /main: succeeded — \d+ synced, 0 failed, 1 in backoff/);
  });

  it('status and peers list show how many usernames wait for a later run when the resolve budget is spent', async () => {
    const me = cli.accounts[0]!.userId;
    const inDialogs = new Set(cli.world.peerDialogPeers(me));
    const outside = cli.world.allPeers
      // Channels: users outside the dialogs may come with the dialog pages anyway (as senders).
      .filter(
        (peer) =>
          peer.kind === 'channel' &&
          !inDialogs.has(cli.world.markedIdOf(peer)) &&
          cli.world.peerDialogOutcome(me, cli.world.markedIdOf(peer)) === 'omitted',
      )
      .flatMap((peer) =>
        cli.world
          .usernamesOf(cli.world.markedIdOf(peer))
          .filter((entry) => entry.active)
          .slice(0, 1)
          .map((entry) => `@${entry.username}`),
      )
      .slice(0, 5);
    assert.equal(outside.length, 5, 'the world has named channels outside the dialogs');
    const add = await runCli(['peers', 'add', '-a', 'main', ...outside], cli.env);
    assert.equal(add.code, 0, add.stderr);
    const env = { ...cli.env, SYNC_RESOLVE_USERNAME_BUDGET: '2', SYNC_RESOLVE_USERNAME_INTERVAL_MS: '0' };
    const sync = await runCli(['sync', '--account', 'main'], env);
    assert.equal(sync.code, 0, sync.stderr + sync.stdout);

    // Two names cost the budget; one the dialog pages brought (a forward source) may resolve without a call.
    const { rows } = await cli.sql.query(
      `SELECT count(*)::int AS n FROM configured_peers WHERE status = 'pending' AND peer_id IS NULL AND last_error_code = 'RESOLVE_BUDGET_SPENT'`,
    );
    const waiting: number = rows[0].n;
    assert.ok(waiting >= 2 && waiting <= 3, `${waiting} names wait`);
    const status = await runCli(['status'], env);
    assert.equal(status.code, 0, status.stderr);
    assert.match(
      status.stdout,
      new RegExp(`^Peers waiting to be resolved: ${waiting} \\(the next runs resolve them`, 'm'),
    );
    assert.match(status.stdout, new RegExp(`^main\\s+${waiting} \\(RESOLVE_BUDGET_SPENT: ${waiting}\\)$`, 'm'));
    const list = await runCli(['peers', 'list', '-a', 'main'], env);
    assert.equal(list.code, 0, list.stderr);
    assert.match(
      list.stderr,
      new RegExp(
        `^Waiting to be resolved: ${waiting} \\(RESOLVE_BUDGET_SPENT: ${waiting}\\); the next runs resolve them\\.$`,
        'm',
      ),
    );
    // Columns PEER STATUS SOURCE RULE LAST SYNC ERROR: no rule brought these in, none synced yet.
    assert.equal(
      list.stdout.split('\n').filter((line) => /\spending\s+cli\s+—\s+—\s+RESOLVE_BUDGET_SPENT: /.test(line)).length,
      waiting,
    );
  });

  it('counts a mistyped username in the result line, as `peers list` shows it (17.8)', async () => {
    assert.equal((await runCli(['peers', 'add', '-a', 'main', '@nobody_has_this_name_17'], cli.env)).code, 0);
    const sync = await runCli(['sync', '--account', 'main'], cli.env);
    assert.equal(sync.code, 0, sync.stderr + sync.stdout);
    const line = /^main: succeeded — \d+ synced, 0 failed, (\d+) in backoff, 1 not found \(see `peers list`\)$/m.exec(
      sync.stdout,
    );
    assert.ok(line, sync.stdout);
    const status = await runCli(['status'], cli.env);
    assert.match(status.stdout, new RegExp(`^Peers in backoff: ${line[1]}$`, 'm'), 'the line and status agree');
    const list = await runCli(['peers', 'list', '-a', 'main'], cli.env);
    assert.match(list.stdout, /^@nobody_has_this_name_17\s+unresolvable/m);
  });

  it('errors: bad flag value 2, unknown flag 2, unreachable database 1 in one line', async () => {
    const runs = await runCli(['status', '--runs', '0'], cli.env);
    assert.equal(runs.code, 2);
    assert.match(runs.stderr, /--runs must be a positive whole number/);
    assert.equal((await runCli(['status', '--bogus'], cli.env)).code, 2);
    const down = await runCli(['status'], { ...cli.env, DATABASE_URL: 'postgres://u:pw@127.0.0.1:1/db' });
    assert.equal(down.code, 1);
    assert.match(singleErrorLine(down), /^error: cannot reach the database/);
  });
});
