/**
 * Plain row records: what the mapping produces from Telegram's objects and what the writers store.
 * A leaf module, importing nothing: the Telegram layer (src/telegram/mapping) produces these and the
 * store and sync consume them, so neither side needs the other's types, nor GramJS's.
 * Times are Unix seconds (Telegram's own unit); the writers turn them into timestamptz.
 * Fields are split into *content* (a change makes the row count as changed and moves updated_at) and
 * *volatile* (refreshed only together with a content change); each row type says which is which.
 */

export type PeerType = 'user' | 'chat' | 'channel';

export interface PeerKey {
  readonly peerType: PeerType;
  readonly peerId: bigint;
}

/** Content: everything but `tlObject`. Volatile: `tlObject` (it carries status and file references). */
export interface UserRow {
  readonly id: bigint;
  readonly firstName: string | null;
  readonly lastName: string | null;
  readonly username: string | null;
  readonly usernames: readonly string[];
  readonly isBot: boolean;
  readonly isVerified: boolean;
  readonly isPremium: boolean;
  readonly isScam: boolean;
  readonly isFake: boolean;
  readonly isSupport: boolean;
  readonly isRestricted: boolean;
  readonly isDeleted: boolean;
  readonly hasPhoto: boolean;
  readonly langCode: string | null;
  /** A `min` copy: only whitelisted display fields may update a stored full copy. */
  readonly isMin: boolean;
  /**
   * A contact's name is the account's custom name, not the user's own: such a copy must not replace
   * the names seen without a contact relation.
   */
  readonly namesArePersonal: boolean;
  readonly tlObject: unknown;
}

/** Per-account view of a user. Content: all but `lastStatus` (volatile). Never built from a min copy. */
export interface AccountUserRow {
  readonly accountId: number;
  readonly userId: bigint;
  readonly accessHash: bigint | null;
  readonly isContact: boolean;
  readonly isMutualContact: boolean;
  readonly isCloseFriend: boolean;
  readonly firstName: string | null;
  readonly lastName: string | null;
  readonly phone: string | null;
  readonly lastStatus: string | null;
}

/** `forbidden`: a ChatForbidden carries only id and title; everything else stored must be kept. */
export interface ChatRow {
  readonly id: bigint;
  readonly title: string;
  readonly participantsCount: number | null;
  readonly isDeactivated: boolean;
  readonly hasPhoto: boolean;
  readonly migratedToChannelId: bigint | null;
  readonly createdOnTelegramAt: number | null;
  readonly isForbidden: boolean;
  readonly tlObject: unknown;
}

export interface AccountChatRow {
  readonly accountId: number;
  readonly chatId: bigint;
  readonly isCreator: boolean;
  readonly isAdmin: boolean;
  readonly isLeft: boolean;
  readonly isForbidden: boolean;
}

/** `isMin` and `isForbidden` copies carry partial data; see the channel writer for what they may change. */
export interface ChannelRow {
  readonly id: bigint;
  readonly title: string;
  readonly username: string | null;
  readonly usernames: readonly string[];
  readonly isBroadcast: boolean;
  readonly isMegagroup: boolean;
  readonly isGigagroup: boolean;
  readonly isForum: boolean;
  readonly isVerified: boolean;
  readonly isScam: boolean;
  readonly isFake: boolean;
  readonly isRestricted: boolean;
  readonly hasPhoto: boolean;
  readonly participantsCount: number | null;
  readonly isMin: boolean;
  readonly isForbidden: boolean;
  readonly tlObject: unknown;
}

/** Never built from a min copy (its access hash is not usable). */
export interface AccountChannelRow {
  readonly accountId: number;
  readonly channelId: bigint;
  readonly accessHash: bigint | null;
  readonly isCreator: boolean;
  readonly isAdmin: boolean;
  readonly isLeft: boolean;
  readonly isBanned: boolean;
  readonly joinedAt: number | null;
  readonly isForbidden: boolean;
  readonly forbiddenUntil: number | null;
}

/** Every field is content. */
export interface DialogRow extends PeerKey {
  readonly accountId: number;
  readonly topMessageId: number;
  readonly readInboxMaxId: number;
  readonly readOutboxMaxId: number;
  readonly unreadCount: number;
  readonly unreadMentionsCount: number;
  readonly unreadReactionsCount: number;
  readonly isPinned: boolean;
  readonly isUnreadMarked: boolean;
  readonly folderId: number | null;
  readonly pts: number | null;
  readonly ttlPeriod: number | null;
  readonly mutedUntil: number | null;
  readonly isMutedForever: boolean;
  readonly hasDraft: boolean;
  readonly draftDate: number | null;
}

export type MessageKind = 'message' | 'service' | 'empty';

/** Content: all but `views`, `forwards` and `tlObject` (volatile). */
export interface MessageRow extends PeerKey {
  readonly accountId: number;
  readonly id: number;
  readonly kind: MessageKind;
  readonly senderType: PeerType | null;
  readonly senderId: bigint | null;
  readonly sentAt: number | null;
  readonly editedAt: number | null;
  readonly text: string | null;
  readonly mediaKind: string | null;
  readonly serviceAction: string | null;
  readonly replyToMessageId: number | null;
  readonly replyToTopId: number | null;
  readonly isOutgoing: boolean;
  readonly isPost: boolean;
  readonly isPinned: boolean;
  readonly isForwarded: boolean;
  readonly groupedId: bigint | null;
  readonly views: number | null;
  readonly forwards: number | null;
  readonly tlObject: unknown;
}

/** Content: pts, qts, seq, unreadCount. Volatile: stateDate (moves on every call). */
export interface UpdateStateRow {
  readonly accountId: number;
  readonly pts: number;
  readonly qts: number;
  readonly seq: number;
  readonly stateDate: number;
  readonly unreadCount: number;
}

/** Everything one getPeerDialogs reply contributes, deduplicated by key and sorted by key. */
export interface BatchRows {
  readonly users: readonly UserRow[];
  readonly accountUsers: readonly AccountUserRow[];
  readonly chats: readonly ChatRow[];
  readonly accountChats: readonly AccountChatRow[];
  readonly channels: readonly ChannelRow[];
  readonly accountChannels: readonly AccountChannelRow[];
  readonly dialogs: readonly DialogRow[];
  readonly messages: readonly MessageRow[];
  readonly state: UpdateStateRow | null;
}
