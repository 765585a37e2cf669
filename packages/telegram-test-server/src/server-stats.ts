/**
 * Where the server spends its time, per method: the world's handler, TL serialisation, gzip and
 * encryption (all synchronous, so wall time on the event loop is CPU time), plus reply sizes.
 * Used to check that the local DC is never the bottleneck of a benchmark.
 */
export interface MethodCost {
  calls: number;
  handlerMs: number;
  serializeMs: number;
  gzipMs: number;
  encryptMs: number;
  /** Serialised result bytes before gzip. */
  resultBytes: number;
  /** Bytes of the rpc_result object after gzip. */
  sentBytes: number;
}

export class ServerStats {
  private readonly byMethod = new Map<string, MethodCost>();
  handshakes = 0;
  handshakeMs = 0;
  /** Why auth-key exchanges were refused (the connection was closed each time). */
  readonly handshakeFailures: unknown[] = [];

  cost(method: string): MethodCost {
    let cost = this.byMethod.get(method);
    if (!cost) {
      cost = { calls: 0, handlerMs: 0, serializeMs: 0, gzipMs: 0, encryptMs: 0, resultBytes: 0, sentBytes: 0 };
      this.byMethod.set(method, cost);
    }
    return cost;
  }

  /** Server CPU per call of the method, in ms (handler + serialise + gzip + encrypt). */
  perCallMs(method: string): number {
    const c = this.byMethod.get(method);
    if (!c || c.calls === 0) return 0;
    return (c.handlerMs + c.serializeMs + c.gzipMs + c.encryptMs) / c.calls;
  }

  snapshot(): Record<string, MethodCost> {
    return Object.fromEntries([...this.byMethod].map(([k, v]) => [k, { ...v }]));
  }

  reset(): void {
    this.byMethod.clear();
    this.handshakes = 0;
    this.handshakeMs = 0;
    this.handshakeFailures.length = 0;
  }
}
