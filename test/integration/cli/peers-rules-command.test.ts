/**
 * Peers rules through the real executable (issue 17): from a peers file and from `peers add`, synced
 * against the local data center, and shown by `peers list` with the rule that brought each peer in.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { runCli } from '../../helpers/cli-process.ts';
import { jobEnvironment } from '../../helpers/job-environment.ts';
import { startSyncHarness, type SyncHarness } from '../../helpers/sync-harness.ts';

describe('peers rules from the command line', () => {
  let harness: SyncHarness;
  let fileEnv: NodeJS.ProcessEnv;
  let cliEnv: NodeJS.ProcessEnv;
  const kindOf = (marked: bigint) => {
    const peer = harness.world.peer(marked)!;
    return peer.kind === 'user'
      ? peer.bot
        ? 'bots'
        : 'users'
      : peer.kind === 'chat'
        ? 'groups'
        : peer.broadcast
          ? 'channels'
          : 'groups';
  };

  before(async () => {
    harness = await startSyncHarness({
      label: 'cli_peer_rules',
      world: { seed: 'cli-peer-rules', peers: 150, accounts: 2 },
    });
    const [first, second] = harness.world.userAccounts.map((account) => account.userId) as [bigint, bigint];
    const main = await harness.account(first, 'main');
    const other = await harness.account(second, 'other');
    const accounts = [
      { account: main, session: harness.server.sessionFor(first) },
      { account: other, session: harness.server.sessionFor(second) },
    ];
    fileEnv = await jobEnvironment(harness, {
      accounts: accounts.slice(0, 1),
      peers: ['all channels   # every channel of the account'],
    });
    cliEnv = { ...(await jobEnvironment(harness, { accounts, peers: ['unused'] })) };
    delete cliEnv.SYNC_PEERS_FILE;
  });
  after(() => harness?.close());

  it('a rule in the peers file: `peers list` shows each peer with its rule', async () => {
    const run = await runCli(['sync', '--account', 'main'], fileEnv);
    assert.equal(run.code, 0, run.stderr + run.stdout);
    const channels = harness.world
      .dialogsOf(harness.world.userAccounts[0]!.userId)
      .filter((view) => kindOf(view.peer) === 'channels');
    assert.ok(channels.length > 2);
    const list = await runCli(['peers', 'list', '--account', 'main'], fileEnv);
    assert.equal(list.code, 0, list.stderr);
    const lines = list.stdout.trim().split('\n');
    assert.match(lines[0]!, /^PEER\s+STATUS\s+SOURCE\s+RULE\s+LAST SYNC\s+ERROR\s+NEXT ATTEMPT$/);
    assert.equal(lines.length, channels.length + 1);
    for (const view of channels)
      assert.match(list.stdout, new RegExp(`^${view.peer}\\s+\\S+\\s+file\\s+all channels\\s`, 'm'));
    const json = (await runCli(['peers', 'list', '--account', 'main', '--json'], fileEnv)).stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    assert.ok(json.every((row) => row.addedByRule === 'all channels'));
  });

  it('`peers add` takes rules beside peers, a run expands them, `peers remove` of a rule disables its peers at the next run', async () => {
    const me = harness.world.userAccounts[1]!.userId;
    const dialogs = harness.world.dialogsOf(me).map((view) => view.peer);
    const bots = dialogs.filter((peer) => kindOf(peer) === 'bots');
    const groups = dialogs.filter((peer) => kindOf(peer) === 'groups');
    assert.ok(bots.length > 1 && groups.length > 1, `${bots.length} bots, ${groups.length} groups`);
    const explicit = groups[0]!;
    const add = await runCli(
      [
        'peers',
        'add',
        '--account',
        'other',
        'all bots',
        'all groups',
        `not ${groups[1]}`,
        String(explicit),
        'all chanels',
      ],
      cliEnv,
    );
    assert.equal(add.code, 1);
    assert.match(
      add.stderr,
      /^argument 5 \("all chanels"\): "chanels" is not a kind of dialog: write users, bots, groups or channels .*; not added$/m,
    );
    assert.match(add.stdout, /^account "other": 1 peer\(s\) added, 0 re-enabled, 0 already configured$/m);
    assert.match(
      add.stdout,
      /^account "other": 3 rule\(s\) added, 0 already configured \(expanded from its dialog list at each run\)$/m,
    );

    const sync = await runCli(['sync', '--account', 'other'], cliEnv);
    assert.equal(sync.code, 0, sync.stderr + sync.stdout);
    const list = await runCli(['peers', 'list', '--account', 'other'], cliEnv);
    assert.match(list.stdout.split('\n')[0]!, /^rules: all bots; all groups; not -\d+$/);
    for (const bot of bots) assert.match(list.stdout, new RegExp(`^${bot}\\s+\\S+\\s+cli\\s+all bots\\s`, 'm'));
    assert.match(list.stdout, new RegExp(`^${explicit}\\s+\\S+\\s+cli\\s+—\\s`, 'm'));
    assert.doesNotMatch(list.stdout, new RegExp(`^${groups[1]}\\s`, 'm'));
    const enabled = async () =>
      (
        await harness.sql.query(
          `SELECT input, added_by_rule FROM configured_peers p JOIN accounts a ON a.id = p.account_id WHERE a.label = 'other' AND p.enabled ORDER BY p.id`,
        )
      ).rows;
    assert.equal((await enabled()).length, bots.length + groups.length - 1);

    const one = await runCli(['peers', 'remove', '--account', 'other', String(bots[0])], cliEnv);
    assert.equal(one.code, 0, one.stderr);
    assert.match(
      one.stderr,
      new RegExp(
        `^"${bots[0]}" came from the rule "all bots", which adds it again at the next run; to keep it out: tg-dialog-sync peers add "not ${bots[0]}" --account other$`,
        'm',
      ),
    );
    const remove = await runCli(['peers', 'remove', '--account', 'other', 'all bots'], cliEnv);
    assert.equal(remove.code, 0, remove.stderr);
    assert.match(remove.stdout, /1 rule\(s\) removed \(the peers they brought in are disabled at the next run\)/);
    assert.equal((await runCli(['sync', '--account', 'other'], cliEnv)).code, 0);
    const after = await enabled();
    assert.equal(after.length, groups.length - 1);
    assert.ok(after.every((row) => row.added_by_rule !== 'all bots'));
  });
});
