/**
 * The call policy's decisions that depend on the method: an error text the job does not list is the
 * requested peers' problem on a call that carries peers, and a failure of the run on one that does
 * not; a missing session is not a call to Telegram.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Api, errors } from 'telegram';
import { emptyRunCounters } from '../../../src/store/runs/run-counters.ts';
import { callTelegram, type CallPolicy } from '../../../src/sync/call-policy.ts';
import { NoSessionError, UnexpectedTelegramError } from '../../../src/sync/run-errors.ts';
import { METHODS } from '../../../src/telegram/gateway.ts';

function policy(): CallPolicy {
  return {
    floodWaitCeilingSeconds: 30,
    transientRetry: { retries: 0, baseMs: 1, maxMs: 1 },
    signal: new AbortController().signal,
    sleep: async () => undefined,
    random: () => 0,
    counters: emptyRunCounters(),
    waits: [],
    deferMethod: async () => new Date(),
    logger: { info: () => undefined, warn: () => undefined },
  };
}

const unlisted = () =>
  Promise.reject(
    errors.RPCMessageToError(
      new Api.RpcError({ errorCode: 400, errorMessage: 'CHANNEL_MONOFORUM_UNSUPPORTED' }),
      new Api.messages.GetPeerDialogs({ peers: [] }),
    ),
  );

describe('callTelegram', () => {
  it('returns an unlisted 4xx on a call that carries peers as a peer failure, with its code', async () => {
    const outcome = await callTelegram(policy(), METHODS.getPeerDialogs, unlisted);
    assert.deepEqual(outcome, {
      ok: false,
      failure: { kind: 'peer', errorMessage: 'CHANNEL_MONOFORUM_UNSUPPORTED', reresolvable: false, unlistedCode: 400 },
    });
  });

  it('fails the run for an unlisted 4xx on a call without peers', async () => {
    await assert.rejects(
      callTelegram(policy(), METHODS.getDialogs, unlisted),
      (error: unknown) =>
        error instanceof UnexpectedTelegramError && /400 CHANNEL_MONOFORUM_UNSUPPORTED/.test(error.message),
    );
  });

  it('does not count a call that met a missing session: nothing was sent', async () => {
    const running = policy();
    await assert.rejects(
      callTelegram(running, METHODS.connect, () => Promise.reject(new NoSessionError('main', '/nowhere/main.session'))),
      /no session stored for account "main" \(looked in \/nowhere\/main.session\): log in/,
    );
    assert.equal(running.counters.apiCalls, 0);
  });
});
