/**
 * Peer "spec strings" the way users write peers in the job's config: usernames in several link
 * forms, invite links, and numeric marked ids.
 */
import type { InviteLink, PeerRecord } from './model.ts';
import { mainUsername } from './views.ts';
import { markedId } from './ids.ts';

/** Every form that names this peer; usernames first (main username), then the marked id. */
export function peerSpecStrings(peer: PeerRecord): string[] {
  const out: string[] = [];
  const name =
    peer.kind === 'chat'
      ? null
      : (mainUsername(peer.usernames) ?? peer.usernames.find((u) => u.active)?.username ?? null);
  if (name) {
    out.push(`@${name}`, name, `https://t.me/${name}`, `t.me/${name}`, `tg://resolve?domain=${name}`);
  }
  out.push(String(markedId(peer.kind, peer.id)));
  return out;
}

/** The forms of an invite link: t.me/+HASH, https://t.me/+HASH, https://t.me/joinchat/HASH. */
export function inviteSpecStrings(link: InviteLink): string[] {
  return [`t.me/+${link.hash}`, `https://t.me/+${link.hash}`, `https://t.me/joinchat/${link.hash}`];
}
