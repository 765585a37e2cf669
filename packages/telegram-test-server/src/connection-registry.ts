/**
 * Live client connections by auth key, so the server can detect one key used over two connections
 * at once (AUTH_KEY_DUPLICATED) and push updates to a key's connections.
 */
export interface LiveConnection {
  readonly id: number;
  /** RPC calls received on this connection and not yet answered. */
  readonly inFlightCalls: number;
  isOpen(): boolean;
  /** Sends an object as an unsolicited message to every session seen on this connection. */
  pushUpdate(body: Buffer): void;
}

export class ConnectionRegistry {
  private readonly byKey = new Map<bigint, Set<LiveConnection>>();
  private readonly all = new Set<LiveConnection & { destroy(): void }>();

  track(connection: LiveConnection & { destroy(): void }): void {
    this.all.add(connection);
  }

  bind(keyId: bigint, connection: LiveConnection): void {
    let set = this.byKey.get(keyId);
    if (!set) this.byKey.set(keyId, (set = new Set()));
    set.add(connection);
  }

  remove(connection: LiveConnection & { destroy(): void }): void {
    this.all.delete(connection);
    for (const [keyId, set] of this.byKey) {
      set.delete(connection);
      if (set.size === 0) this.byKey.delete(keyId);
    }
  }

  connectionsOf(keyId: bigint): LiveConnection[] {
    return [...(this.byKey.get(keyId) ?? [])].filter((c) => c.isOpen());
  }

  /** Another open connection with the same key has calls in progress. */
  otherConnectionBusy(keyId: bigint, self: LiveConnection): boolean {
    return this.connectionsOf(keyId).some((c) => c !== self && c.inFlightCalls > 0);
  }

  destroyAll(): void {
    for (const c of [...this.all]) c.destroy();
    this.all.clear();
    this.byKey.clear();
  }

  get openConnections(): number {
    return this.all.size;
  }
}
