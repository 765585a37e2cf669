import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CallLog, callsOverlap } from '../../src/call-log.ts';
import { FaultSpecError, parseFaultSpec } from '../../src/fault-spec.ts';
import { FaultConfigError, FaultInjector, peersInclude, type CallInfo } from '../../src/faults.ts';

function call(overrides: Partial<CallInfo> = {}): CallInfo {
  return {
    method: 'messages.GetPeerDialogs',
    request: {},
    dcId: 2,
    accountUserId: 1n,
    authKeyId: 'k1',
    connectionId: 1,
    peers: null,
    ...overrides,
  };
}

const terminalMessages = (injector: FaultInjector, n: number, info: CallInfo = call()) =>
  Array.from({ length: n }, () => {
    const t = injector.decide(info).terminal;
    return t?.kind === 'rpc-error' ? t.message : (t?.kind ?? null);
  });

describe('FaultInjector', () => {
  it('fires on the n-th matching call only', () => {
    const f = new FaultInjector();
    f.floodWait(5, { nthCall: 3 });
    assert.deepEqual(terminalMessages(f, 5), [null, null, 'FLOOD_WAIT_5', null, null]);
  });

  it('fires on every n-th call, at most `times` times', () => {
    const f = new FaultInjector();
    const handle = f.internalError({ everyNthCall: 2, times: 2 });
    assert.deepEqual(terminalMessages(f, 8), [null, 'INTERNAL', null, 'INTERNAL', null, null, null, null]);
    assert.equal(handle.fired, 2);
  });

  it('fires at a seeded rate, identically for the same seed', () => {
    const pattern = (seed: number) => {
      const f = new FaultInjector(seed);
      f.floodWait(1, { rate: 0.3 });
      return terminalMessages(f, 200)
        .map((m) => (m ? 1 : 0))
        .join('');
    };
    const a = pattern(42);
    assert.equal(a, pattern(42));
    assert.notEqual(a, pattern(43));
    const hits = [...a].filter((c) => c === '1').length;
    assert.ok(hits > 30 && hits < 90, `about 30% of 200 (${hits})`);
  });

  it('scopes by method (either naming), account, DC and predicate', () => {
    const f = new FaultInjector();
    f.rpcError(400, 'CHANNEL_PRIVATE', {
      method: 'messages.getPeerDialogs',
      account: 1n,
      dcId: 2,
      where: peersInclude({ channelId: 9n }),
    });
    const withChannel = { peers: [{ type: 'channel' as const, id: 9n }] };
    assert.equal(terminalMessages(f, 1, call(withChannel))[0], 'CHANNEL_PRIVATE');
    assert.equal(terminalMessages(f, 1, call({ ...withChannel, accountUserId: 2n }))[0], null);
    assert.equal(terminalMessages(f, 1, call({ ...withChannel, dcId: 3 }))[0], null);
    assert.equal(terminalMessages(f, 1, call({ ...withChannel, method: 'updates.GetState' }))[0], null);
    assert.equal(terminalMessages(f, 1, call({ peers: [{ type: 'user', id: 9n }] }))[0], null);
  });

  it('combines latency from several rules and keeps the first terminal effect', () => {
    const f = new FaultInjector();
    f.latency(10);
    f.latency(5);
    f.hang();
    f.internalError();
    const decision = f.decide(call());
    assert.equal(decision.delayMs, 15);
    assert.equal(decision.terminal?.kind, 'hang');
  });

  it('counts a flood budget per account and window', () => {
    let now = 0;
    const f = new FaultInjector(1, () => now);
    f.floodBudget({ calls: 2, windowMs: 10_000 });
    assert.deepEqual(terminalMessages(f, 3), [null, null, 'FLOOD_WAIT_10']);
    now = 4_500;
    assert.deepEqual(terminalMessages(f, 1), ['FLOOD_WAIT_6']);
    assert.deepEqual(terminalMessages(f, 1, call({ accountUserId: 2n })), [null], 'another account has its own budget');
    now = 10_000;
    assert.deepEqual(terminalMessages(f, 2), [null, null], 'a new window');
  });

  it('rejects contradictory triggers', () => {
    assert.throws(() => new FaultInjector().floodWait(1, { nthCall: 1, rate: 0.5 }), FaultConfigError);
    assert.throws(() => new FaultInjector().floodWait(1, { rate: 2 }), FaultConfigError);
  });

  it('handles can be removed', () => {
    const f = new FaultInjector();
    const h = f.internalError();
    h.remove();
    assert.deepEqual(terminalMessages(f, 1), [null]);
  });
});

describe('ReplyBarrier', () => {
  it('resolves waitUntilHeld as replies arrive and lets them go on release', async () => {
    const barrier = new FaultInjector().barrier();
    const reached = barrier.waitUntilHeld(2);
    let released = 0;
    const a = barrier.hold().then(() => released++);
    const b = barrier.hold().then(() => released++);
    await reached;
    assert.equal(barrier.held, 2);
    assert.equal(released, 0);
    barrier.release();
    await Promise.all([a, b]);
    assert.equal(released, 2);
    await barrier.hold();
  });
});

describe('fault specs from the command line', () => {
  const resolve = (ref: string) => (ref === '+15550000001' ? 7n : BigInt(ref));

  it('parses kinds, scopes and triggers', () => {
    const rule = parseFaultSpec(
      'flood-wait:seconds=30,method=messages.getPeerDialogs,every=5,account=+15550000001',
      resolve,
    );
    assert.deepEqual(rule.effect, { kind: 'rpc-error', code: 420, message: 'FLOOD_WAIT_30' });
    assert.deepEqual(rule.method, ['messages.getPeerDialogs']);
    assert.equal(rule.everyNthCall, 5);
    assert.equal(rule.account, 7n);
    assert.deepEqual(parseFaultSpec('latency:ms=200,jitter=50,rate=0.5', resolve), {
      effect: { kind: 'latency', ms: 200, jitterMs: 50 },
      rate: 0.5,
    });
    assert.deepEqual(parseFaultSpec('flood-budget:calls=20,window-ms=1000', resolve).effect, {
      kind: 'flood-budget',
      calls: 20,
      windowMs: 1000,
    });
    const scoped = parseFaultSpec('error:code=400,message=CHANNEL_PRIVATE,peer-channel=12', resolve);
    assert.equal(scoped.where?.(call({ peers: [{ type: 'channel', id: 12n }] })), true);
    assert.equal(scoped.where?.(call({ peers: [{ type: 'channel', id: 13n }] })), false);
    assert.deepEqual(parseFaultSpec('unknown-auth-key:account=+15550000001', resolve), {
      effect: { kind: 'transport-error', code: 404, forgetKey: true },
      account: 7n,
    });
    assert.deepEqual(parseFaultSpec('network-migrate:to=3', resolve).effect, {
      kind: 'rpc-error',
      code: 303,
      message: 'NETWORK_MIGRATE_3',
    });
    assert.deepEqual(parseFaultSpec('phone-migrate:to=4', resolve).effect, {
      kind: 'rpc-error',
      code: 303,
      message: 'PHONE_MIGRATE_4',
    });
  });

  it('scopes a chosen error to the calls that carry a chosen peer', () => {
    const faults = new FaultInjector();
    faults.peerError({ channelId: 12n }, 400, 'CHANNEL_MONOFORUM_UNSUPPORTED', { method: 'messages.getPeerDialogs' });
    const carrying = faults.decide(
      call({
        peers: [
          { type: 'channel', id: 11n },
          { type: 'channel', id: 12n },
        ],
      }),
    );
    assert.deepEqual(carrying.terminal, {
      kind: 'rpc-error',
      code: 400,
      message: 'CHANNEL_MONOFORUM_UNSUPPORTED',
      revokeKey: false,
    });
    assert.equal(faults.decide(call({ peers: [{ type: 'channel', id: 11n }] })).terminal, null);
  });

  it('explains mistakes', () => {
    assert.throws(() => parseFaultSpec('flud-wait:seconds=1', resolve), FaultSpecError);
    assert.throws(() => parseFaultSpec('flood-wait', resolve), /seconds= is required/);
    assert.throws(() => parseFaultSpec('hang:bogus=1', resolve), /unknown key "bogus"/);
    assert.throws(() => parseFaultSpec('latency:ms=fast', resolve), /integer/);
  });
});

describe('CallLog', () => {
  it('tracks overlap, concurrency and waiters', async () => {
    const log = new CallLog();
    const base = {
      dcId: 2,
      authKeyId: 'k',
      connectionId: 1,
      sessionId: 's',
      msgId: 1n,
      accountUserId: 1n,
      peers: null,
      request: {},
    };
    const waiting = log.waitFor((e) => e.outcome.kind === 'ok', 2);
    const a = log.start({ ...base, method: 'a' });
    const b = log.start({ ...base, method: 'b' });
    log.finish(a, { kind: 'ok' });
    const c = log.start({ ...base, method: 'c' });
    log.finish(b, { kind: 'ok' });
    const done = await waiting;
    assert.deepEqual(
      done.map((e) => e.method),
      ['a', 'b'],
    );
    assert.equal(callsOverlap(a, b), true);
    assert.equal(callsOverlap(a, c), false);
    assert.equal(callsOverlap(b, c), true);
    assert.equal(log.maxConcurrency(), 2);
  });

  it('keeps only the newest entries when bounded', () => {
    const log = new CallLog(100);
    const base = {
      dcId: 2,
      authKeyId: 'k',
      connectionId: 1,
      sessionId: 's',
      msgId: 1n,
      accountUserId: 1n,
      peers: null,
      request: {},
      method: 'm',
    };
    for (let i = 0; i < 1000; i++) log.start(base);
    assert.ok(log.entries().length <= 100);
    assert.equal(log.entries().at(-1)?.id, 1000);
  });
});
