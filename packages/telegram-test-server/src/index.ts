/**
 * `telegram-test-server`: the local Telegram data center for tests, benchmarks and manual runs.
 *
 *   const server = await startLocalTelegramServer({ world: World.generate({ seed: 1, peers: 500 }) });
 *   const client = new TelegramClient(new StringSession(server.sessionFor(account.userId)), server.apiId,
 *     server.apiHash, { connection: localDataCenter(server.testDataCenterOptions()).connection });
 *   // (localDataCenter from telegram-test-server/testing; the job uses its own configureTestDataCenter)
 *   server.faults.floodWait(30, { method: 'messages.getPeerDialogs', nthCall: 2 });
 *   server.callLog.calls('messages.GetPeerDialogs');
 *   await server.stop();
 */
export {
  startLocalTelegramServer,
  DEFAULT_API_HASH,
  DEFAULT_API_ID,
  UnknownAccountError,
  type AccountRef,
  type LocalTelegramServer,
  type LocalTelegramServerOptions,
} from './server.ts';
export {
  FaultInjector,
  FaultConfigError,
  ReplyBarrier,
  peersInclude,
  type CallInfo,
  type FaultDecision,
  type FaultEffect,
  type FaultHandle,
  type FaultOptions,
  type FaultRule,
  type FaultScope,
  type FaultTrigger,
} from './faults.ts';
export { parseFaultSpec, FaultSpecError, FAULT_KINDS } from './fault-spec.ts';
export {
  CallLog,
  callsOverlap,
  requestedPeers,
  type CallFilter,
  type CallLogEntry,
  type CallOutcome,
  type PeerRef,
} from './call-log.ts';
export { ServerStats, type MethodCost } from './server-stats.ts';
export { encodeStringSession, PLACEHOLDER_PORT, type TestDataCenterOptions } from './client-settings.ts';
export { serializeResult } from './method-router.ts';
export { TelegramRpcError } from './rpc-error.ts';
export { WORLD_NOT_HANDLED, type BackendAccount, type CallerContext, type WorldBackend } from './world-backend.ts';
export { worldBackend } from './world-adapter.ts';
