import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parsePeerSpec } from '../../../src/peers/parse-peer-spec.ts';
import { markedId } from '../../../src/peers/peer-spec.ts';

function normalized(input: string): string {
  const parsed = parsePeerSpec(input);
  assert.ok(parsed.ok, `${input}: ${parsed.ok ? '' : parsed.reason}`);
  return parsed.spec.normalized;
}

function reason(input: string): string {
  const parsed = parsePeerSpec(input);
  assert.ok(!parsed.ok, `${input} should be rejected`);
  return parsed.reason;
}

describe('parsePeerSpec', () => {
  it('reads every spelling of a username as the same peer', () => {
    for (const input of [
      '@Durov_Team',
      'durov_team',
      'https://t.me/durov_team',
      'http://telegram.me/Durov_Team',
      't.me/durov_team/1234',
      'https://t.me/s/durov_team',
      'tg://resolve?domain=durov_team',
      'tg://resolve?domain=durov_team&post=5',
      '  @durov_team  ',
    ]) {
      assert.equal(normalized(input), 'username:durov_team', input);
    }
  });

  it('reads invite links, keeping the hash case-sensitive', () => {
    assert.equal(normalized('https://t.me/+AbCdEfGh1234'), 'invite:AbCdEfGh1234');
    assert.equal(normalized('t.me/joinchat/AbCdEfGh1234'), 'invite:AbCdEfGh1234');
    assert.equal(normalized('tg://join?invite=AbCdEfGh1234'), 'invite:AbCdEfGh1234');
    assert.notEqual(normalized('t.me/+abcdefgh1234'), normalized('t.me/+ABCDEFGH1234'));
  });

  it('reads numeric marked ids and t.me/c links', () => {
    assert.equal(normalized('123456'), 'id:user:123456');
    assert.equal(normalized('-456'), 'id:chat:456');
    assert.equal(normalized('-1001234567890'), 'id:channel:1234567890');
    assert.equal(normalized('https://t.me/c/1234567890/55'), 'id:channel:1234567890');
    assert.equal(normalized('t.me/c/1234567890'), 'id:channel:1234567890');
  });

  it('round-trips marked ids', () => {
    for (const input of ['77', '-88', '-1009999999999']) {
      const parsed = parsePeerSpec(input);
      assert.ok(parsed.ok && parsed.spec.kind === 'id');
      assert.equal(markedId(parsed.spec.peerType, parsed.spec.peerId).toString(), input);
    }
  });

  it('explains what is wrong with malformed input', () => {
    assert.match(reason(''), /empty/);
    assert.match(reason('@ab'), /not a valid username/);
    assert.match(reason('@1abc'), /not a valid username/);
    assert.match(reason('@abc__def'), /double underscores/);
    assert.match(reason('t.me/+15551234567'), /phone number/);
    assert.match(reason('t.me/joinchat'), /no invite hash/);
    assert.match(reason('https://t.me/addstickers/pack'), /not chats or users/);
    assert.match(reason('t.me/c/abc'), /numeric channel id/);
    assert.match(reason('tg://resolve'), /domain=/);
    assert.match(reason('0'), /not a peer id/);
    assert.match(reason('hello world'), /not a username/);
    assert.match(reason('https://example.com/x'), /not a username/);
  });
});
