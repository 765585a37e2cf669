import type { Api } from 'telegram';
import type { AccountUserRow, UserRow } from '../../model/rows.ts';
import { sharedTlObject } from './shared-tl-object.ts';
import { nonEmptyTextOrNull, toBigInt } from './tl-values.ts';

export interface MappedUser {
  readonly user: UserRow;
  /** Absent for `min` copies: their access hash is not usable and they say nothing about this account. */
  readonly accountUser: AccountUserRow | null;
}

/** UserEmpty carries only an id: nothing worth storing. */
export function mapUser(accountId: number, user: Api.TypeUser): MappedUser | null {
  if (user.className !== 'User') return null;
  const id = toBigInt(user.id);
  const isMin = user.min === true;
  const firstName = nonEmptyTextOrNull(user.firstName);
  const lastName = nonEmptyTextOrNull(user.lastName);
  const usernames = activeUsernames(user.usernames);
  const mainUsername = nonEmptyTextOrNull(user.username) ?? usernames[0] ?? null;
  // A contact's copy carries the name this account saved the contact under, not the user's own: it
  // goes to account_users only. The shared row learns the public name from a copy that is not a
  // contact's (until then it has none), and never a private label, not even on first insert.
  const namesArePersonal = user.contact === true;
  const row: UserRow = {
    id,
    firstName: namesArePersonal ? null : firstName,
    lastName: namesArePersonal ? null : lastName,
    username: mainUsername,
    usernames: mainUsername !== null && !usernames.includes(mainUsername) ? [mainUsername, ...usernames] : usernames,
    isBot: user.bot === true,
    isVerified: user.verified === true,
    isPremium: user.premium === true,
    isScam: user.scam === true,
    isFake: user.fake === true,
    isSupport: user.support === true,
    isRestricted: user.restricted === true,
    isDeleted: user.deleted === true,
    hasPhoto: user.photo != null && user.photo.className !== 'UserProfilePhotoEmpty',
    langCode: nonEmptyTextOrNull(user.langCode),
    isMin,
    namesArePersonal,
    tlObject: sharedTlObject(user),
  };
  if (isMin) return { user: row, accountUser: null };
  return {
    user: row,
    accountUser: {
      accountId,
      userId: id,
      accessHash: user.accessHash == null ? null : toBigInt(user.accessHash),
      isContact: user.contact === true,
      isMutualContact: user.mutualContact === true,
      isCloseFriend: user.closeFriend === true,
      firstName,
      lastName,
      phone: nonEmptyTextOrNull(user.phone),
      lastStatus: user.status == null ? null : statusKind(user.status),
    },
  };
}

/** Active usernames in Telegram's order (the editable one first), without the inactive ones. */
export function activeUsernames(usernames: readonly Api.TypeUsername[] | null | undefined): string[] {
  if (usernames == null) return [];
  return usernames.filter((entry) => entry.active === true).map((entry) => entry.username);
}

function statusKind(status: Api.TypeUserStatus): string {
  switch (status.className) {
    case 'UserStatusOnline':
      return 'online';
    case 'UserStatusOffline':
      return 'offline';
    case 'UserStatusRecently':
      return 'recently';
    case 'UserStatusLastWeek':
      return 'last_week';
    case 'UserStatusLastMonth':
      return 'last_month';
    case 'UserStatusEmpty':
      return 'hidden';
  }
}
