/**
 * Resolution of every peer form, the reasons given for peers that cannot be synced, two accounts
 * syncing overlapping peers at once, and replies carrying NUL text and username changes.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parsePeerSpec } from '../../../src/peers/parse-peer-spec.ts';
import type { AccountRecord } from '../../../src/store/accounts/accounts.ts';
import type { WantedPeer } from '../../../src/store/peers/reconcile-configured-peers.ts';
import { syncAccount, type SyncAccountResult } from '../../../src/sync/sync-account.ts';
import {
  assertRan,
  peerKeyOfMarked,
  startSyncHarness,
  TEST_SYNC_SETTINGS,
  type SyncHarness,
} from '../../helpers/sync-harness.ts';

function wantedOf(inputs: readonly string[]): WantedPeer[] {
  return inputs.map((input) => {
    const parsed = parsePeerSpec(input);
    assert.ok(parsed.ok, `${input} should parse`);
    return { input, normalizedInput: parsed.spec.normalized };
  });
}

const assertSucceeded = (result: SyncAccountResult): void => void assertRan(result, 'succeeded');

describe('peer forms, failures and two accounts', () => {
  let harness: SyncHarness;
  let first: AccountRecord;
  let second: AccountRecord;
  let meFirst: bigint;
  let meSecond: bigint;

  before(async () => {
    harness = await startSyncHarness({
      label: 'peer_forms',
      world: { seed: 'peer-forms', peers: 1500, accounts: 2, resolveFlood: { freeCalls: 100_000 } },
    });
    meFirst = harness.world.userAccounts[0]!.userId;
    meSecond = harness.world.userAccounts[1]!.userId;
    first = await harness.account(meFirst, 'first');
    second = await harness.account(meSecond, 'second');
  });
  after(() => harness?.close());

  // Each test configures its own list for the shared accounts, replacing most of the previous one on
  // purpose: the peers-file removal guard (tested in sync-peers-file-guard) is accepted here.
  const sync = (account: AccountRecord, inputs: readonly string[]) =>
    syncAccount(harness.deps, {
      account,
      settings: TEST_SYNC_SETTINGS,
      trigger: 'test',
      configuredPeers: wantedOf(inputs),
      allowPeerRemoval: true,
    });

  it('resolves every form, gives reasons for unknown peers, and still syncs the rest', async () => {
    const world = harness.world;
    const named = world.peerDialogPeers(meFirst).filter((marked) => world.specStrings(marked).length > 1);
    const forms = named.slice(0, 5).map((marked, index) => world.specStrings(marked)[index]!);
    const channelId = peerKeyOfMarked(named.find((marked) => peerKeyOfMarked(marked).peerType === 'channel')!).peerId;
    const joined = world.inviteLinks.find((link) => !link.expired && world.dialog(meFirst, link.peerId) !== null)!;
    const notJoined = world.inviteLinks.find(
      (link) =>
        !link.expired &&
        world.dialog(meFirst, link.peerId) === null &&
        world.peerDialogOutcome(meFirst, link.peerId) !== 'dialog',
    );
    const inputs = [
      ...forms,
      `https://t.me/c/${channelId}/1`,
      world.inviteSpecStrings(joined)[0]!,
      '@nobody_has_this_name',
      '-1009999999998',
      ...(notJoined === undefined ? [] : [world.inviteSpecStrings(notJoined)[1]!]),
    ];
    const result = await sync(first, inputs);
    assertSucceeded(result);
    const { rows } = await harness.sql.query(
      `SELECT input, status, last_error_code, last_error_text FROM configured_peers WHERE account_id = $1 ORDER BY id`,
      [first.id],
    );
    const byInput = new Map(rows.map((row) => [row.input, row]));
    for (const input of [...forms, `https://t.me/c/${channelId}/1`, world.inviteSpecStrings(joined)[0]!]) {
      assert.ok(
        ['synced', 'duplicate'].includes(byInput.get(input)?.status),
        `${input}: ${JSON.stringify(byInput.get(input))}`,
      );
    }
    assert.equal(byInput.get('@nobody_has_this_name')?.status, 'unresolvable');
    assert.equal(byInput.get('@nobody_has_this_name')?.last_error_code, 'USERNAME_NOT_OCCUPIED');
    assert.match(byInput.get('@nobody_has_this_name')?.last_error_text, /no Telegram user or chat has this username/);
    assert.equal(byInput.get('-1009999999998')?.last_error_code, 'PEER_NOT_FOUND');
    if (notJoined !== undefined)
      assert.equal(byInput.get(world.inviteSpecStrings(notJoined)[1]!)?.last_error_code, 'INVITE_NOT_JOINED');
  });

  it('keeps two accounts apart while they sync overlapping peers at the same time, without deadlocks', async () => {
    const world = harness.world;
    const shared = world
      .peerDialogPeers(meFirst)
      .filter((marked) => world.peerDialogOutcome(meSecond, marked) === 'dialog')
      .slice(0, 300);
    assert.ok(shared.length >= 100, `only ${shared.length} shared peers`);
    const inputs = shared.map((marked) => String(marked));
    const [a, b] = await Promise.all([sync(first, inputs), sync(second, inputs)]);
    assertSucceeded(a);
    assertSucceeded(b);
    const channels = shared.filter((marked) => peerKeyOfMarked(marked).peerType === 'channel').slice(0, 20);
    for (const marked of channels) {
      const id = peerKeyOfMarked(marked).peerId.toString();
      const hashes = await harness.sql.query(
        'SELECT account_id, access_hash::text FROM account_channels WHERE channel_id = $1 ORDER BY account_id',
        [id],
      );
      assert.deepEqual(hashes.rows, [
        { account_id: first.id, access_hash: world.accessHash(meFirst, marked).toString() },
        { account_id: second.id, access_hash: world.accessHash(meSecond, marked).toString() },
      ]);
    }
    const privateChat = shared.find((marked) => peerKeyOfMarked(marked).peerType === 'user');
    if (privateChat !== undefined) {
      const key = peerKeyOfMarked(privateChat);
      const dialogs = await harness.sql.query(
        'SELECT account_id, top_message_id FROM dialogs WHERE peer_type = $1 AND peer_id = $2 ORDER BY account_id',
        [key.peerType, key.peerId.toString()],
      );
      assert.deepEqual(dialogs.rows, [
        { account_id: first.id, top_message_id: world.dialog(meFirst, privateChat)!.topMessage },
        { account_id: second.id, top_message_id: world.dialog(meSecond, privateChat)!.topMessage },
      ]);
    }
    const perAccount = await harness.sql.query(
      'SELECT account_id, count(*)::int AS n FROM dialogs WHERE account_id IN ($1, $2) GROUP BY 1 ORDER BY 1',
      [first.id, second.id],
    );
    assert.ok(perAccount.rows.every((row) => row.n >= shared.length));
  });

  it('stores a message with NUL and a new username after the world changes', async () => {
    const world = harness.world;
    const channel = world
      .peerDialogPeers(meFirst)
      .find((marked) => peerKeyOfMarked(marked).peerType === 'channel' && world.usernamesOf(marked).length > 0)!;
    const user = world.peerDialogPeers(meFirst).find((marked) => marked > 0n && world.usernamesOf(marked).length > 0)!;
    const inputs = [String(channel), String(user)];
    assertSucceeded(await sync(first, inputs));
    world.postNulMessage(channel);
    world.changeUsername(user, 'renamed_user_x');
    assertSucceeded(await sync(first, inputs));
    const key = peerKeyOfMarked(channel);
    const top = world.dialog(meFirst, channel)!.topMessage;
    const message = await harness.sql.query(
      'SELECT text FROM messages WHERE account_id = $1 AND peer_type = $2 AND peer_id = $3 AND id = $4',
      [first.id, key.peerType, key.peerId.toString(), top],
    );
    const expected = world.message(meFirst, channel, top)!.text;
    assert.ok(expected.includes('\u0000'));
    assert.equal(message.rows[0]?.text, expected.replaceAll('\u0000', ''));
    const username = await harness.sql.query('SELECT username, usernames FROM users WHERE id = $1', [user.toString()]);
    assert.equal(username.rows[0]?.username, 'renamed_user_x');
  });

  it('treats the peers file as the source of truth: removed peers are disabled, their data kept', async () => {
    const world = harness.world;
    const [kept, removed] = world.peerDialogPeers(meFirst).slice(-2);
    assertSucceeded(await sync(first, [String(kept), String(removed)]));
    const result = await sync(first, [String(kept)]);
    assertSucceeded(result);
    if (result.status !== 'skipped') assert.equal(result.counters.peersTotal, 1);
    const { rows } = await harness.sql.query(
      'SELECT input, enabled FROM configured_peers WHERE account_id = $1 AND input IN ($2, $3) ORDER BY input',
      [first.id, String(kept), String(removed)],
    );
    assert.deepEqual(
      new Map(rows.map((row) => [row.input, row.enabled])),
      new Map([
        [String(kept), true],
        [String(removed), false],
      ]),
    );
    const key = peerKeyOfMarked(removed!);
    const dialog = await harness.sql.query(
      'SELECT count(*)::int AS n FROM dialogs WHERE account_id = $1 AND peer_type = $2 AND peer_id = $3',
      [first.id, key.peerType, key.peerId.toString()],
    );
    assert.equal(dialog.rows[0].n, 1);
  });
});
