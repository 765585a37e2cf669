import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import bigInt from 'big-integer';
import { Api } from 'telegram';
import { World } from '../../src/world/index.ts';
import {
  callAs,
  contentOf,
  expectedDialogsReply,
  markedIdOfTl,
  peerDialogsRequest,
  plainDialogsReply,
} from '../../src/world/test-support.ts';

const world = World.generate({ seed: 'replies', peers: 20_000, accounts: 2 });
const [me, other] = world.userAccounts.map((a) => a.userId) as [bigint, bigint];

function peerDialogs(account: bigint, peers: readonly bigint[]): Api.messages.PeerDialogs {
  return callAs<Api.messages.PeerDialogs>(world, account, peerDialogsRequest(world, account, peers));
}

describe('getPeerDialogs replies', () => {
  it('match the world exactly for 100 peers, for each account', () => {
    for (const account of [me, other]) {
      const peers = world.peerDialogPeers(account).slice(200, 300);
      assert.equal(peers.length, 100);
      const reply = peerDialogs(account, peers);
      assert.deepEqual(plainDialogsReply(reply), expectedDialogsReply(world, account, peers));
      assert.equal(reply.state.pts, world.accountUpdateState(account).pts);
      assert.equal(reply.state.unreadCount, world.accountUpdateState(account).unreadCount);
    }
  });

  it('carry min users for unknown senders in channels, with the min hash and no phone', () => {
    const peers = world.peerDialogPeers(me).slice(0, 100);
    const reply = peerDialogs(me, peers);
    const minUsers = reply.users.filter((u): u is Api.User => u instanceof Api.User && Boolean(u.min));
    assert.ok(minUsers.length > 0);
    for (const u of minUsers) {
      const id = BigInt(u.id.toString());
      assert.equal(u.accessHash?.toString(), world.minAccessHash(id).toString());
      assert.notEqual(u.accessHash?.toString(), world.accessHash(me, id).toString());
      assert.equal(u.phone, undefined);
      assert.equal(world.dialog(me, id), null, 'the account has no private chat with a min user');
    }
  });

  it('repeat the same user in `users` when it sent two of the top messages', () => {
    const reply = peerDialogs(me, world.peerDialogPeers(me).slice(0, 100));
    const ids = reply.users.map((u) => String(markedIdOfTl(u)));
    assert.ok(new Set(ids).size < ids.length, 'some user appears more than once');
  });

  it('use the per-account top message ids of basic groups, and channel ids shared', () => {
    const shared = world.peerDialogPeers(me).filter((p) => world.peerDialogOutcome(other, p) === 'dialog');
    const chat = shared.find(
      (p) => world.peer(p)?.kind === 'chat' && world.dialog(me, p)!.topMessage !== world.dialog(other, p)!.topMessage,
    )!;
    const channel = shared.find((p) => world.peer(p)?.kind === 'channel')!;
    const a = peerDialogs(me, [chat, channel]);
    const b = peerDialogs(other, [chat, channel]);
    assert.notEqual((a.dialogs[0] as Api.Dialog).topMessage, (b.dialogs[0] as Api.Dialog).topMessage);
    assert.equal((a.dialogs[1] as Api.Dialog).topMessage, (b.dialogs[1] as Api.Dialog).topMessage);
    assert.equal((a.dialogs[1] as Api.Dialog).pts, world.dialog(me, channel)!.pts);
    assert.equal((a.dialogs[0] as Api.Dialog).pts, undefined);
  });

  it('serialise and parse back with GramJS', async () => {
    const { BinaryReader } = await import('telegram/extensions/index.js');
    const reply = peerDialogs(me, world.peerDialogPeers(me).slice(0, 100));
    const parsed = new BinaryReader(reply.getBytes()).tgReadObject() as Api.messages.PeerDialogs;
    assert.ok(parsed instanceof Api.messages.PeerDialogs);
    assert.deepEqual(plainDialogsReply(parsed), plainDialogsReply(reply));
  });
});

describe('volatile fields', () => {
  it('change on every call while the content stays equal', () => {
    const peers = world.peerDialogPeers(me).slice(0, 100);
    const first = peerDialogs(me, peers);
    const second = peerDialogs(me, peers);
    assert.deepEqual(contentOf(second), contentOf(first));
    assert.notEqual(second.state.date, first.state.date);

    const statuses = (r: Api.messages.PeerDialogs) =>
      r.users.map((u) => JSON.stringify(contentOf((u as Api.User).status ?? null)));
    const changed = statuses(first).filter((s, i) => s !== statuses(second)[i]);
    assert.ok(changed.length > 0, 'some online statuses moved');

    const views = (r: Api.messages.PeerDialogs) =>
      r.messages.map((m) => (m as Api.Message).views).filter((v) => v !== undefined);
    assert.ok(views(first).length > 0);
    views(first).forEach((v, i) => assert.ok((views(second)[i] as number) > (v as number), 'views grow'));

    const refs = (r: Api.messages.PeerDialogs) =>
      r.messages.flatMap((m) => {
        const media = (m as Api.Message).media;
        return media instanceof Api.MessageMediaPhoto && media.photo instanceof Api.Photo
          ? [media.photo.fileReference.toString('hex')]
          : [];
      });
    assert.ok(refs(first).length > 0);
    refs(first).forEach((ref, i) => assert.notEqual(refs(second)[i], ref));
  });

  it('also move in users.getUsers and updates.getState', () => {
    const active = world
      .users(true)
      .find((u) => u.kind === 'user' && u.statusKind === 'active' && world.dialog(me, u.id))!;
    const request = new Api.users.GetUsers({
      id: [
        new Api.InputUser({
          userId: bigInt(active.id.toString()),
          accessHash: bigInt(world.accessHash(me, active.id).toString()),
        }),
      ],
    });
    const a = callAs<Api.User[]>(world, me, request)[0]!;
    const b = callAs<Api.User[]>(world, me, request)[0]!;
    assert.notDeepEqual(contentOf(a.status), contentOf(b.status));
    assert.deepEqual(contentOf(a), contentOf(b));
    const s1 = callAs<Api.updates.State>(world, me, new Api.updates.GetState());
    const s2 = callAs<Api.updates.State>(world, me, new Api.updates.GetState());
    assert.ok(s2.date > s1.date);
    assert.deepEqual(contentOf(s1), contentOf(s2));
  });
});

describe('messages.getDialogs pagination', () => {
  const getDialogs = (account: bigint, fields: Partial<ConstructorParameters<typeof Api.messages.GetDialogs>[0]>) =>
    callAs<Api.messages.TypeDialogs>(
      world,
      account,
      new Api.messages.GetDialogs({
        offsetDate: 0,
        offsetId: 0,
        offsetPeer: new Api.InputPeerEmpty(),
        limit: 100,
        hash: bigInt.zero,
        ...fields,
      }),
    ) as Api.messages.Dialogs | Api.messages.DialogsSlice;

  /** Pages the way GramJS's iterDialogs does: offset from the last dialog, exclude_pinned after page 1. */
  function pageAll(account: bigint, limit: number, folderId?: number): bigint[] {
    const seen: bigint[] = [];
    let offset = {
      offsetDate: 0,
      offsetId: 0,
      offsetPeer: new Api.InputPeerEmpty() as Api.TypeInputPeer,
      excludePinned: false,
    };
    for (let guard = 0; guard < 10_000; guard++) {
      const r = getDialogs(account, { ...offset, limit, folderId });
      // like GramJS, skip the archive's DialogFolder row
      const peers = r.dialogs.filter((d) => d instanceof Api.Dialog).map((d) => markedIdOfTl(d.peer));
      seen.push(...peers);
      if (peers.length < limit || !(r instanceof Api.messages.DialogsSlice)) return seen;
      assert.equal(r.count, world.dialogsOf(account).filter((d) => (d.folderId ?? 0) === (folderId ?? 0)).length);
      const last = r.dialogs.at(-1) as Api.Dialog;
      const lastPeer = markedIdOfTl(last.peer);
      const msg = r.messages.find(
        (m) => markedIdOfTl((m as Api.Message).peerId) === lastPeer && m.id === last.topMessage,
      ) as Api.Message;
      offset = {
        offsetDate: msg.date,
        offsetId: msg.id,
        offsetPeer: world.inputPeer(account, lastPeer),
        excludePinned: true,
      };
    }
    throw new Error('pagination did not end');
  }

  it('covers every dialog exactly once, in the world’s order, for several page sizes and both folders', () => {
    const all = world.dialogsOf(me);
    const main = all.filter((d) => d.folderId === null).map((d) => d.peer);
    const archive = all.filter((d) => d.folderId === 1).map((d) => d.peer);
    assert.ok(archive.length > 0 && main.length > 1000);
    // Page sizes at least the number of pinned dialogs: later pages exclude pinned ones (GramJS).
    for (const limit of [7, 33, 100]) assert.deepEqual(pageAll(me, limit), main, `limit ${limit}`);
    assert.deepEqual(pageAll(me, 100, 1), archive);
  });

  it('pages by offset_date/offset_id alone too', () => {
    const main = world
      .dialogsOf(other)
      .filter((d) => d.folderId === null && !d.pinned)
      .map((d) => d.peer);
    const seen: bigint[] = [];
    let offsetDate = 0;
    let offsetId = 0;
    for (;;) {
      const r = getDialogs(other, { offsetDate, offsetId, limit: 50, excludePinned: true });
      seen.push(...r.dialogs.map((d) => markedIdOfTl((d as Api.Dialog).peer)));
      if (r.dialogs.length < 50) break;
      const last = r.dialogs.at(-1) as Api.Dialog;
      const msg = r.messages.find(
        (m) => markedIdOfTl((m as Api.Message).peerId) === markedIdOfTl(last.peer) && m.id === last.topMessage,
      )!;
      offsetDate = (msg as Api.Message).date;
      offsetId = msg.id;
    }
    assert.deepEqual(seen, main);
  });

  it('starts the main list with the archive’s DialogFolder, and getPeerDialogs gives it for inputDialogPeerFolder', () => {
    const summary = world.folderSummary(me, 1)!;
    assert.ok(summary.unreadMutedPeersCount + summary.unreadUnmutedPeersCount > 0);
    const first = getDialogs(me, { limit: 10 });
    const folder = first.dialogs[0];
    assert.ok(folder instanceof Api.DialogFolder);
    assert.equal(folder.folder.id, 1);
    assert.equal(markedIdOfTl(folder.peer), summary.topPeer);
    assert.equal(folder.topMessage, summary.topMessage);
    assert.deepEqual(
      [
        folder.unreadMutedPeersCount,
        folder.unreadUnmutedPeersCount,
        folder.unreadMutedMessagesCount,
        folder.unreadUnmutedMessagesCount,
      ],
      [
        summary.unreadMutedPeersCount,
        summary.unreadUnmutedPeersCount,
        summary.unreadMutedMessagesCount,
        summary.unreadUnmutedMessagesCount,
      ],
    );
    assert.equal(first.dialogs.filter((d) => d instanceof Api.Dialog).length, 10);
    assert.ok(
      first.messages.some(
        (m) => markedIdOfTl((m as Api.Message).peerId) === summary.topPeer && m.id === summary.topMessage,
      ),
    );
    assert.ok(!getDialogs(me, { limit: 10, folderId: 1 }).dialogs.some((d) => d instanceof Api.DialogFolder));

    const viaPeerDialogs = callAs<Api.messages.PeerDialogs>(
      world,
      me,
      new Api.messages.GetPeerDialogs({
        peers: [new Api.InputDialogPeerFolder({ folderId: 1 }), new Api.InputDialogPeerFolder({ folderId: 5 })],
      }),
    );
    assert.equal(viaPeerDialogs.dialogs.length, 1, 'an empty folder yields nothing');
    assert.ok(viaPeerDialogs.dialogs[0] instanceof Api.DialogFolder);
  });

  it('answers messages.dialogs when everything fits, messages.dialogsSlice with count otherwise', () => {
    const small = World.generate({ seed: 'small', peers: 12 });
    const acc = small.accounts[0]!.userId;
    const total = small.dialogsOf(acc).filter((d) => d.folderId === null).length;
    const all = callAs(
      small,
      acc,
      new Api.messages.GetDialogs({
        offsetDate: 0,
        offsetId: 0,
        offsetPeer: new Api.InputPeerEmpty(),
        limit: 100,
        hash: bigInt.zero,
      }),
    );
    assert.ok(all instanceof Api.messages.Dialogs);
    assert.equal(all.dialogs.filter((d) => d instanceof Api.Dialog).length, total);
    const part = callAs(
      small,
      acc,
      new Api.messages.GetDialogs({
        offsetDate: 0,
        offsetId: 0,
        offsetPeer: new Api.InputPeerEmpty(),
        limit: 3,
        hash: bigInt.zero,
      }),
    );
    assert.ok(part instanceof Api.messages.DialogsSlice);
    assert.equal(part.count, total);
    assert.equal(part.dialogs.filter((d) => d instanceof Api.Dialog).length, 3);
    const tooMany = getDialogs(me, { limit: 500 });
    assert.equal(tooMany.dialogs.filter((d) => d instanceof Api.Dialog).length, 100, 'limit is clamped to 100');
  });
});
