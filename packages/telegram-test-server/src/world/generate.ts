/**
 * Builds a WorldState from a seed. Everything is a pure function of the options, and the cost is
 * linear in (peers × accounts) with small constants: no per-message storage (messages are
 * synthesised on demand by messages.ts), one small record per peer and per dialog.
 *
 * The first ten peers follow a fixed pattern so even a tiny world has every feature tests need
 * (see FIXED_KINDS); later peers are drawn from a distribution.
 */
import { markedId } from './ids.ts';
import {
  DEFAULT_RESOLVE_FLOOD,
  type ChannelRecord,
  type ChatRecord,
  type InviteLink,
  type PeerRecord,
  type UserRecord,
  type UsernameEntry,
  type UserStatusKind,
  type WorldAccount,
  type WorldOptions,
} from './model.ts';
import { groupTitle, personName, usernameStem } from './names.ts';
import { Rng, hash64, hashInts, hashToUnit, seedToInt } from './random.ts';
import { generateDialogs } from './generate-dialogs.ts';
import type { AccountState, WorldState } from './state.ts';

type GeneratedKind = 'user' | 'bot' | 'chat' | 'megagroup' | 'broadcast';

/**
 * Peers 0..9 (after the accounts). Their roles:
 * 0 user with two usernames, contact of account 0 · 1 public broadcast channel with three usernames,
 *   raw id equal to user 0's · 2 public supergroup, target of the migration of peer 8 ·
 * 3 basic group, raw id equal to user 4's · 4 user without username · 5 bot ·
 * 6 private broadcast channel with an invite link · 7 forum supergroup · 8 basic group migrated to peer 2 ·
 * 9 user account 0 has no dialog with.
 */
const FIXED_KINDS: readonly GeneratedKind[] = [
  'user',
  'broadcast',
  'megagroup',
  'chat',
  'user',
  'bot',
  'broadcast',
  'megagroup',
  'chat',
  'user',
];
export const FIXED_PEER_COUNT = FIXED_KINDS.length;

const DAY = 86_400;

export function generateWorldState(options: WorldOptions): WorldState {
  const seed = seedToInt(options.seed);
  const userAccounts = options.accounts ?? 1;
  const botAccounts = options.botAccounts ?? 1;
  const peerCount = options.peers;
  const dialogRatio = options.dialogRatio ?? 0.6;
  const epoch = options.epoch ?? 1_760_000_000;
  if (!Number.isInteger(peerCount) || peerCount < 0) throw new Error('World.generate: peers must be an integer ≥ 0');
  if (userAccounts < 1) throw new Error('World.generate: at least one user account is needed');

  const rng = new Rng(seed);
  const peers: PeerRecord[] = [];
  const usedIds = { user: new Set<bigint>(), chat: new Set<bigint>(), channel: new Set<bigint>() };
  const usedUsernames = new Set<string>();

  const uniqueId = (kind: 'user' | 'chat' | 'channel'): bigint => {
    const [min, max] =
      kind === 'user'
        ? [100_000_000, 7_999_999_999]
        : kind === 'chat'
          ? [1_000_000, 4_999_999_999]
          : [1_000_000_000, 2_999_999_999];
    for (;;) {
      const id = BigInt(min + Math.floor(rng.float() * (max - min)));
      if (!usedIds[kind].has(id)) {
        usedIds[kind].add(id);
        return id;
      }
    }
  };
  const uniqueUsername = (stem: string, suffix = ''): string => {
    let base = (stem.replace(/[^a-z0-9_]/g, '') || 'peer').slice(0, 20);
    if (!/^[a-z]/.test(base)) base = `u${base}`;
    let name = `${base}${suffix}`;
    let n = 1;
    while (name.length < 5 || usedUsernames.has(name)) name = `${base}${n++}${suffix}`;
    usedUsernames.add(name);
    return name;
  };

  // ---- accounts (user records first) ----
  const accountInfos: WorldAccount[] = [];
  const totalAccounts = userAccounts + botAccounts;
  for (let a = 0; a < totalAccounts; a++) {
    const isBot = a >= userAccounts;
    const { firstName, lastName } = isBot
      ? { firstName: `Sync Test Bot ${a - userAccounts + 1}`, lastName: '' }
      : personName(rng);
    const id = uniqueId('user');
    const username = isBot ? uniqueUsername(`synctest${a}`, '_bot') : uniqueUsername(`account${a + 1}`);
    const user: UserRecord = {
      kind: 'user',
      index: peers.length,
      id,
      bot: isBot,
      firstName,
      lastName,
      phone: isBot ? null : accountPhone(a, isBot, userAccounts),
      usernames: [{ username, active: true, editable: true }],
      photoId: hash64(seed, 0x9a, a),
      verified: false,
      premium: !isBot && a % 2 === 0,
      scam: false,
      statusKind: isBot ? 'none' : 'active',
      deleted: false,
      lastSeen: epoch - 600,
      accountIndex: a,
    };
    peers.push(user);
    accountInfos.push({
      index: a,
      userId: id,
      phone: accountPhone(a, isBot, userAccounts),
      isBot,
      loginCode: String(10_000 + (hashInts(seed, 0x10c, a) % 90_000)),
      ...(!isBot && a % 2 === 1 ? { password: `pw-${(hashInts(seed, 0x2fa, a) % 1_000_000).toString(36)}` } : {}),
      ...(isBot ? { botToken: `${id}:AAH${hash64(seed, 0xb07, a).toString(36).replace('-', 'x')}` } : {}),
      firstName,
      lastName,
      username,
    });
  }

  // ---- peers ----
  const kinds: GeneratedKind[] = [];
  for (let i = 0; i < peerCount; i++) {
    if (i < FIXED_KINDS.length) {
      kinds.push(FIXED_KINDS[i] as GeneratedKind);
      continue;
    }
    const u = rng.float();
    kinds.push(u < 0.45 ? 'user' : u < 0.5 ? 'bot' : u < 0.62 ? 'chat' : u < 0.8 ? 'megagroup' : 'broadcast');
  }

  for (let i = 0; i < peerCount; i++) {
    const kind = kinds[i] as GeneratedKind;
    const index = peers.length;
    const r = new Rng(hashInts(seed, 0x9ee7, i));
    if (kind === 'user' || kind === 'bot') {
      const isBot = kind === 'bot';
      const { firstName, lastName } = isBot ? { firstName: `${groupTitle(r)} Bot`, lastName: '' } : personName(r);
      const usernames: UsernameEntry[] = [];
      const hasUsername = isBot || (i !== 4 && (i === 0 || r.chance(0.55)));
      if (hasUsername) {
        const stem = isBot ? firstName.toLowerCase().replace(/[^a-z]/g, '') : `${firstName}_${lastName}`.toLowerCase();
        usernames.push({
          username: uniqueUsername(isBot ? stem : asciiStem(stem, r), isBot ? '_bot' : ''),
          active: true,
          editable: true,
        });
        if (!isBot && (i === 0 || r.chance(0.04))) addCollectibleUsernames(usernames, uniqueUsername, r);
      }
      const s = r.float();
      const statusKind: UserStatusKind = isBot
        ? 'none'
        : s < 0.5
          ? 'active'
          : s < 0.75
            ? 'recently'
            : s < 0.9
              ? 'lastWeek'
              : 'none';
      peers.push({
        kind: 'user',
        index,
        id: uniqueId('user'),
        bot: isBot,
        firstName,
        lastName,
        phone: isBot ? null : `44${String(7_000_000_000 + (hashInts(seed, 0xf0e, i) % 999_999_999))}`,
        usernames,
        photoId: r.chance(0.7) ? hash64(seed, 0x9b, i) : null,
        verified: r.chance(0.01),
        premium: !isBot && r.chance(0.1),
        scam: r.chance(0.002),
        statusKind,
        deleted: false,
        lastSeen: epoch - r.int(60, 30 * DAY),
        accountIndex: null,
      });
    } else if (kind === 'chat') {
      peers.push({
        kind: 'chat',
        index,
        id: uniqueId('chat'),
        title: groupTitle(r),
        photoId: r.chance(0.5) ? hash64(seed, 0x9c, i) : null,
        participantsCount: r.int(2, 200),
        createdDate: epoch - r.int(400 * DAY, 3000 * DAY),
        version: r.int(1, 40),
        migratedToIndex: null,
      });
    } else {
      const broadcast = kind === 'broadcast';
      const isPublic = i === 6 ? false : i < FIXED_KINDS.length ? true : r.chance(broadcast ? 0.65 : 0.45);
      const usernames: UsernameEntry[] = [];
      const title = groupTitle(r);
      if (isPublic) {
        usernames.push({
          username: uniqueUsername(asciiStem(title.toLowerCase().replace(/ /g, '_'), r)),
          active: true,
          editable: true,
        });
        if (i === 1 || r.chance(0.04)) addCollectibleUsernames(usernames, uniqueUsername, r);
      }
      const topMessageId = 1 + Math.floor(r.float() ** 3 * 20_000) + (i < FIXED_KINDS.length ? 20 : 0);
      const messageGap = r.int(30, 7200);
      const topDate = epoch - Math.floor(r.float() ** 2 * 400 * DAY) - 1;
      peers.push({
        kind: 'channel',
        index,
        id: uniqueId('channel'),
        title,
        photoId: r.chance(0.8) ? hash64(seed, 0x9d, i) : null,
        broadcast,
        forum: !broadcast && (i === 7 || (i >= FIXED_KINDS.length && r.chance(0.2))),
        verified: r.chance(0.02),
        signatures: broadcast && r.chance(0.2),
        usernames,
        participantsCount: broadcast
          ? Math.floor(r.float() ** 4 * 1_000_000) + 1
          : Math.floor(r.float() ** 4 * 200_000) + 3,
        createdDate: topDate - topMessageId * messageGap - DAY,
        pts: topMessageId + r.int(0, 300),
        topMessageId,
        topDate,
        messageGap,
        migratedFromIndex: null,
        deleted: false,
        stashedUsernames: null,
      });
    }
  }

  const base = totalAccounts;
  const peerAt = (i: number): PeerRecord | undefined => peers[base + i];

  // ---- deliberate raw-id collisions between id spaces ----
  forceSameRawId(peerAt(1), peerAt(0), usedIds);
  forceSameRawId(peerAt(3), peerAt(4), usedIds);

  // ---- basic groups migrated to supergroups ----
  const migrating: ChatRecord[] = [];
  const targets: ChannelRecord[] = [];
  for (let i = 0; i < peerCount; i++) {
    const p = peerAt(i);
    if (!p) continue;
    if (p.kind === 'chat' && (i === 8 || (i >= FIXED_KINDS.length && hashToUnit(seed, 0x3196, i) < 0.08)))
      migrating.push(p);
    if (p.kind === 'channel' && !p.broadcast && !p.forum && (i === 2 || i >= FIXED_KINDS.length)) targets.push(p);
  }
  for (let k = 0; k < migrating.length && k < targets.length; k++) {
    const chat = migrating[k] as ChatRecord;
    const channel = targets[k] as ChannelRecord;
    chat.migratedToIndex = channel.index;
    channel.migratedFromIndex = chat.index;
    channel.title = chat.title;
    // The supergroup starts where the basic group ended.
    channel.createdDate = Math.max(chat.createdDate + DAY, channel.createdDate);
  }

  // ---- indexes ----
  const byMarkedId = new Map<bigint, number>();
  const byUsername = new Map<string, number>();
  const senderPool: number[] = [];
  const broadcastPool: number[] = [];
  for (const p of peers) {
    byMarkedId.set(markedId(p.kind, p.id), p.index);
    if (p.kind !== 'chat') for (const u of p.usernames) if (u.active) byUsername.set(u.username.toLowerCase(), p.index);
    if (p.kind === 'user' && !p.bot && p.accountIndex === null) senderPool.push(p.index);
    if (p.kind === 'channel' && p.broadcast) broadcastPool.push(p.index);
  }
  const chattySenders = senderPool.slice(0, 12);

  // ---- invite links ----
  const invites: InviteLink[] = [];
  const inviteByHash = new Map<string, InviteLink>();
  for (let i = 0; i < peerCount; i++) {
    const p = peerAt(i);
    if (!p || p.kind === 'user') continue;
    const isPrivate = p.kind === 'chat' || p.usernames.length === 0;
    if (!(i === 6 || i === 3 || (i >= FIXED_KINDS.length && hashToUnit(seed, 0x1a7e, i) < (isPrivate ? 0.3 : 0.05))))
      continue;
    const link: InviteLink = {
      hash: inviteHash(seed, i),
      peerIndex: p.index,
      peerId: markedId(p.kind, p.id),
      expired: i >= FIXED_KINDS.length && hashToUnit(seed, 0xe4e, i) < 0.1,
    };
    invites.push(link);
    inviteByHash.set(link.hash, link);
  }
  if (peerCount > 3) {
    // One expired link to a group that also has a live one.
    const p = peerAt(3) as PeerRecord;
    const link: InviteLink = {
      hash: inviteHash(seed, 0xdead),
      peerIndex: p.index,
      peerId: markedId(p.kind, p.id),
      expired: true,
    };
    invites.push(link);
    inviteByHash.set(link.hash, link);
  }

  // ---- per-account dialogs ----
  const accounts: AccountState[] = accountInfos.map((info) => ({
    account: info,
    userIndex: info.index,
    dialogs: new Map(),
    contacts: new Map(),
    pts: 0,
    qts: 0,
    seq: 0,
    lastCommonMessageId: 0,
    lists: null,
    flood: { windowStart: 0, count: 0, strikes: 0, blockedUntil: 0 },
    lastStateDate: 0,
    unreadTotal: null,
    folderSummaries: new Map(),
    dialogFilters: [],
  }));

  const state: WorldState = {
    seed,
    epoch,
    clock: options.clock ?? (() => Math.floor(Date.now() / 1000)),
    resolveFlood: { ...DEFAULT_RESOLVE_FLOOD, ...options.resolveFlood },
    peers,
    byMarkedId,
    byUsername,
    accounts,
    senderPool,
    chattySenders,
    broadcastPool,
    messageOverrides: new Map(),
    invites,
    inviteByHash,
    tick: 0,
  };

  for (const acc of accounts) {
    if (acc.account.isBot) continue; // bots cannot list dialogs
    generateDialogs(state, acc, dialogRatio, base, FIXED_PEER_COUNT);
  }
  return state;
}

function accountPhone(a: number, isBot: boolean, userAccounts: number): string {
  // Telegram's test-number pattern 99966XYYYY (X = DC); bots get a separate range.
  const n = isBot ? 9000 + (a - userAccounts) : 1000 + a;
  return `99966${isBot ? 2 : 1}${String(n).padStart(4, '0')}`;
}

function asciiStem(text: string, r: Rng): string {
  const ascii = text
    .normalize('NFKD')
    .replace(/[^a-z0-9_]/g, '')
    .replace(/_+/g, '_')
    .replace(/^_+|_+$/g, '');
  return ascii.length >= 3 ? ascii : usernameStem(r);
}

function addCollectibleUsernames(
  list: UsernameEntry[],
  unique: (stem: string, suffix?: string) => string,
  r: Rng,
): void {
  // A collectible (Fragment) username: active, not editable; and an old one that was deactivated.
  list.push({ username: unique(usernameStem(r)), active: true, editable: false });
  list.push({ username: unique(usernameStem(r)), active: false, editable: false });
}

function forceSameRawId(
  target: PeerRecord | undefined,
  source: PeerRecord | undefined,
  used: Record<'user' | 'chat' | 'channel', Set<bigint>>,
): void {
  if (!target || !source || target.kind === source.kind || used[target.kind].has(source.id)) return;
  used[target.kind].delete(target.id);
  used[target.kind].add(source.id);
  (target as { id: bigint }).id = source.id;
}

function inviteHash(seed: number, n: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';
  let out = '';
  for (let k = 0; k < 16; k++) out += alphabet[hashInts(seed, 0x1f, n, k) % 64];
  // Telegram's t.me/+HASH invites never start with a digit-only run that could be read as a phone.
  return `A${out.slice(1)}`;
}
