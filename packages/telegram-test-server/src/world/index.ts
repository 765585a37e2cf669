/** `telegram-test-server/world`, the simulated Telegram world: data generator, read accessors, mutations, method handlers. */
export { World, type PeerDialogOutcome } from './world.ts';
export { NOT_HANDLED, callWorldMethod, type WorldCallContext } from './methods.ts';
export type * from './model.ts';
export { DEFAULT_RESOLVE_FLOOD } from './model.ts';
export type {
  AnyChatView,
  ChannelForbiddenView,
  ChannelView,
  ChatForbiddenView,
  ChatView,
  DialogView,
  UserView,
} from './views.ts';
export type { DialogPatch, NewMessageOptions, PostedMessage } from './mutations.ts';
export type { NewChannelOptions, NewUserOptions } from './builder.ts';
export { NUL_TEXT } from './mutations.ts';
export { CHANNEL_MARK_OFFSET, markedId, unmark, toBigInteger, fromBigInteger } from './ids.ts';
export { MAX_PEER_DIALOGS, MAX_DIALOGS_LIMIT } from './rules.ts';
export { FIXED_PEER_COUNT } from './generate.ts';
