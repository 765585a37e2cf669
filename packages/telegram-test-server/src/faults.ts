/**
 * Fault injection for the local data centers: errors, waits, latency, dropped connections, replies
 * that never come and barriers, each scoped by method, account, DC and/or a predicate on the call,
 * and triggered on every call, on the n-th call, on every n-th call or at a seeded rate.
 *
 * The server asks {@link FaultInjector.decide} once per RPC call and applies the decision.
 */
import type { PeerRef } from './call-log.ts';

/** What the server knows about a call when it decides which faults apply. */
export interface CallInfo {
  /** GramJS class name of the innermost request, e.g. `messages.GetPeerDialogs`. */
  readonly method: string;
  readonly request: object;
  readonly dcId: number;
  readonly accountUserId: bigint | null;
  readonly authKeyId: string;
  readonly connectionId: number;
  readonly peers: readonly PeerRef[] | null;
}

export interface FaultScope {
  /** One or more methods: GramJS class names (`messages.GetPeerDialogs`) or TL names (`messages.getPeerDialogs`). */
  method?: string | readonly string[];
  /** Only calls made by this account (user id). */
  account?: bigint;
  /** Only calls arriving at this data center. */
  dcId?: number;
  /** Any other condition, e.g. {@link peersInclude}. */
  where?: (call: CallInfo) => boolean;
}

/**
 * When a matching call triggers the fault. At most one of `nthCall`, `everyNthCall`, `rate`;
 * none means every matching call. Counting starts when the fault is added.
 */
export interface FaultTrigger {
  /** Only the n-th matching call (1-based). */
  nthCall?: number;
  /** Every n-th matching call (n, 2n, 3n…). */
  everyNthCall?: number;
  /** Each matching call with this probability, from the server's seeded generator. */
  rate?: number;
  /** Stop after firing this many times. */
  times?: number;
}

export type FaultOptions = FaultScope & FaultTrigger;

export type FaultEffect =
  | {
      kind: 'rpc-error';
      code: number;
      message: string;
      /** also fail every later call with this auth key */ revokeKey?: boolean;
    }
  | { kind: 'latency'; ms: number; jitterMs?: number }
  | { kind: 'drop-connection'; when: 'before-reply' | 'after-reply' }
  | { kind: 'hang' }
  /**
   * Instead of the reply, a transport error packet (-code); the connection stays open and GramJS
   * reconnects by itself. With `forgetKey` the server also drops the call's auth key: every later
   * message with it gets −404 (use with code 404: Telegram's "auth key not found").
   */
  | { kind: 'transport-error'; code: number; forgetKey?: boolean }
  | { kind: 'barrier'; barrier: ReplyBarrier }
  | { kind: 'flood-budget'; calls: number; windowMs: number; premium?: boolean };

export interface FaultRule extends FaultOptions {
  effect: FaultEffect;
}

export interface FaultHandle {
  readonly id: number;
  /** How many times the fault fired so far. */
  readonly fired: number;
  remove(): void;
}

/** The combined effect of all faults that fired for one call. */
export interface FaultDecision {
  delayMs: number;
  barriers: ReplyBarrier[];
  /** Replaces the real reply: an RPC error, a dropped connection, or no reply at all. */
  terminal:
    | { kind: 'rpc-error'; code: number; message: string; revokeKey: boolean }
    | { kind: 'drop-connection' }
    | { kind: 'hang' }
    | { kind: 'transport-error'; code: number; forgetKey: boolean }
    | null;
  dropAfterReply: boolean;
  /** Ids of the rules that fired, for debugging. */
  firedRuleIds: number[];
}

/**
 * Holds replies until released. `waitUntilHeld(n)` resolves once n replies are being held, so a
 * test can line up concurrent calls without sleeping.
 */
export class ReplyBarrier {
  private holding = 0;
  private released = false;
  private readonly releaseWaiters: Array<() => void> = [];
  private heldWaiters: Array<{ n: number; resolve: () => void }> = [];

  get held(): number {
    return this.holding;
  }

  get isReleased(): boolean {
    return this.released;
  }

  /** Used by the server: resolves when the barrier is released (at once if it already was). */
  hold(): Promise<void> {
    if (this.released) return Promise.resolve();
    this.holding++;
    this.heldWaiters = this.heldWaiters.filter((w) => {
      if (this.holding >= w.n) {
        w.resolve();
        return false;
      }
      return true;
    });
    return new Promise((resolve) => this.releaseWaiters.push(resolve));
  }

  waitUntilHeld(n = 1): Promise<void> {
    if (this.holding >= n) return Promise.resolve();
    return new Promise((resolve) => this.heldWaiters.push({ n, resolve }));
  }

  /** Lets every held reply go, and opens the barrier for good. */
  release(): void {
    this.released = true;
    this.holding = 0;
    for (const resolve of this.releaseWaiters.splice(0)) resolve();
  }
}

/** Predicate for `where`: the call is a getPeerDialogs whose peers include the given peer. */
export function peersInclude(peer: {
  channelId?: bigint;
  userId?: bigint;
  chatId?: bigint;
}): (call: CallInfo) => boolean {
  return (call) =>
    call.peers?.some(
      (p) =>
        (peer.channelId !== undefined && p.type === 'channel' && p.id === peer.channelId) ||
        (peer.userId !== undefined && p.type === 'user' && p.id === peer.userId) ||
        (peer.chatId !== undefined && p.type === 'chat' && p.id === peer.chatId),
    ) ?? false;
}

/** Normalises `messages.GetPeerDialogs` and `messages.getPeerDialogs` to one form. */
export function normaliseMethodName(name: string): string {
  return name.toLowerCase();
}

/** mulberry32: small, fast, seedable; good enough for fault rates. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface ActiveRule {
  readonly id: number;
  readonly rule: FaultRule;
  readonly methods: Set<string> | null;
  readonly random: () => number;
  matched: number;
  fired: number;
  /** flood-budget state per account (or per auth key before login). */
  readonly windows: Map<string, { start: number; calls: number }>;
}

export class FaultConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FaultConfigError';
  }
}

export class FaultInjector {
  private readonly rules: ActiveRule[] = [];
  private nextId = 1;

  constructor(
    private readonly seed = 1,
    private readonly now: () => number = () => performance.now(),
  ) {}

  add(rule: FaultRule): FaultHandle {
    const triggers = [rule.nthCall, rule.everyNthCall, rule.rate].filter((t) => t !== undefined).length;
    if (triggers > 1) throw new FaultConfigError('use at most one of nthCall, everyNthCall, rate');
    if (rule.nthCall !== undefined && !(rule.nthCall >= 1)) throw new FaultConfigError('nthCall must be ≥ 1');
    if (rule.everyNthCall !== undefined && !(rule.everyNthCall >= 1))
      throw new FaultConfigError('everyNthCall must be ≥ 1');
    if (rule.rate !== undefined && !(rule.rate >= 0 && rule.rate <= 1))
      throw new FaultConfigError('rate must be within [0, 1]');
    const methods =
      rule.method === undefined
        ? null
        : new Set((typeof rule.method === 'string' ? [rule.method] : rule.method).map(normaliseMethodName));
    const id = this.nextId++;
    const active: ActiveRule = {
      id,
      rule,
      methods,
      random: seededRandom(this.seed * 7919 + id),
      matched: 0,
      fired: 0,
      windows: new Map(),
    };
    this.rules.push(active);
    return {
      id,
      get fired() {
        return active.fired;
      },
      remove: () => {
        const i = this.rules.indexOf(active);
        if (i >= 0) this.rules.splice(i, 1);
      },
    };
  }

  /** Removes every fault (barriers that already hold replies keep holding them until released). */
  clear(): void {
    this.rules.length = 0;
  }

  get size(): number {
    return this.rules.length;
  }

  // Convenience builders — each returns a handle whose `remove()` undoes it.

  /** FLOOD_WAIT_X (420), or FLOOD_PREMIUM_WAIT_X with `premium`. */
  floodWait(seconds: number, options: FaultOptions & { premium?: boolean } = {}): FaultHandle {
    const message = `${options.premium ? 'FLOOD_PREMIUM_WAIT' : 'FLOOD_WAIT'}_${seconds}`;
    return this.add({ ...options, effect: { kind: 'rpc-error', code: 420, message } });
  }

  /** SLOWMODE_WAIT_X (420). */
  slowmodeWait(seconds: number, options: FaultOptions = {}): FaultHandle {
    return this.add({ ...options, effect: { kind: 'rpc-error', code: 420, message: `SLOWMODE_WAIT_${seconds}` } });
  }

  /** INTERNAL (500). */
  internalError(options: FaultOptions = {}): FaultHandle {
    return this.add({ ...options, effect: { kind: 'rpc-error', code: 500, message: 'INTERNAL' } });
  }

  /** Any RPC error. With `revokeKey`, the auth key stays dead afterwards (every later call gets the same error). */
  rpcError(code: number, message: string, options: FaultOptions & { revokeKey?: boolean } = {}): FaultHandle {
    return this.add({
      ...options,
      effect: { kind: 'rpc-error', code, message, revokeKey: options.revokeKey ?? false },
    });
  }

  /**
   * Any RPC error (`code`, `message`: Telegram's text, known to the job or not) for every call whose
   * peers include `peer`, as Telegram fails a whole getPeerDialogs call for one bad peer. E.g.
   * `peerError({ channelId }, 400, 'CHANNEL_MONOFORUM_UNSUPPORTED')`.
   */
  peerError(
    peer: Parameters<typeof peersInclude>[0],
    code: number,
    message: string,
    options: FaultOptions = {},
  ): FaultHandle {
    const include = peersInclude(peer);
    const where = options.where;
    return this.rpcError(code, message, {
      ...options,
      where: where === undefined ? include : (call) => include(call) && where(call),
    });
  }

  /** 401 AUTH_KEY_UNREGISTERED (the key is not logged in, as after a remote log-out). */
  authKeyUnregistered(options: FaultOptions & { revokeKey?: boolean } = {}): FaultHandle {
    return this.rpcError(401, 'AUTH_KEY_UNREGISTERED', options);
  }

  /** 401 SESSION_REVOKED (the user terminated the session from another device). */
  sessionRevoked(options: FaultOptions & { revokeKey?: boolean } = {}): FaultHandle {
    return this.rpcError(401, 'SESSION_REVOKED', options);
  }

  /** 420 FROZEN_METHOD_INVALID: the account is frozen (a 420 without seconds). */
  frozenMethodInvalid(options: FaultOptions = {}): FaultHandle {
    return this.rpcError(420, 'FROZEN_METHOD_INVALID', options);
  }

  /** 303 USER_MIGRATE_X: GramJS switches to that DC (new auth key) and retries there. */
  userMigrate(dcId: number, options: FaultOptions = {}): FaultHandle {
    return this.rpcError(303, `USER_MIGRATE_${dcId}`, options);
  }

  /**
   * 303 NETWORK_MIGRATE_X (the client's IP belongs to DC X) or PHONE_MIGRATE_X. GramJS 2.26.22
   * rethrows both for a logged-in session; the client must move to DC X, carrying its authorization
   * there (auth.exportAuthorization / auth.importAuthorization), and retry.
   */
  networkMigrate(dcId: number, options: FaultOptions = {}): FaultHandle {
    return this.rpcError(303, `NETWORK_MIGRATE_${dcId}`, options);
  }

  phoneMigrate(dcId: number, options: FaultOptions = {}): FaultHandle {
    return this.rpcError(303, `PHONE_MIGRATE_${dcId}`, options);
  }

  /** Adds `ms` (± `jitterMs`, uniformly, seeded) before the call is handled. */
  latency(ms: number, options: FaultOptions & { jitterMs?: number } = {}): FaultHandle {
    return this.add({ ...options, effect: { kind: 'latency', ms, jitterMs: options.jitterMs ?? 0 } });
  }

  /** Closes the connection instead of replying, or right after replying. */
  dropConnection(when: 'before-reply' | 'after-reply', options: FaultOptions = {}): FaultHandle {
    return this.add({ ...options, effect: { kind: 'drop-connection', when } });
  }

  /** The reply never comes (the connection stays open). */
  hang(options: FaultOptions = {}): FaultHandle {
    return this.add({ ...options, effect: { kind: 'hang' } });
  }

  /**
   * Answers with a transport error packet instead of the reply (Telegram sends -429 when a client
   * floods the transport, -404 for an unknown key). GramJS reacts to codes other than 404 by closing
   * the connection and reconnecting with the same key a second later, resending what was pending.
   */
  transportError(code = 429, options: FaultOptions = {}): FaultHandle {
    return this.add({ ...options, effect: { kind: 'transport-error', code } });
  }

  /**
   * Telegram forgets the auth key: the matching call gets transport error −404 instead of its reply,
   * and so does every later message with that key. GramJS 2.26.22 only reports a "broken" key and
   * stops reading; the session is dead.
   */
  unknownAuthKey(options: FaultOptions = {}): FaultHandle {
    return this.add({ ...options, effect: { kind: 'transport-error', code: 404, forgetKey: true } });
  }

  /** Holds matching replies until `barrier.release()`. */
  barrier(options: FaultOptions = {}): ReplyBarrier {
    const barrier = new ReplyBarrier();
    this.add({ ...options, effect: { kind: 'barrier', barrier } });
    return barrier;
  }

  /**
   * A flood budget: per account (per auth key before login), `calls` matching calls per fixed
   * window of `windowMs`; further calls in the window get FLOOD_WAIT_<seconds left in the window>.
   */
  floodBudget(budget: { calls: number; windowMs: number; premium?: boolean }, options: FaultOptions = {}): FaultHandle {
    return this.add({ ...options, effect: { kind: 'flood-budget', ...budget } });
  }

  /** Used by the server: which faults fire for this call, combined. */
  decide(call: CallInfo): FaultDecision {
    const decision: FaultDecision = {
      delayMs: 0,
      barriers: [],
      terminal: null,
      dropAfterReply: false,
      firedRuleIds: [],
    };
    for (const active of [...this.rules]) {
      if (!this.matches(active, call)) continue;
      active.matched++;
      if (!this.triggers(active)) continue;
      const effect = active.rule.effect;
      if (effect.kind === 'flood-budget') {
        const wait = this.floodBudgetWait(active, effect, call);
        if (wait === null) continue;
        this.fire(active, decision);
        decision.terminal ??= {
          kind: 'rpc-error',
          code: 420,
          message: `${effect.premium ? 'FLOOD_PREMIUM_WAIT' : 'FLOOD_WAIT'}_${wait}`,
          revokeKey: false,
        };
        continue;
      }
      this.fire(active, decision);
      switch (effect.kind) {
        case 'latency': {
          const jitter = effect.jitterMs ? (active.random() * 2 - 1) * effect.jitterMs : 0;
          decision.delayMs += Math.max(0, effect.ms + jitter);
          break;
        }
        case 'barrier':
          decision.barriers.push(effect.barrier);
          break;
        case 'drop-connection':
          if (effect.when === 'after-reply') decision.dropAfterReply = true;
          else decision.terminal ??= { kind: 'drop-connection' };
          break;
        case 'hang':
          decision.terminal ??= { kind: 'hang' };
          break;
        case 'transport-error':
          decision.terminal ??= { kind: 'transport-error', code: effect.code, forgetKey: effect.forgetKey ?? false };
          break;
        case 'rpc-error':
          decision.terminal ??= {
            kind: 'rpc-error',
            code: effect.code,
            message: effect.message,
            revokeKey: effect.revokeKey ?? false,
          };
          break;
      }
    }
    return decision;
  }

  private fire(active: ActiveRule, decision: FaultDecision): void {
    active.fired++;
    decision.firedRuleIds.push(active.id);
  }

  private matches(active: ActiveRule, call: CallInfo): boolean {
    const { rule } = active;
    if (rule.times !== undefined && active.fired >= rule.times) return false;
    if (active.methods && !active.methods.has(normaliseMethodName(call.method))) return false;
    if (rule.account !== undefined && call.accountUserId !== rule.account) return false;
    if (rule.dcId !== undefined && call.dcId !== rule.dcId) return false;
    if (rule.where && !rule.where(call)) return false;
    return true;
  }

  private triggers(active: ActiveRule): boolean {
    const { rule, matched } = active;
    if (rule.nthCall !== undefined) return matched === rule.nthCall;
    if (rule.everyNthCall !== undefined) return matched % rule.everyNthCall === 0;
    if (rule.rate !== undefined) return active.random() < rule.rate;
    return true;
  }

  private floodBudgetWait(
    active: ActiveRule,
    budget: { calls: number; windowMs: number },
    call: CallInfo,
  ): number | null {
    const key = call.accountUserId !== null ? `account:${call.accountUserId}` : `key:${call.authKeyId}`;
    const now = this.now();
    let window = active.windows.get(key);
    if (!window || now - window.start >= budget.windowMs) {
      window = { start: now, calls: 0 };
      active.windows.set(key, window);
    }
    window.calls++;
    if (window.calls <= budget.calls) return null;
    return Math.max(1, Math.ceil((window.start + budget.windowMs - now) / 1000));
  }
}
