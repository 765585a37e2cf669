import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { looksLikeRule, parsePeerRule } from '../../../src/peers/parse-peer-rule.ts';
import type { PeerRule } from '../../../src/peers/peer-rule.ts';
import { parsePeersFile } from '../../../src/peers/peers-file.ts';

function rule(input: string): PeerRule {
  const parsed = parsePeerRule(input);
  assert.ok(parsed.ok, `${input}: ${parsed.ok ? '' : parsed.reason}`);
  return parsed.rule;
}

function reason(input: string): string {
  const parsed = parsePeerRule(input);
  assert.ok(!parsed.ok, `${input} should be rejected`);
  return parsed.reason;
}

describe('parsePeerRule', () => {
  it('reads every dialog, kinds and folders, in one canonical spelling', () => {
    assert.equal(rule('all').text, 'all');
    assert.equal(rule('ALL').text, 'all');
    assert.equal(rule('all channels').text, 'all channels');
    assert.equal(rule('all  groups,channels').text, 'all groups, channels');
    assert.equal(rule('all channel and bot').text, 'all bots, channels');
    assert.equal(rule('all users, users').text, 'all users');
    assert.equal(rule('folder "News"').text, 'all in folder "News"');
    assert.equal(rule('folder Work stuff').text, 'all in folder "Work stuff"');
    assert.equal(rule('all in folder "News"').text, 'all in folder "News"');
    assert.equal(rule('all channels in folder "My folder"').text, 'all channels in folder "My folder"');
    assert.equal(rule('channels in folder News').text, 'all channels in folder "News"');
    assert.deepEqual(rule('all bots').target, { type: 'dialogs', kinds: ['bots'], folder: null });
  });

  it('reads exclusions of peers and of selections', () => {
    const byName = rule('not @Spam_Bot');
    assert.equal(byName.exclude, true);
    assert.equal(byName.text, 'not @spam_bot');
    assert.deepEqual(byName.target, {
      type: 'peer',
      spec: { kind: 'username', username: 'spam_bot', normalized: 'username:spam_bot' },
    });
    assert.equal(rule('not https://t.me/durov').text, 'not @durov');
    assert.equal(rule('not -1001234567890').text, 'not -1001234567890');
    assert.equal(rule('not -42').text, 'not -42');
    assert.equal(rule('NOT all bots').text, 'not all bots');
    assert.equal(rule('not folder "Muted"').text, 'not all in folder "Muted"');
  });

  it('says what is wrong and how to write it', () => {
    assert.match(reason('all chanels'), /"chanels" is not a kind of dialog: write users, bots, groups or channels/);
    assert.match(reason('folder'), /needs the folder's name/);
    assert.match(reason('folder "News'), /no closing double quote/);
    assert.match(reason('folder ""'), /folder name is empty/);
    assert.match(reason('folder "News" channels'), /nothing may follow the folder's name/);
    assert.match(reason('all channels folder News'), /write "in folder" between the kinds and the folder/);
    assert.match(reason('all channels in News'), /"in" must be followed by folder/);
    assert.match(reason('not'), /"not" needs what to exclude/);
    assert.match(reason('not not @x'), /write the exclusion once/);
    assert.match(reason('not t.me/+AbCdEfGhIjK'), /an invite link cannot be excluded/);
    assert.match(reason('not @x'), /what follows "not" is not a peer/);
    assert.match(reason('my channel'), /neither a peer \(written without spaces\) nor a rule such as "all"/);
    assert.match(reason('in folder News'), /write "all in folder …" or just "folder …"/);
  });

  it('tells rules from peers', () => {
    for (const input of ['all', 'all channels', 'not @x', 'folder', 'Folder News', ' all '])
      assert.equal(looksLikeRule(input), true, input);
    for (const input of ['@all_things', 'allchannels', 'users', 'channels', 'bots', '-1001234567890', 't.me/+abc'])
      assert.equal(looksLikeRule(input), false, input);
  });
});

describe('peers files with rules', () => {
  it('reads rules beside peers, in plain text and YAML, and reports a bad rule with its line', () => {
    const plain = parsePeersFile(
      'peers.txt',
      '@durov\nall channels   # the news\n\nnot @spam_bot\nall chanels\nall channels\n',
    );
    assert.deepEqual(
      plain.entries.map((entry) => entry.input),
      ['@durov'],
    );
    assert.deepEqual(
      plain.rules.map((entry) => [entry.rule.text, entry.line]),
      [
        ['all channels', 2],
        ['not @spam_bot', 4],
      ],
    );
    assert.equal(plain.problems.length, 1);
    assert.equal(plain.problems[0]!.line, 5);
    assert.match(plain.problems[0]!.reason, /"chanels" is not a kind of dialog/);
    const yaml = parsePeersFile(
      'peers.yaml',
      'main:\n  - all channels in folder "News"\n  - not -1001234567890\n"*":\n  - "@durov"\n  - all\n',
    );
    assert.deepEqual(
      yaml.rules.map((entry) => [entry.account, entry.rule.text, entry.line]),
      [
        ['main', 'all channels in folder "News"', 2],
        ['main', 'not -1001234567890', 3],
        ['*', 'all', 6],
      ],
    );
    assert.match(
      parsePeersFile('peers.yaml', '- folder: News\n').problems[0]?.reason ?? '',
      /single value .*no "key: value"/,
    );
  });
});
