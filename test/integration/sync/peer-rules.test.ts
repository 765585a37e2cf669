/**
 * Peers chosen by rule (issue 17): "all", by kind, by folder, with exclusions, expanded at every run
 * from the account's own dialog list in the local data center, against real PostgreSQL. Each case
 * has an account of its own, and every peers file goes through the real loader and parser.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadPeersFile } from '../../../src/app/configured-peers.ts';
import type { AccountRecord } from '../../../src/store/accounts/accounts.ts';
import { syncAccount } from '../../../src/sync/sync-account.ts';
import {
  startSyncHarness,
  TEST_SYNC_SETTINGS,
  type SyncHarness,
  assertRan,
  peerKey,
} from '../../helpers/sync-harness.ts';

type Kind = 'users' | 'bots' | 'groups' | 'channels';

describe('peers rules', () => {
  let harness: SyncHarness;
  let folder: string;
  const accounts: AccountRecord[] = [];

  before(async () => {
    harness = await startSyncHarness({ label: 'peer_rules', world: { seed: 'peer-rules', peers: 300, accounts: 6 } });
    for (const [index, worldAccount] of harness.world.userAccounts.entries())
      accounts.push(await harness.account(worldAccount.userId, `acct${index}`));
    folder = await mkdtemp(join(tmpdir(), 'peer-rules-'));
  });
  after(async () => {
    await harness?.close();
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  const calls = (method: string) => harness.server.callLog.calls(method).length;

  async function runWith(account: AccountRecord, text: string, options: { allowPeerRemoval?: boolean } = {}) {
    const file = join(folder, `${account.label}.txt`);
    await writeFile(file, text);
    const loaded = (await loadPeersFile(file, { warn: () => undefined }))!;
    return syncAccount(harness.deps, {
      account,
      settings: TEST_SYNC_SETTINGS,
      trigger: 'test',
      configuredPeers: loaded.peersOf(account.label),
      peerRules: loaded.rulesOf(account.label),
      ...options,
    });
  }

  interface Row {
    key: string;
    input: string;
    enabled: boolean;
    addedByRule: string | null;
    status: string;
  }
  async function rows(account: AccountRecord): Promise<Map<string, Row>> {
    const result = await harness.sql.query<Row>(
      `SELECT COALESCE(peer_type::text || ':' || peer_id, normalized_input) AS key, input, enabled, added_by_rule AS "addedByRule", status::text AS status
       FROM configured_peers WHERE account_id = $1 ORDER BY id`,
      [account.id],
    );
    return new Map(result.rows.map((row) => [row.key, row]));
  }
  const enabledKeys = async (account: AccountRecord) =>
    new Set([...(await rows(account)).values()].filter((row) => row.enabled).map((row) => row.key));

  const world = () => harness.world;
  const dialogPeers = (account: AccountRecord) =>
    world()
      .dialogsOf(account.telegramUserId!)
      .map((view) => view.peer);
  function kindOf(marked: bigint): Kind {
    const peer = world().peer(marked)!;
    if (peer.kind === 'user') return peer.bot ? 'bots' : 'users';
    if (peer.kind === 'chat') return 'groups';
    return peer.broadcast ? 'channels' : 'groups';
  }
  // An upgraded basic group is followed to its supergroup by resolution (its row then names the
  // supergroup), but only into a supergroup the account is in: otherwise it stays the group.
  const followed = (account: AccountRecord, peer: bigint) => {
    const channel = world()
      .migratedGroups()
      .find((pair) => pair.chat === peer)?.channel;
    return channel !== undefined && world().dialog(account.telegramUserId!, channel) !== null ? channel : peer;
  };
  const keys = (account: AccountRecord, peers: readonly bigint[]) =>
    new Set(peers.map((peer) => peerKey(followed(account, peer))));

  it('"all" configures every dialog of the account with one scan of its dialog list and no resolveUsername', async () => {
    const account = accounts[0]!;
    const before = {
      dialogs: calls('messages.GetDialogs'),
      resolve: calls('contacts.ResolveUsername'),
      filters: calls('messages.GetDialogFilters'),
    };
    const result = assertRan(await runWith(account, '# everything\nall\n'), 'succeeded');
    const expected = dialogPeers(account);
    assert.ok(expected.length > 100, `the account has ${expected.length} dialogs`);
    assert.deepEqual(await enabledKeys(account), keys(account, expected));
    for (const row of (await rows(account)).values()) assert.equal(row.addedByRule, 'all');
    assert.equal(
      result.counters.peersSynced + result.counters.peersFailed + result.counters.peersNoDialog,
      keys(account, expected).size,
    );
    // One page per 100 dialogs of each list (main and archive), and nothing else asked of Telegram to resolve them.
    const main = expected.filter((peer) => world().dialog(account.telegramUserId!, peer)!.folderId === 0).length;
    const archived = expected.length - main;
    assert.equal(
      calls('messages.GetDialogs') - before.dialogs,
      Math.max(1, Math.ceil(main / 100)) + Math.max(1, Math.ceil(archived / 100)),
    );
    assert.equal(calls('contacts.ResolveUsername') - before.resolve, 0);
    assert.equal(calls('messages.GetDialogFilters') - before.filters, 0, 'no rule names a folder');
  });

  it('a dialog joined between runs appears, one left disappears (disabled), and heavy churn does not trip the removal guard', async () => {
    const account = accounts[0]!;
    const me = account.telegramUserId!;
    const joined = world()
      .state.peers.map((peer) => world().markedIdOf(peer))
      .find((marked) => marked < 0n && marked > -1_000_000_000_000n && world().dialog(me, marked) === null);
    assert.ok(joined !== undefined, 'a basic group without a dialog');
    world().addDialog(me, joined);
    const leaving = dialogPeers(account).filter((peer) => peer !== joined);
    // Leave 60% of the chats: far above SYNC_PEERS_FILE_MAX_REMOVAL_PERCENT (50), but the file did not change.
    const left = leaving.slice(0, Math.ceil(leaving.length * 0.6));
    for (const peer of left) world().deleteDialog(me, peer);
    assertRan(await runWith(account, '# everything\nall\n'), 'succeeded');
    const after = await rows(account);
    assert.equal(after.get(peerKey(joined))?.enabled, true);
    assert.equal(after.get(peerKey(joined))?.addedByRule, 'all');
    for (const peer of left) assert.equal(after.get(peerKey(peer))?.enabled, false, `left ${peer}`);
    assert.deepEqual(await enabledKeys(account), keys(account, dialogPeers(account)));
  });

  it('a truncated file that lost its rule still trips the removal guard and changes nothing', async () => {
    const account = accounts[0]!;
    const enabledBefore = await enabledKeys(account);
    assert.ok(enabledBefore.size > 20);
    const one = [...enabledBefore][0]!;
    const result = assertRan(
      await runWith(account, `${one.startsWith('user:') ? one.slice(5) : '@nobody_here'}\n`),
      'failed',
    );
    assert.equal(result.errorKind, 'peers_file_removal');
    assert.deepEqual(await enabledKeys(account), enabledBefore);
  });

  it('by kind, with exclusions by username and id; explicit entries win over rules and over exclusions', async () => {
    const account = accounts[1]!;
    const peers = dialogPeers(account);
    const channels = peers.filter((peer) => kindOf(peer) === 'channels');
    const bots = peers.filter((peer) => kindOf(peer) === 'bots');
    assert.ok(channels.length > 4 && bots.length > 0, `${channels.length} channels, ${bots.length} bots`);
    const named = channels.filter((peer) =>
      world()
        .usernamesOf(peer)
        .some((entry) => entry.active),
    );
    assert.ok(named.length >= 2, 'two channels with usernames');
    const excludedByName = named[0]!;
    const explicitByName = named[1]!;
    const [excludedById, explicitById] = channels.filter(
      (peer) => peer !== excludedByName && peer !== explicitByName,
    ) as [bigint, bigint];
    const username = (peer: bigint) =>
      world()
        .usernamesOf(peer)
        .find((entry) => entry.active)!.username;
    const group = peers.find((peer) => kindOf(peer) === 'groups')!;
    const text = [
      'all channels',
      'all bots',
      `not @${username(excludedByName)}`,
      `not ${excludedById}`,
      // Explicit, and also excluded: explicit wins.
      `${explicitById}`,
      `not ${explicitById}`,
      `@${username(explicitByName)}`,
      // Explicit, of a kind no rule selects.
      `${group}`,
    ].join('\n');
    const before = calls('contacts.ResolveUsername');
    assertRan(await runWith(account, text), 'succeeded');
    const stored = await rows(account);
    const expected = [...channels.filter((peer) => peer !== excludedByName && peer !== excludedById), ...bots, group];
    // The explicit username resolved (by name) to its channel: one row of its own, among the channels.
    assert.deepEqual(await enabledKeys(account), keys(account, expected));
    assert.equal(stored.get(peerKey(explicitById))?.addedByRule, null, 'the explicit entry, not the rule');
    assert.equal(stored.get(peerKey(explicitById))?.input, String(explicitById));
    assert.equal(stored.get(peerKey(group))?.addedByRule, null);
    assert.equal(stored.get(peerKey(excludedByName)), undefined);
    assert.equal(stored.get(peerKey(excludedById)), undefined);
    // The explicit username is one row (its own), not a second one from the rule.
    const byName = [...stored.values()].filter((row) => row.key === peerKey(explicitByName));
    assert.equal(byName.length, 1);
    assert.equal(byName[0]!.addedByRule, null);
    for (const peer of [...channels, ...bots]) {
      const row = stored.get(peerKey(peer));
      if (row === undefined || peer === explicitById || peer === explicitByName) continue;
      assert.equal(row.addedByRule, kindOf(peer) === 'bots' ? 'all bots' : 'all channels', `${peer}`);
    }
    // The explicit username is found in the dialog list: no resolveUsername at all.
    assert.equal(calls('contacts.ResolveUsername') - before, 0);
  });

  it('by folder: Telegram’s folder rule, one getDialogFilters call per run', async () => {
    const account = accounts[2]!;
    const me = account.telegramUserId!;
    const peers = dialogPeers(account);
    const broadcasts = peers.filter((peer) => kindOf(peer) === 'channels');
    const user = peers.find((peer) => kindOf(peer) === 'users')!;
    world().setDialogFilter(me, {
      id: 2,
      title: 'News',
      includePeers: [user],
      pinnedPeers: [],
      excludePeers: [broadcasts[0]!],
      broadcasts: true,
    });
    world().setDialogFilter(me, {
      id: 3,
      title: 'Work',
      includePeers: [],
      pinnedPeers: [],
      excludePeers: [],
      groups: true,
    });
    const before = { filters: calls('messages.GetDialogFilters'), dialogs: calls('messages.GetDialogs') };
    assertRan(
      await runWith(account, 'folder "News"\nall groups in folder work\nnot all users in folder "News"\n'),
      'succeeded',
    );
    const news = world()
      .dialogFilterPeers(me, 2)
      .filter((peer) => kindOf(peer) !== 'users');
    const work = world().dialogFilterPeers(me, 3);
    assert.ok(news.length > 3 && work.length > 3, `${news.length} in News, ${work.length} in Work`);
    assert.deepEqual(await enabledKeys(account), keys(account, [...news, ...work]));
    const stored = await rows(account);
    for (const peer of news) assert.equal(stored.get(peerKey(peer))?.addedByRule, 'all in folder "News"');
    for (const peer of work.filter((peer) => !news.includes(peer)))
      assert.equal(stored.get(peerKey(followed(account, peer)))?.addedByRule, 'all groups in folder "work"');
    assert.equal(stored.get(peerKey(user)), undefined, 'excluded by "not all users in folder"');
    assert.equal(calls('messages.GetDialogFilters') - before.filters, 1);
    const dialogPages = calls('messages.GetDialogs') - before.dialogs;

    // The folder changes in Telegram: its peers follow at the next run.
    world().setDialogFilter(me, {
      id: 2,
      title: 'News',
      includePeers: [],
      pinnedPeers: [],
      excludePeers: broadcasts.slice(0, 3),
      broadcasts: true,
    });
    assertRan(
      await runWith(account, 'folder "News"\nall groups in folder work\nnot all users in folder "News"\n'),
      'succeeded',
    );
    assert.deepEqual(await enabledKeys(account), keys(account, [...world().dialogFilterPeers(me, 2), ...work]));
    assert.equal(calls('messages.GetDialogFilters') - before.filters, 2);
    assert.equal(calls('messages.GetDialogs') - before.dialogs, 2 * dialogPages, 'one scan per run');
  });

  it('a folder that does not exist fails the run with the line, the folders there are, and changes nothing', async () => {
    const account = accounts[2]!;
    const enabledBefore = await enabledKeys(account);
    const result = assertRan(await runWith(account, 'folder "News"\n\nall channels in folder "Nws"\n'), 'failed');
    assert.equal(result.errorKind, 'peers_rule');
    assert.match(
      result.errorText ?? '',
      /acct2\.txt:3: "all channels in folder "Nws"": the account "acct2" has no folder "Nws" \(its folders: "News", "Work"\); write the folder's name as Telegram shows it/,
    );
    assert.deepEqual(await enabledKeys(account), enabledBefore);
  });

  it('explicit numeric ids beside a rule: still one scan in the run, the rule’s entities resolve them', async () => {
    const account = accounts[3]!;
    const peers = dialogPeers(account);
    const channel = peers.find((peer) => kindOf(peer) === 'channels')!;
    const user = peers.find((peer) => kindOf(peer) === 'users')!;
    const before = calls('messages.GetDialogs');
    assertRan(await runWith(account, `all bots\n${channel}\n${user}\n999999999\n`), 'succeeded');
    const stored = await rows(account);
    assert.equal(stored.get(peerKey(channel))?.status, 'synced');
    assert.equal(stored.get(peerKey(user))?.status, 'synced');
    const main = peers.filter((peer) => world().dialog(account.telegramUserId!, peer)!.folderId === 0).length;
    assert.equal(
      calls('messages.GetDialogs') - before,
      Math.max(1, Math.ceil(main / 100)) + Math.max(1, Math.ceil((peers.length - main) / 100)),
      'one scan, though 999999999 is not among the dialogs',
    );
    assert.equal(stored.get('id:user:999999999')?.status, 'unresolvable');
  });

  it('a dialog list cut short by a long flood wait disables nothing; the chats left are disabled once it can be read again', async () => {
    const account = accounts[4]!;
    const me = account.telegramUserId!;
    assertRan(await runWith(account, 'all\n'), 'succeeded');
    const enabledBefore = await enabledKeys(account);
    const left = dialogPeers(account).slice(0, 5);
    for (const peer of left) world().deleteDialog(me, peer);
    // Above the ceiling (30 s): getDialogs is deferred for this account after its first page.
    harness.server.faults.floodWait(3600, { method: 'messages.GetDialogs', account: me, nthCall: 2 });
    assertRan(await runWith(account, 'all\n'), 'succeeded');
    assert.deepEqual(await enabledKeys(account), enabledBefore, 'nothing disabled from a partial list');
    // The next run is still deferred for getDialogs: the rule keeps its peers without scanning.
    const pages = calls('messages.GetDialogs');
    assertRan(await runWith(account, 'all\n'), 'succeeded');
    assert.equal(calls('messages.GetDialogs'), pages, 'no scan while getDialogs is deferred');
    assert.deepEqual(await enabledKeys(account), enabledBefore);
    await harness.sql.query('DELETE FROM account_method_waits WHERE account_id = $1', [account.id]);
    assertRan(await runWith(account, 'all\n'), 'succeeded');
    for (const peer of left) assert.equal((await rows(account)).get(peerKey(peer))?.enabled, false);
  });
});
