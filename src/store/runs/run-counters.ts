/** The counts a run accumulates; stored on its sync_runs row (column names in snake_case). */
export interface RunCounters {
  /** Configured peers waiting to be resolved when the run began resolving (progress displays read it). */
  peersToResolve: number;
  /** Of those, settled so far: resolved, found unresolvable, or left pending for a later run. */
  peersResolveDone: number;
  peersTotal: number;
  peersSynced: number;
  peersSkipped: number;
  peersFailed: number;
  peersNoDialog: number;
  peersResolved: number;
  apiCalls: number;
  retries: number;
  floodWaits: number;
  floodWaitSeconds: number;
  floodWaitSleptSeconds: number;
  dialogsInserted: number;
  dialogsUpdated: number;
  messagesInserted: number;
  messagesUpdated: number;
  usersInserted: number;
  usersUpdated: number;
  chatsInserted: number;
  chatsUpdated: number;
  channelsInserted: number;
  channelsUpdated: number;
}

export function emptyRunCounters(): RunCounters {
  return {
    peersToResolve: 0,
    peersResolveDone: 0,
    peersTotal: 0,
    peersSynced: 0,
    peersSkipped: 0,
    peersFailed: 0,
    peersNoDialog: 0,
    peersResolved: 0,
    apiCalls: 0,
    retries: 0,
    floodWaits: 0,
    floodWaitSeconds: 0,
    floodWaitSleptSeconds: 0,
    dialogsInserted: 0,
    dialogsUpdated: 0,
    messagesInserted: 0,
    messagesUpdated: 0,
    usersInserted: 0,
    usersUpdated: 0,
    chatsInserted: 0,
    chatsUpdated: 0,
    channelsInserted: 0,
    channelsUpdated: 0,
  };
}

/** A wait the job decided on, as recorded in the run row and the logs. */
export interface RecordedWait {
  readonly method: string;
  readonly requestedSeconds: number;
  readonly sleptSeconds: number;
  readonly at: string;
}

/** `peersTotal` → `peers_total`. */
export function counterColumn(name: keyof RunCounters): string {
  return name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}

/** Adds `delta` into `counters` (in place). */
export function addRunCounters(counters: RunCounters, delta: Readonly<RunCounters>): void {
  for (const name of Object.keys(delta) as (keyof RunCounters)[]) counters[name] += delta[name];
}

/** `counters` + `delta`, as a new object. */
export function sumRunCounters(counters: Readonly<RunCounters>, delta: Readonly<RunCounters>): RunCounters {
  const sum = { ...counters };
  addRunCounters(sum, delta);
  return sum;
}
