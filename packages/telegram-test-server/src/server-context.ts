/** State shared by every data center of one local server (one world, one key store). */
import type { AuthKeyStore } from './auth-key-store.ts';
import type { CallLog } from './call-log.ts';
import type { ConnectionRegistry } from './connection-registry.ts';
import type { FaultInjector } from './faults.ts';
import type { MethodRouter } from './method-router.ts';
import type { ServerMessageIds } from './protocol/message-ids.ts';
import type { RsaServerKey } from './protocol/rsa-server-key.ts';
import type { ServerStats } from './server-stats.ts';

export interface ServerContext {
  readonly keys: AuthKeyStore;
  readonly faults: FaultInjector;
  readonly callLog: CallLog;
  readonly router: MethodRouter;
  readonly msgIds: ServerMessageIds;
  readonly rsaKey: RsaServerKey;
  readonly connections: ConnectionRegistry;
  readonly pqPrimeBits: number;
  /** Replies at least this big are sent gzip_packed. */
  readonly gzipThresholdBytes: number;
  readonly detectDuplicateAuthKeys: boolean;
  /** Aborted when the server stops: pending latency timers end. */
  readonly stopSignal: AbortSignal;
  readonly stats: ServerStats;
  /** Unexpected exceptions thrown while handling calls (answered as 500 INTERNAL). */
  readonly unexpectedErrors: unknown[];
}
