/**
 * Routes one decoded RPC request to whoever answers it: the wrappers GramJS puts around calls are
 * removed, help.* and login are answered here, everything else goes to the world as the account
 * the auth key is bound to. Unknown methods get Telegram's INPUT_METHOD_INVALID_<id>_<x>.
 */
import { Api } from 'telegram';
import type { AuthKeyRecord } from './auth-key-store.ts';
import type { AuthService } from './auth-methods.ts';
import { buildConfig, buildNearestDc, type DataCenterAddress } from './help-methods.ts';
import { int32LE, int64LE, toNativeBigInt, uint32LE } from './protocol/bytes.ts';
import { VECTOR_ID, boolBytes } from './protocol/service-messages.ts';
import { writeTlObject } from './protocol/tl-writer.ts';
import { TelegramRpcError } from './rpc-error.ts';
import { WORLD_NOT_HANDLED, type WorldBackend } from './world-backend.ts';

type AnyRequest = object & { className?: string; CONSTRUCTOR_ID?: number; query?: object };

/** Wrappers whose `query` is the real call (GramJS sends invokeWithLayer(initConnection(...))). */
const WRAPPERS: ReadonlyArray<new (...args: never[]) => object> = [
  Api.InvokeWithLayer,
  Api.InitConnection,
  Api.InvokeWithoutUpdates,
  Api.InvokeAfterMsg,
  Api.InvokeAfterMsgs,
  Api.InvokeWithTakeout,
  Api.InvokeWithMessagesRange,
];

export function unwrapRequest(request: object): object {
  let current = request as AnyRequest;
  while (WRAPPERS.some((w) => current instanceof w) && current.query) current = current.query as AnyRequest;
  return current;
}

export function methodName(request: object): string {
  return (request as AnyRequest).className ?? request.constructor.name;
}

/** The error Telegram gives for a method it does not know. */
export function unknownMethodError(constructorId: number): TelegramRpcError {
  return new TelegramRpcError(400, `INPUT_METHOD_INVALID_${constructorId >>> 0}_0`);
}

/** Serialises a method's result: TL objects, vectors (of objects, longs or ints) and Bool. */
export function serializeResult(result: unknown): Buffer {
  if (typeof result === 'boolean') return boolBytes(result);
  if (Buffer.isBuffer(result)) return result;
  if (Array.isArray(result)) {
    const parts: Buffer[] = [uint32LE(VECTOR_ID), int32LE(result.length)];
    for (const item of result) {
      if (typeof item === 'number') parts.push(int32LE(item));
      else if (typeof item === 'bigint') parts.push(int64LE(item));
      else if (item && typeof (item as { getBytes?: unknown }).getBytes === 'function')
        parts.push(serializeResult(item));
      else parts.push(int64LE(toNativeBigInt(item)));
    }
    return Buffer.concat(parts);
  }
  if (result && typeof (result as { getBytes?: unknown }).getBytes === 'function') return writeTlObject(result);
  throw new TypeError(`cannot serialise a result of type ${typeof result}`);
}

export interface RouteContext {
  readonly dcId: number;
  readonly authKey: AuthKeyRecord;
}

export class MethodRouter {
  constructor(
    private readonly world: WorldBackend,
    private readonly auth: AuthService,
    private readonly dataCenters: () => readonly DataCenterAddress[],
  ) {}

  /** Runs the (already unwrapped) request; returns the TL result or throws TelegramRpcError. */
  async invoke(ctx: RouteContext, request: object): Promise<unknown> {
    const method = methodName(request);
    if (request instanceof Api.help.GetConfig) return buildConfig(ctx.dcId, this.dataCenters());
    if (request instanceof Api.help.GetNearestDc) return buildNearestDc(ctx.dcId);
    if (this.auth.handles(method)) return this.auth.handle(ctx, request);
    const userId = ctx.authKey.accountUserId;
    if (userId === null) throw new TelegramRpcError(401, 'AUTH_KEY_UNREGISTERED');
    const account = this.auth.accountById(userId);
    if (!account) throw new TelegramRpcError(401, 'AUTH_KEY_UNREGISTERED');
    const result = await this.world.call({ accountUserId: userId, isBot: account.isBot }, request);
    if (result === WORLD_NOT_HANDLED) {
      throw unknownMethodError((request as AnyRequest).CONSTRUCTOR_ID ?? 0);
    }
    return result;
  }
}
