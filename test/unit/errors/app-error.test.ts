/**
 * The base error's contract: callers branch on `instanceof` and `kind`, a subclass keeps its own
 * name, and asError turns any thrown value into an Error without losing one that already is.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AppError, asError } from '../../../src/errors/app-error.ts';
import { PeersFileError } from '../../../src/peers/peers-file-error.ts';
import { NoSessionError, AccountStoppedError } from '../../../src/sync/run-errors.ts';
import { CallTimeoutError } from '../../../src/telegram/call-timeout-error.ts';

describe('AppError', () => {
  it('carries kind, user-mistake flag, hint and cause; its name is the subclass name', () => {
    const cause = new Error('socket closed');
    const error = new AppError('it failed', { kind: 'example', hint: 'try again', cause });
    assert.equal(error.message, 'it failed');
    assert.equal(error.kind, 'example');
    assert.equal(error.userMistake, false);
    assert.equal(error.hint, 'try again');
    assert.equal(error.cause, cause);
    assert.equal(error.name, 'AppError');
    assert.equal('cause' in new AppError('no cause', { kind: 'example' }), false);
  });

  it('is the base of the typed errors, which keep their message, kind and name', () => {
    const peers = new PeersFileError('/p.yaml', 'is empty (0 bytes)', 'fill it');
    assert.ok(peers instanceof AppError);
    assert.equal(peers.message, 'peers file /p.yaml is empty (0 bytes); fill it');
    assert.deepEqual(
      [peers.kind, peers.name, peers.userMistake, peers.hint],
      ['peers_file', 'PeersFileError', true, 'fill it'],
    );

    const noSession = new NoSessionError('main', '/sessions');
    assert.ok(noSession instanceof AccountStoppedError && noSession instanceof AppError);
    assert.deepEqual([noSession.kind, noSession.name, noSession.userMistake], ['account', 'NoSessionError', true]);
    assert.equal(noSession.hint, 'log in with `tg-dialog-sync login --account main`');

    const timeout = new CallTimeoutError('messages.getPeerDialogs', 5000);
    assert.deepEqual([timeout.kind, timeout.name, timeout.userMistake], ['call_timeout', 'CallTimeoutError', false]);
  });
});

describe('asError', () => {
  it('returns an Error as itself', () => {
    const error = new TypeError('bad');
    assert.equal(asError(error), error);
  });

  it('wraps anything else with its text as the message', () => {
    assert.equal(asError('thrown string').message, 'thrown string');
    assert.equal(asError(42).message, '42');
    assert.equal(asError(undefined).message, 'undefined');
    assert.ok(asError({ kind: 'not ours' }) instanceof Error);
    assert.equal(asError({ kind: 'not ours' }) instanceof AppError, false);
  });
});
