import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Api, errors } from 'telegram';
import { CallTimeoutError } from '../../../src/telegram/call-timeout-error.ts';
import { classifyTelegramError } from '../../../src/telegram/classify-error.ts';
import { ACCOUNT_STOPPING_ERRORS, peerErrorText } from '../../../src/telegram/error-policy.ts';

/** The error exactly as GramJS builds it from an rpc_error reply. */
function fromServer(errorCode: number, errorMessage: string): Error {
  return errors.RPCMessageToError(
    new Api.RpcError({ errorCode, errorMessage }),
    new Api.messages.GetPeerDialogs({ peers: [] }),
  );
}

describe('classifyTelegramError', () => {
  it('reads every flood wait flavour with its seconds', () => {
    for (const [message, seconds] of [
      ['FLOOD_WAIT_17', 17],
      ['FLOOD_PREMIUM_WAIT_5', 5],
      ['SLOWMODE_WAIT_9', 9],
    ] as const) {
      const failure = classifyTelegramError(fromServer(420, message));
      assert.deepEqual(
        [failure.kind, failure.kind === 'flood-wait' ? failure.seconds : -1],
        ['flood-wait', seconds],
        message,
      );
    }
  });

  it('treats inaccessible peers as peer errors, re-resolving only stale-hash ones', () => {
    assert.deepEqual(classifyTelegramError(fromServer(400, 'CHANNEL_PRIVATE')), {
      kind: 'peer',
      errorMessage: 'CHANNEL_PRIVATE',
      reresolvable: false,
    });
    assert.deepEqual(classifyTelegramError(fromServer(406, 'CHANNEL_PRIVATE')), {
      kind: 'peer',
      errorMessage: 'CHANNEL_PRIVATE',
      reresolvable: false,
    });
    assert.deepEqual(classifyTelegramError(fromServer(400, 'CHANNEL_INVALID')), {
      kind: 'peer',
      errorMessage: 'CHANNEL_INVALID',
      reresolvable: true,
    });
    for (const message of ['CHANNEL_PUBLIC_GROUP_NA', 'PEER_ID_INVALID', 'MSG_ID_INVALID']) {
      assert.equal(classifyTelegramError(fromServer(400, message)).kind, 'peer', message);
    }
  });

  it('stops the account on session and freeze errors, whatever their code', () => {
    const revoked = classifyTelegramError(fromServer(401, 'SESSION_REVOKED'));
    assert.equal(revoked.kind, 'account');
    assert.equal(revoked.kind === 'account' && revoked.accountStatus, 'needs_login');
    assert.match(revoked.kind === 'account' ? revoked.hint : '', /log in again/);
    const frozen = classifyTelegramError(fromServer(420, 'FROZEN_METHOD_INVALID'));
    assert.deepEqual([frozen.kind, frozen.kind === 'account' && frozen.accountStatus], ['account', 'frozen']);
    for (const message of [
      'AUTH_KEY_UNREGISTERED',
      'SESSION_EXPIRED',
      'USER_DEACTIVATED_BAN',
      'AUTH_KEY_DUPLICATED',
      'FROZEN_PARTICIPANT_MISSING',
      'BOT_METHOD_INVALID',
    ]) {
      assert.equal(classifyTelegramError(fromServer(401, message)).kind, 'account', message);
    }
  });

  it('retries server errors, timeouts and dropped connections', () => {
    assert.equal(classifyTelegramError(fromServer(500, 'INTERNAL')).kind, 'transient');
    assert.equal(classifyTelegramError(fromServer(-503, 'Timedout')).kind, 'transient');
    assert.equal(classifyTelegramError(fromServer(500, 'RPC_CALL_FAIL')).kind, 'transient');
    assert.equal(classifyTelegramError(new Error('Request was unsuccessful 5 time(s)')).kind, 'transient');
    assert.equal(classifyTelegramError(new CallTimeoutError('messages.GetPeerDialogs', 1000)).kind, 'transient');
  });

  it('marks resolution failures unresolvable', () => {
    assert.equal(classifyTelegramError(fromServer(400, 'USERNAME_NOT_OCCUPIED')).kind, 'unresolvable');
    assert.equal(classifyTelegramError(fromServer(400, 'INVITE_HASH_EXPIRED')).kind, 'unresolvable');
  });

  it('takes a 4xx text it does not list as unlisted (for the peers of the call), with its code', () => {
    assert.deepEqual(classifyTelegramError(fromServer(400, 'CHANNEL_MONOFORUM_UNSUPPORTED')), {
      kind: 'unlisted',
      errorMessage: 'CHANNEL_MONOFORUM_UNSUPPORTED',
      code: 400,
    });
    assert.deepEqual(classifyTelegramError(fromServer(403, 'CHAT_GUEST_SEND_FORBIDDEN')), {
      kind: 'unlisted',
      errorMessage: 'CHAT_GUEST_SEND_FORBIDDEN',
      code: 403,
    });
    assert.match(
      peerErrorText('CHANNEL_MONOFORUM_UNSUPPORTED', 400),
      /^Telegram answered 400 CHANNEL_MONOFORUM_UNSUPPORTED, an error this job does not list.*https:\/\/core\.telegram\.org\/api\/errors/,
    );
    assert.match(peerErrorText('CHANNEL_PRIVATE'), /private/);
  });

  it('stops an account only for the named session and account errors', () => {
    assert.deepEqual([...ACCOUNT_STOPPING_ERRORS].sort(), [
      'AUTH_KEY_DUPLICATED',
      'AUTH_KEY_INVALID',
      'AUTH_KEY_PERM_EMPTY',
      'AUTH_KEY_UNKNOWN_404',
      'AUTH_KEY_UNREGISTERED',
      'BOT_METHOD_INVALID',
      'FROZEN_METHOD_INVALID',
      'FROZEN_PARTICIPANT_MISSING',
      'SESSION_EXPIRED',
      'SESSION_REVOKED',
      'USER_DEACTIVATED',
      'USER_DEACTIVATED_BAN',
    ]);
    // An unlisted 401 is not taken for a dead session: only texts decide.
    assert.equal(classifyTelegramError(fromServer(401, 'SOMETHING_NEW')).kind, 'unlisted');
  });

  it('reads 303 migrations with their data center', () => {
    for (const message of ['NETWORK_MIGRATE_3', 'USER_MIGRATE_3', 'PHONE_MIGRATE_3']) {
      assert.deepEqual(
        classifyTelegramError(fromServer(303, message)),
        { kind: 'migrate', errorMessage: message, dcId: 3 },
        message,
      );
    }
  });

  it('keeps anything else as unexpected, with its text', () => {
    assert.deepEqual(classifyTelegramError(fromServer(400, 'INPUT_PEERS_EMPTY')), {
      kind: 'unexpected',
      errorMessage: '400 INPUT_PEERS_EMPTY',
    });
    assert.deepEqual(classifyTelegramError(new TypeError('boom')), { kind: 'unexpected', errorMessage: 'boom' });
  });
});
