import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parsePeerRule } from '../../../src/peers/parse-peer-rule.ts';
import type { ConfiguredRule } from '../../../src/peers/peer-rule.ts';
import { expandPeerRules, type ListedDialog } from '../../../src/sync/peer-rules/expand-peer-rules.ts';
import type { FolderDefinition } from '../../../src/telegram/mapping/map-dialog-filters.ts';

const rules = (...texts: string[]): ConfiguredRule[] =>
  texts.map((text, index) => {
    const parsed = parsePeerRule(text);
    assert.ok(parsed.ok, text);
    return { rule: parsed.rule, origin: `peers.txt:${index + 1}` };
  });

const dialog = (
  peerType: 'user' | 'chat' | 'channel',
  id: number,
  kind: ListedDialog['kind'],
  extra: Partial<ListedDialog> = {},
): ListedDialog => ({
  peer: { peerType, peerId: BigInt(id) },
  kind,
  archived: false,
  muted: false,
  contact: false,
  usernames: [],
  ...extra,
});

const DIALOGS: ListedDialog[] = [
  dialog('user', 1, 'users', { contact: true, usernames: ['alice'] }),
  dialog('user', 2, 'bots', { usernames: ['helper_bot'] }),
  dialog('chat', 3, 'groups'),
  dialog('channel', 4, 'channels', { usernames: ['news'], muted: true }),
  dialog('channel', 5, 'groups', { archived: true }),
];

const folder = (title: string, extra: Partial<FolderDefinition> = {}): FolderDefinition => ({
  id: 2,
  title,
  chatlist: false,
  include: [],
  exclude: [],
  contacts: false,
  nonContacts: false,
  groups: false,
  broadcasts: false,
  bots: false,
  excludeMuted: false,
  excludeArchived: false,
  ...extra,
});

const NOTHING_EXPLICIT = { keys: new Set<string>(), usernames: new Set<string>() };

function expand(ruleList: ConfiguredRule[], folders: FolderDefinition[] | null = null, explicit = NOTHING_EXPLICIT) {
  const result = expandPeerRules({ rules: ruleList, dialogs: DIALOGS, folders, explicit, accountLabel: 'main' });
  assert.ok(result.ok, result.ok ? '' : result.problem);
  return result.peers.map((peer) => `${peer.input} ${peer.addedByRule}`);
}

describe('expandPeerRules', () => {
  it('selects by kind, the first rule naming each peer, as marked ids', () => {
    assert.deepEqual(expand(rules('all groups', 'all')), [
      '1 all',
      '2 all',
      '-3 all groups',
      '-1000000000004 all',
      '-1000000000005 all groups',
    ]);
    assert.deepEqual(expand(rules('all users, bots')), ['1 all users, bots', '2 all users, bots']);
  });

  it('excludes by username, id and selection, but never what the explicit list names', () => {
    assert.deepEqual(expand(rules('all', 'not @news', 'not 2', 'not all groups')), ['1 all']);
    assert.deepEqual(expand(rules('all'), null, { keys: new Set(['chat:3']), usernames: new Set(['alice']) }), [
      '2 all',
      '-1000000000004 all',
      '-1000000000005 all',
    ]);
  });

  it("follows Telegram's folder rule: included chats, categories, muted and archived exclusions", () => {
    const folders = [
      folder('News', {
        include: [{ peerType: 'user', peerId: 1n }],
        broadcasts: true,
        groups: true,
        excludeMuted: true,
        excludeArchived: true,
        exclude: [{ peerType: 'chat', peerId: 3n }],
      }),
    ];
    assert.deepEqual(expand(rules('folder "news"'), folders), ['1 all in folder "news"']);
    const chatlist = [
      folder('Shared', {
        chatlist: true,
        include: [{ peerType: 'channel', peerId: 4n }],
        broadcasts: true,
        groups: true,
      }),
    ];
    assert.deepEqual(expand(rules('folder Shared'), chatlist), ['-1000000000004 all in folder "Shared"']);
  });

  it('refuses a folder that is not there or is ambiguous, naming the rule and its line', () => {
    const result = expandPeerRules({
      rules: rules('all', 'folder "Nope"'),
      dialogs: DIALOGS,
      folders: [folder('News'), folder('Work')],
      explicit: NOTHING_EXPLICIT,
      accountLabel: 'main',
    });
    assert.ok(!result.ok);
    assert.equal(
      result.problem,
      'peers.txt:2: "all in folder "Nope"": the account "main" has no folder "Nope" (its folders: "News", "Work"); write the folder\'s name as Telegram shows it, or remove the rule. Nothing was changed',
    );
    const twice = expandPeerRules({
      rules: rules('folder news'),
      dialogs: DIALOGS,
      folders: [folder('News'), folder('NEWS')],
      explicit: NOTHING_EXPLICIT,
      accountLabel: 'main',
    });
    assert.ok(!twice.ok);
    assert.match(twice.problem, /has 2 folders called "news"; rename one/);
  });
});
