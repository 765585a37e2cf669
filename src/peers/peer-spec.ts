import type { PeerType } from '../model/rows.ts';

/**
 * What a configured peer line means, before anything is asked of Telegram.
 * `normalized` is the canonical text used to recognise the same peer written two ways
 * ("@Durov", "https://t.me/durov" and "tg://resolve?domain=durov" are all "username:durov").
 */
export type PeerSpec =
  | { readonly kind: 'username'; readonly username: string; readonly normalized: string }
  | { readonly kind: 'invite'; readonly hash: string; readonly normalized: string }
  | { readonly kind: 'id'; readonly peerType: PeerType; readonly peerId: bigint; readonly normalized: string };

export type PeerSpecParse =
  { readonly ok: true; readonly spec: PeerSpec } | { readonly ok: false; readonly reason: string };

/** Bot-API "marked" ids: user = id, basic group = -id, channel = -(10^12 + id). */
export const CHANNEL_MARK = 1_000_000_000_000n;

export function usernameSpec(username: string): PeerSpec {
  const lower = username.toLowerCase();
  return { kind: 'username', username: lower, normalized: `username:${lower}` };
}

export function inviteSpec(hash: string): PeerSpec {
  // Invite hashes are case-sensitive.
  return { kind: 'invite', hash, normalized: `invite:${hash}` };
}

export function idSpec(peerType: PeerType, peerId: bigint): PeerSpec {
  return { kind: 'id', peerType, peerId, normalized: `id:${peerType}:${peerId}` };
}

/** The marked id of a (type, id) pair, as users write numeric peers. */
export function markedId(peerType: PeerType, peerId: bigint): bigint {
  switch (peerType) {
    case 'user':
      return peerId;
    case 'chat':
      return -peerId;
    case 'channel':
      return -(CHANNEL_MARK + peerId);
  }
}

/** What stands for an invite link in any text that is stored or shown beyond the input itself. */
export const HIDDEN_INVITE_TEXT = 'invite link (hidden)';

/**
 * A configured peer's input as it may appear in messages and error texts: an invite hash lets anyone
 * join the chat (a credential), so an invite shows only that it is one. Other inputs are public names
 * or ids and stay as written.
 */
export function displayedInput(input: string, normalizedInput: string): string {
  return normalizedInput.startsWith('invite:') ? HIDDEN_INVITE_TEXT : input;
}

/** The spec a stored `normalized_input` stands for (the inverse of `.normalized`). */
export function specFromNormalized(normalized: string): PeerSpec | null {
  const [kind, first, second] = normalized.split(':');
  if (kind === 'username' && first) return usernameSpec(first);
  if (kind === 'invite' && first) return inviteSpec(normalized.slice('invite:'.length));
  if (
    kind === 'id' &&
    (first === 'user' || first === 'chat' || first === 'channel') &&
    second &&
    /^\d+$/.test(second)
  ) {
    return idSpec(first, BigInt(second));
  }
  return null;
}
