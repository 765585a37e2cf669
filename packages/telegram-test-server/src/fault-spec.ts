/**
 * Faults written as text, for the command line: `kind[:key=value,key=value…]`, e.g.
 *   flood-wait:seconds=30,method=messages.getPeerDialogs,every=5
 *   flood-budget:calls=20,window-ms=60000,method=contacts.resolveUsername
 *   error:code=400,message=CHANNEL_PRIVATE,peer-channel=1234567
 *   latency:ms=200,jitter=50            drop-before-reply:nth=3         hang:rate=0.01
 * Keys shared by all kinds: method, account (user id or phone), dc, nth, every, rate, times,
 * peer-channel / peer-user / peer-chat (getPeerDialogs calls whose peers include that id).
 */
import { peersInclude, type FaultEffect, type FaultRule } from './faults.ts';

export class FaultSpecError extends Error {
  constructor(spec: string, problem: string) {
    super(`invalid --fault "${spec}": ${problem}`);
    this.name = 'FaultSpecError';
  }
}

export const FAULT_KINDS = [
  'flood-wait',
  'flood-premium-wait',
  'slowmode-wait',
  'internal',
  'error',
  'auth-key-unregistered',
  'session-revoked',
  'frozen',
  'user-migrate',
  'network-migrate',
  'phone-migrate',
  'latency',
  'drop-before-reply',
  'drop-after-reply',
  'hang',
  'flood-budget',
  'transport-error',
  'unknown-auth-key',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

const COMMON_KEYS = new Set([
  'method',
  'account',
  'dc',
  'nth',
  'every',
  'rate',
  'times',
  'peer-channel',
  'peer-user',
  'peer-chat',
]);
const KIND_KEYS: Record<FaultKind, readonly string[]> = {
  'flood-wait': ['seconds'],
  'flood-premium-wait': ['seconds'],
  'slowmode-wait': ['seconds'],
  internal: [],
  error: ['code', 'message', 'revoke'],
  'auth-key-unregistered': ['revoke'],
  'session-revoked': ['revoke'],
  frozen: [],
  'user-migrate': ['to'],
  'network-migrate': ['to'],
  'phone-migrate': ['to'],
  latency: ['ms', 'jitter'],
  'drop-before-reply': [],
  'drop-after-reply': [],
  hang: [],
  'flood-budget': ['calls', 'window-ms'],
  'transport-error': ['code'],
  'unknown-auth-key': [],
};

/** Resolves `account=` (a user id or a phone) to a user id. */
export type AccountResolver = (ref: string) => bigint;

export function parseFaultSpec(spec: string, resolveAccount: AccountResolver): FaultRule {
  const colon = spec.indexOf(':');
  const kind = (colon < 0 ? spec : spec.slice(0, colon)).trim() as FaultKind;
  if (!FAULT_KINDS.includes(kind)) throw new FaultSpecError(spec, `unknown kind; use one of ${FAULT_KINDS.join(', ')}`);
  const params = new Map<string, string>();
  if (colon >= 0) {
    for (const part of spec.slice(colon + 1).split(',')) {
      if (!part.trim()) continue;
      const eq = part.indexOf('=');
      if (eq < 0) throw new FaultSpecError(spec, `"${part}" is not key=value`);
      const key = part.slice(0, eq).trim();
      if (!COMMON_KEYS.has(key) && !KIND_KEYS[kind].includes(key))
        throw new FaultSpecError(spec, `unknown key "${key}" for ${kind}`);
      params.set(key, part.slice(eq + 1).trim());
    }
  }
  const int = (key: string, fallback?: number): number => {
    const raw = params.get(key);
    if (raw === undefined) {
      if (fallback === undefined) throw new FaultSpecError(spec, `${key}= is required`);
      return fallback;
    }
    const value = Number(raw);
    if (!Number.isInteger(value)) throw new FaultSpecError(spec, `${key} must be an integer`);
    return value;
  };
  const optionalNumber = (key: string): number | undefined => {
    const raw = params.get(key);
    if (raw === undefined) return undefined;
    const value = Number(raw);
    if (!Number.isFinite(value)) throw new FaultSpecError(spec, `${key} must be a number`);
    return value;
  };
  const revoke = params.get('revoke') === 'true';
  const effect = ((): FaultEffect => {
    switch (kind) {
      case 'flood-wait':
        return { kind: 'rpc-error', code: 420, message: `FLOOD_WAIT_${int('seconds')}` };
      case 'flood-premium-wait':
        return { kind: 'rpc-error', code: 420, message: `FLOOD_PREMIUM_WAIT_${int('seconds')}` };
      case 'slowmode-wait':
        return { kind: 'rpc-error', code: 420, message: `SLOWMODE_WAIT_${int('seconds')}` };
      case 'internal':
        return { kind: 'rpc-error', code: 500, message: 'INTERNAL' };
      case 'error': {
        const message = params.get('message');
        if (!message) throw new FaultSpecError(spec, 'message= is required');
        return { kind: 'rpc-error', code: int('code', 400), message, revokeKey: revoke };
      }
      case 'auth-key-unregistered':
        return { kind: 'rpc-error', code: 401, message: 'AUTH_KEY_UNREGISTERED', revokeKey: revoke };
      case 'session-revoked':
        return { kind: 'rpc-error', code: 401, message: 'SESSION_REVOKED', revokeKey: revoke };
      case 'frozen':
        return { kind: 'rpc-error', code: 420, message: 'FROZEN_METHOD_INVALID' };
      case 'user-migrate':
        return { kind: 'rpc-error', code: 303, message: `USER_MIGRATE_${int('to')}` };
      case 'network-migrate':
        return { kind: 'rpc-error', code: 303, message: `NETWORK_MIGRATE_${int('to')}` };
      case 'phone-migrate':
        return { kind: 'rpc-error', code: 303, message: `PHONE_MIGRATE_${int('to')}` };
      case 'latency':
        return { kind: 'latency', ms: int('ms'), jitterMs: int('jitter', 0) };
      case 'drop-before-reply':
        return { kind: 'drop-connection', when: 'before-reply' };
      case 'drop-after-reply':
        return { kind: 'drop-connection', when: 'after-reply' };
      case 'hang':
        return { kind: 'hang' };
      case 'flood-budget':
        return { kind: 'flood-budget', calls: int('calls'), windowMs: int('window-ms', 60_000) };
      case 'transport-error':
        return { kind: 'transport-error', code: int('code', 429) };
      case 'unknown-auth-key':
        return { kind: 'transport-error', code: 404, forgetKey: true };
    }
  })();
  const rule: FaultRule = { effect };
  const method = params.get('method');
  if (method) rule.method = method.split('|');
  const account = params.get('account');
  if (account) rule.account = resolveAccount(account);
  if (params.has('dc')) rule.dcId = int('dc');
  if (params.has('nth')) rule.nthCall = int('nth');
  if (params.has('every')) rule.everyNthCall = int('every');
  rule.rate = optionalNumber('rate');
  if (rule.rate === undefined) delete rule.rate;
  if (params.has('times')) rule.times = int('times');
  const peer = (key: string) => (params.has(key) ? BigInt(params.get(key)!) : undefined);
  const channelId = peer('peer-channel');
  const userId = peer('peer-user');
  const chatId = peer('peer-chat');
  if (channelId !== undefined || userId !== undefined || chatId !== undefined)
    rule.where = peersInclude({ channelId, userId, chatId });
  return rule;
}
