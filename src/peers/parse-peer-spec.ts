import { CHANNEL_MARK, idSpec, inviteSpec, usernameSpec, type PeerSpecParse } from './peer-spec.ts';
import { printableText } from './printable-text.ts';

/**
 * Parses one configured peer as users write it: `@name`, `name`, `https://t.me/name` (also message and
 * preview links), `t.me/+HASH` and `t.me/joinchat/HASH` invites, `tg://resolve?domain=name`,
 * `tg://join?invite=HASH`, `t.me/c/<id>` links and numeric marked ids (`123`, `-456`, `-100…`).
 * GramJS's own parseUsername misses several of these, so links are normalised here.
 */
export function parsePeerSpec(rawInput: string): PeerSpecParse {
  const input = rawInput.trim();
  if (input === '') return failure('it is empty');
  if (/^[+-]?\d+$/.test(input)) return parseMarkedId(input);
  if (input.startsWith('@')) return parseUsername(input.slice(1));
  if (/^tg:\/\//i.test(input)) return parseTgLink(input);
  const link = /^(?:https?:\/\/)?(?:www\.)?(?:t\.me|telegram\.me|telegram\.dog)\/(.*)$/i.exec(input);
  if (link !== null) return parseTmePath(link[1] ?? '');
  if (/^[a-z][\w]*$/i.test(input)) return parseUsername(input);
  return failure('it is not a username, a t.me or tg:// link, or a numeric id');
}

/** Paths of t.me that are not peers. */
const RESERVED_PATHS = new Set([
  'addlist',
  'addemoji',
  'addstickers',
  'addtheme',
  'bg',
  'boost',
  'confirmphone',
  'contact',
  'giftcode',
  'invoice',
  'iv',
  'login',
  'proxy',
  'setlanguage',
  'share',
  'socks',
  'msg',
  'm',
]);

function parseTmePath(path: string): PeerSpecParse {
  const [first = '', second, third] = path
    .split(/[?#]/)[0]!
    .split('/')
    .filter((part) => part !== '');
  if (first === '') return failure('the t.me link has no peer after the slash');
  if (first.startsWith('+')) {
    const rest = first.slice(1);
    if (/^\d+$/.test(rest))
      return failure(
        't.me/+<digits> is a phone number link, not a peer; write the @username or the numeric id instead',
      );
    return parseInviteHash(rest);
  }
  const lowered = first.toLowerCase();
  if (lowered === 'joinchat')
    return second === undefined ? failure('the joinchat link has no invite hash') : parseInviteHash(second);
  if (lowered === 'c') return parsePrivateChannelLink(second, third);
  if (lowered === 's' && second !== undefined) return parseUsername(second);
  if (RESERVED_PATHS.has(lowered)) return failure(`t.me/${first} links are not chats or users`);
  return parseUsername(first);
}

function parseTgLink(input: string): PeerSpecParse {
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    return failure('it is not a valid tg:// link');
  }
  const action = url.hostname.toLowerCase();
  if (action === 'resolve') {
    const domain = url.searchParams.get('domain');
    if (domain !== null) return parseUsername(domain);
    const phone = url.searchParams.get('phone');
    if (phone !== null)
      return failure(
        'tg://resolve?phone= is a phone number link, not a peer; write the @username or the numeric id instead',
      );
    return failure('the tg://resolve link has no domain= parameter');
  }
  if (action === 'join') {
    const invite = url.searchParams.get('invite');
    return invite === null ? failure('the tg://join link has no invite= parameter') : parseInviteHash(invite);
  }
  if (action === 'privatepost') return parsePrivateChannelLink(url.searchParams.get('channel') ?? undefined, undefined);
  return failure(`tg://${printableText(action, 40)} links are not chats or users`);
}

/** t.me/c/<channel id>[/<message id>] refers to a channel by its raw (unmarked) id. */
function parsePrivateChannelLink(id: string | undefined, _messageId: string | undefined): PeerSpecParse {
  if (id === undefined || !/^\d+$/.test(id) || BigInt(id) === 0n)
    return failure('t.me/c/ links need the numeric channel id after /c/');
  return { ok: true, spec: idSpec('channel', BigInt(id)) };
}

/** Telegram usernames: 4–32 of a–z, 0–9 and _, starting with a letter, not ending with _. */
function parseUsername(candidate: string): PeerSpecParse {
  if (!/^[a-z][a-z0-9_]{2,30}[a-z0-9]$/i.test(candidate)) {
    return failure(
      `"${printableText(candidate, 40)}" is not a valid username (4–32 letters, digits or _, starting with a letter)`,
    );
  }
  if (candidate.includes('__')) return failure(`"${candidate}" is not a valid username (no double underscores)`);
  return { ok: true, spec: usernameSpec(candidate) };
}

function parseInviteHash(hash: string): PeerSpecParse {
  if (!/^[\w-]{8,64}$/.test(hash))
    return failure('the invite link hash is malformed (expected letters, digits, _ and -)');
  return { ok: true, spec: inviteSpec(hash) };
}

const MAX_USER_ID = 1n << 52n;

function parseMarkedId(text: string): PeerSpecParse {
  const value = BigInt(text);
  if (value === 0n) return failure('0 is not a peer id');
  if (value > 0n) {
    return value < MAX_USER_ID
      ? { ok: true, spec: idSpec('user', value) }
      : failure('the number is too large to be a user id');
  }
  const magnitude = -value;
  if (magnitude < CHANNEL_MARK) return { ok: true, spec: idSpec('chat', magnitude) };
  const channelId = magnitude - CHANNEL_MARK;
  if (channelId === 0n || channelId >= MAX_USER_ID)
    return failure('the number is not a valid channel id (-100 followed by the channel id)');
  return { ok: true, spec: idSpec('channel', channelId) };
}

function failure(reason: string): PeerSpecParse {
  return { ok: false, reason };
}
