/**
 * `npm run bench [-- --quick] [-- --only write,e2e,latency,scale,resolve,firstsync,memory,bisect,queue]`: where the job stands, as ratios
 * measured side by side in one run (absolute times are context only: the machine is noisy). Prints a
 * table and writes bench/results.json (with --only, the sections run replace theirs in it and the others
 * are kept). Never asserted in tests. See README.md → Benchmarks.
 *
 * Database: DATABASE_URL when set, else an embedded PostgreSQL in .data/bench-postgres (port 54339).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { benchBisectCalls, type BisectFigures } from './bisect-calls.ts';
import { fmt, median, projectRoot, startBenchServer } from './common.ts';
import { createAccounts, latestRunTotals, runChild, startLandscape, type ChildResult } from './end-to-end.ts';
import { benchFirstSync, fmtCalls, type FirstSyncFigures } from './first-sync.ts';
import { benchMemory, type MemoryFigures } from './memory.ts';
import { benchQueueSetup, type QueueSetupFigures } from './queue-workers.ts';
import { benchResolveNames, type ResolveFigures } from './resolve-names.ts';
import { benchWritePath, type WritePathResult } from './write-path.ts';

const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false }, only: { type: 'string' } } });
const quick = values.quick ?? false;
const only = new Set((values.only ?? 'write,e2e,latency,scale,resolve,firstsync,memory,bisect,queue').split(','));
const config = quick
  ? {
      write: { peers: 5_000, repetitions: 1, naiveBatches: 5 },
      small: [2, 1_000],
      large: [5, 2_000],
      latencyPairs: 1,
      leakRuns: 4,
      leakAccounts: 1,
      resolve: { calls: 100, repetitions: 1 },
      memoryPeers: 20_000,
      bisect: [
        { peers: 618, bad: 1 },
        { peers: 1_000, bad: 7 },
      ],
      queue: [Number(process.env.BENCH_QUEUE_ACCOUNTS ?? 12), Number(process.env.BENCH_QUEUE_PEERS ?? 500)],
    }
  : {
      write: { peers: 20_000, repetitions: 3, naiveBatches: 10 },
      small: [10, 1_000],
      large: [50, 2_000],
      latencyPairs: 2,
      leakRuns: 10,
      leakAccounts: 2,
      resolve: { calls: 300, repetitions: 3 },
      memoryPeers: 200_000,
      bisect: [
        { peers: 618, bad: 1 },
        { peers: 1_000, bad: 7 },
        { peers: 2_000, bad: 20 },
      ],
      queue: [Number(process.env.BENCH_QUEUE_ACCOUNTS ?? 50), Number(process.env.BENCH_QUEUE_PEERS ?? 2_000)],
    };

/** Interpreter only: no Sparkplug, Maglev or TurboFan code, so the heap holds no growing compiled code. */
const JIT_OFF_FLAGS = ['--no-opt', '--no-sparkplug', '--no-maglev'];

const startedAt = Date.now();
const log = (line: string) =>
  process.stderr.write(`[${((Date.now() - startedAt) / 1000).toFixed(0).padStart(4)} s] ${line}\n`);
const rows: [string, string, string, string][] = [];
const row = (what: string, figure: string, target = '', verdict = '') => rows.push([what, figure, target, verdict]);
const check = (ok: boolean) => (ok ? 'met' : 'MISSED');

interface SyncFigures {
  accounts: number;
  peersPerAccount: number;
  peersSynced: number;
  apiCalls: number;
  wallSeconds: number;
  peersPerSecond: number;
  msPerPeer: number;
  jobPeakRssMb: number;
  childMaxRssMb: number;
  statuses: string[];
}

const results: {
  quick: boolean;
  machine: { cpus: number; node: string; database: string };
  startedAt: string;
  writePath?: WritePathResult;
  endToEnd?: {
    small?: SyncFigures;
    large?: SyncFigures;
    unchangedResync?: SyncFigures & { contentRowsWritten: number };
  };
  latency?: {
    latencyMs: number;
    job: SyncFigures;
    bare: SyncFigures;
    jobOverBare: number;
    wireLimitPeersPerSecond: number;
    pairs: { job: SyncFigures; bare: SyncFigures }[];
  };
  scaling?: {
    rssRatio?: number;
    timePerPeerRatio?: number;
    heapAfterEachRunMb?: number[];
    heapGrowthRun2To10Mb?: number;
    heapAfterEachRunJitOffMb?: number[];
    heapGrowthRun2To10JitOffMb?: number;
  };
  resolve?: ResolveFigures;
  firstSync?: FirstSyncFigures;
  memory?: MemoryFigures;
  bisect?: BisectFigures;
  queue?: {
    accounts: number;
    peersPerAccount: number;
    latencyMs: number;
    setups: QueueSetupFigures[];
    fourOverOne: number;
    twoProcessesOverOne: number;
  };
  totalSeconds?: number;
} = {
  quick,
  machine: { cpus: os.cpus().length, node: process.version, database: '' },
  startedAt: new Date().toISOString(),
};

const figuresOf = (child: ChildResult, accounts: number, perAccount: number, runIndex = 0): SyncFigures => {
  const run = child.runs[runIndex]!;
  return {
    accounts,
    peersPerAccount: perAccount,
    peersSynced: run.peersSynced,
    apiCalls: run.apiCalls,
    wallSeconds: run.wallMs / 1000,
    peersPerSecond: run.peersSynced / (run.wallMs / 1000),
    msPerPeer: run.wallMs / Math.max(1, run.peersSynced),
    jobPeakRssMb: child.jobRssMb,
    childMaxRssMb: child.maxRssMb,
    statuses: run.statuses,
  };
};

const server = await startBenchServer();
results.machine.database = server.source;
log(`database: ${server.source} PostgreSQL; ${quick ? 'quick' : 'full'} run`);
try {
  // 1. Write path.
  if (only.has('write')) {
    const wp = await benchWritePath(server, { ...config.write, log });
    results.writePath = wp;
    const pass = (label: string, p: WritePathResult['empty']) => {
      row(`write ${label}: job writer (a), rows/s`, `${fmt(p.job)} (${fmt(p.jobMsPerBatch, 1)} ms/batch)`);
      row(
        `write ${label}: hand-written pg (b), rows/s`,
        `${fmt(p.handwritten)} (${fmt(p.handwrittenMsPerBatch, 1)} ms/batch)`,
      );
      row(
        `write ${label}: naive Prisma upsert/row (c), rows/s`,
        `${fmt(p.naive)} (${fmt(p.naiveMsPerBatch, 0)} ms/batch)`,
      );
      row(`write ${label}: a/b`, fmt(p.jobOverHandwritten, 2), '≥ 0.8', check(p.jobOverHandwritten >= 0.8));
      row(`write ${label}: a/c`, fmt(p.jobOverNaive, 1), '≥ 10', check(p.jobOverNaive >= 10));
    };
    pass('empty db', wp.empty);
    pass(`filled db, ${fmt(wp.changedFraction * 100, 1)}% rows changed`, wp.filled);
    row(
      'write: identical tables a = b = c',
      wp.identicalTables ? 'yes' : `NO: ${wp.identicalDetails.join('; ')}`,
      'yes',
      check(wp.identicalTables),
    );
    row('mapping (TL → rows incl. tlToJson), ms per 100-peer reply', fmt(wp.mapMsPerReply, 1));
  }

  // A first sync of 3 accounts × 600 usernames at +60 ms per call: resolved from the dialogs first.
  if (only.has('firstsync')) {
    log('firstsync: 3 accounts × 600 peers (~7 % usernames outside the dialogs), +60 ms per call…');
    const f = await benchFirstSync({ server, accounts: 3, peersPerAccount: 600, latencyMs: 60, log });
    results.firstSync = f;
    row('first sync 3 × 600 at +60 ms/call: calls by method', fmtCalls(f.callsByMethod));
    row(
      'first sync: resolveUsername calls · usernames outside the dialogs · calls for names in the dialogs',
      `${f.resolveUsernameCalls} · ${f.usernamesOutsideDialogs} · ${f.resolveUsernameCallsForDialogNames}`,
      '≤ outside · 0',
      check(f.resolveUsernameCalls <= f.usernamesOutsideDialogs && f.resolveUsernameCallsForDialogNames === 0),
    );
    row(
      'first sync: wall time · lower bound (calls × 60 ms)',
      `${fmt(f.wallSeconds, 1)} s · ${fmt(f.lowerBoundSeconds, 1)} s (was 72 s)`,
      '< 15 s',
      check(f.wallSeconds < 15),
    );
  }

  // Resolving names that exist and names that do not (TCP_NODELAY against GramJS's default socket).
  if (only.has('resolve')) {
    log(
      `resolve: ${config.resolve.calls} known and ${config.resolve.calls} unknown usernames, job client vs GramJS's default socket, ${config.resolve.repetitions} repetition(s)…`,
    );
    const figures = await benchResolveNames({ ...config.resolve, log });
    results.resolve = figures;
    row(
      'resolveUsername, job client: known · unknown names per s',
      `${fmt(figures.job.known)} · ${fmt(figures.job.unknown)}`,
    );
    row(
      "resolveUsername, GramJS's default socket (Nagle on): known · unknown per s",
      `${fmt(figures.gramjsDefaultSocket.known)} · ${fmt(figures.gramjsDefaultSocket.unknown)}`,
    );
    row(
      'resolveUsername unknown / known: job · default socket',
      `${fmt(figures.jobUnknownOverKnown, 2)} · ${fmt(figures.defaultUnknownOverKnown, 2)}`,
      'job ≥ 0.5',
      check(figures.jobUnknownOverKnown >= 0.5),
    );
  }

  // Telegram calls by method for a first sync, an unchanged re-sync and a run after the bad peers' backoff (counts).
  if (only.has('bisect')) {
    const figures = await benchBisectCalls(server, { scenarios: config.bisect, log });
    results.bisect = figures;
    const byMethod = (calls: Record<string, number>) =>
      Object.entries(calls)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([method, n]) => `${method} ${n}`)
        .join(' · ');
    for (const s of figures.scenarios) {
      const name = `calls, ${fmt(s.peers)} peers with ${s.bad} bad`;
      const f = s.firstSync;
      row(
        `${name}: first sync, getPeerDialogs`,
        `${f.getPeerDialogs} (lower bound ${f.lowerBound}; ${f.peersSynced} synced, ${f.peersFailed} failed)`,
        `≤ ${f.bound}`,
        check(f.getPeerDialogs <= f.bound),
      );
      if (s.peers <= 1_000) row(`${name}: first sync, call sizes (! failed)`, f.callSizes);
      row(`${name}: first sync, by method`, byMethod(f.callsByMethod));
      row(
        `${name}: unchanged re-sync (bad ones in backoff), by method`,
        byMethod(s.unchangedResync.callsByMethod),
        `getPeerDialogs ≤ ${s.unchangedResync.bound}`,
        check(s.unchangedResync.getPeerDialogs <= s.unchangedResync.bound),
      );
      const later = s.afterBackoff;
      row(
        `${name}: after their backoff (still bad), getPeerDialogs`,
        `${later.getPeerDialogs} (${later.callSizes.split(' ').filter((size) => size.endsWith('!')).length} failed)`,
        `≤ ${later.bound}`,
        check(later.getPeerDialogs <= later.bound),
      );
    }
  }

  // Peak RSS of the executable for peers import and sync of one large account.
  if (only.has('memory')) {
    const figures = await benchMemory(server, { peers: config.memoryPeers, log });
    results.memory = figures;
    row(
      `memory: peers import of ${fmt(figures.peers)} peers, peak RSS`,
      `${fmt(figures.import.maxRssMb)} MB (${fmt(figures.import.seconds, 1)} s; bare node ${fmt(figures.bareNodeMaxRssMb)} MB)`,
    );
    row(
      `memory: sync of 1 × ${fmt(figures.peers)} peers (SYNC_PEERS_FILE), peak RSS`,
      `${fmt(figures.sync.maxRssMb)} MB (${fmt(figures.sync.seconds, 1)} s)`,
    );
  }

  // 2. End to end, and 3. scaling.
  results.endToEnd = {};
  results.scaling = {};
  const small = { accounts: config.small[0]!, per: config.small[1]! };
  const large = { accounts: config.large[0]!, per: config.large[1]! };
  if (only.has('queue')) {
    const [accounts, per] = config.queue as [number, number];
    const latencyMs = 60;
    const landscape = await startLandscape('bench-queue', accounts, per);
    try {
      landscape.server.faults.latency(latencyMs);
      log(`queue: ${accounts} × ${per} peers, +${latencyMs} ms per call, worker processes on one database…`);
      const setups: QueueSetupFigures[] = [];
      for (const setup of [
        { processes: 1, atOnce: 1 },
        { processes: 1, atOnce: 4 },
        { processes: 2, atOnce: 4 },
      ]) {
        const figures = await benchQueueSetup(server, landscape, setup, log);
        log(
          `  ${setup.processes} process(es) × ${setup.atOnce}: ${fmt(figures.wallSeconds, 1)} s, ${fmt(figures.peersPerSecond)} peers/s`,
        );
        setups.push(figures);
      }
      const [one, four, twoProcesses] = setups as [QueueSetupFigures, QueueSetupFigures, QueueSetupFigures];
      results.queue = {
        accounts,
        peersPerAccount: per,
        latencyMs,
        setups,
        fourOverOne: one.wallSeconds / four.wallSeconds,
        twoProcessesOverOne: four.wallSeconds / twoProcesses.wallSeconds,
      };
      for (const figures of setups) {
        row(
          `queue +${latencyMs} ms/call, ${accounts} × ${fmt(per)} peers: ${figures.processes} process(es) × ${figures.atOnce} at once`,
          `${fmt(figures.wallSeconds, 1)} s, ${fmt(figures.peersPerSecond)} peers/s (${fmt(figures.apiCalls)} calls; ${figures.statuses.join(',')})`,
        );
      }
      row(
        'queue: 4 at once / 1 at once (one process, speed-up)',
        fmt(results.queue.fourOverOne, 2),
        '≥ 3',
        check(results.queue.fourOverOne >= 3),
      );
      row(
        'queue: 2 processes / 1 process (4 at once each, speed-up)',
        fmt(results.queue.twoProcessesOverOne, 2),
        'report',
      );
    } finally {
      await landscape.stop();
    }
  }

  if (only.has('e2e') || only.has('scale') || only.has('latency')) {
    const landscape = await startLandscape('bench-e2e-small', small.accounts, small.per);
    try {
      let smallDatabase = null;
      let smallIds: number[] = [];
      if (only.has('e2e') || only.has('latency')) {
        smallDatabase = await server.fresh('e2e_small');
        const ids = await createAccounts(smallDatabase, landscape);
        smallIds = ids;
        log(`end to end: full sync of ${small.accounts} × ${small.per} peers…`);
        const child = await runChild('job', landscape, smallDatabase, ids, 1);
        results.endToEnd.small = figuresOf(child, small.accounts, small.per);
        log(`  ${fmt(results.endToEnd.small.peersPerSecond)} peers/s, ${results.endToEnd.small.statuses.join(',')}`);
      }
      if (only.has('latency') && smallDatabase !== null) {
        // The same peers again with 60 ms added per call: the job (peers resolved, ~10% of the dialogs
        // changed) against a bare GramJS loop making the same getPeerDialogs calls with no database.
        const changeTenPercent = () =>
          landscape.accounts.forEach(({ userId, peers }) =>
            peers.forEach((peer, index) => {
              if (index % 10 === 0)
                landscape.world.patchDialog(userId, peer, {
                  unreadCount: (landscape.world.dialog(userId, peer)?.unreadCount ?? 0) + 1,
                });
            }),
          );
        changeTenPercent();
        const latencyMs = 60;
        const fault = landscape.server.faults.latency(latencyMs);
        log(
          `latency: job vs bare GramJS loop, ${small.accounts} × ${small.per} peers, +${latencyMs} ms per call, ${config.latencyPairs} interleaved pairs…`,
        );
        const pairs: { job: SyncFigures; bare: SyncFigures }[] = [];
        for (let pair = 0; pair < config.latencyPairs; pair += 1) {
          if (pair > 0) changeTenPercent();
          const job = figuresOf(
            await runChild('job', landscape, smallDatabase, smallIds, 1),
            small.accounts,
            small.per,
          );
          const bare = figuresOf(await runChild('bare', landscape, null, smallIds, 1), small.accounts, small.per);
          pairs.push({ job, bare });
          log(`  pair ${pair + 1}: job ${fmt(job.peersPerSecond)} peers/s, bare ${fmt(bare.peersPerSecond)} peers/s`);
        }
        fault.remove();
        const wire = 100 / (latencyMs / 1000);
        const job = pairs.map((p) => p.job).sort((a, b) => a.peersPerSecond - b.peersPerSecond)[
          Math.floor((pairs.length - 1) / 2)
        ]!;
        const bare = pairs.map((p) => p.bare).sort((a, b) => a.peersPerSecond - b.peersPerSecond)[
          Math.floor((pairs.length - 1) / 2)
        ]!;
        const jobOverBare = median(pairs.map((p) => p.job.peersPerSecond / p.bare.peersPerSecond));
        results.latency = { latencyMs, job, bare, jobOverBare, wireLimitPeersPerSecond: wire, pairs };
      }
      if (smallDatabase !== null) await smallDatabase.drop();
      if (only.has('scale')) {
        // Leaks: the same job process syncing a smaller set again and again (run 1 full, then re-syncs).
        const subset = { ...landscape, accounts: landscape.accounts.slice(0, config.leakAccounts) };
        const database = await server.fresh('e2e_leak');
        const ids = await createAccounts(database, subset);
        log(
          `leaks: ${config.leakRuns} consecutive runs of ${subset.accounts.length} × ${small.per} peers in one process…`,
        );
        const child = await runChild('job', subset, database, ids, config.leakRuns);
        const heap = child.runs.map((run) => run.heapAfterGcMb);
        results.scaling.heapAfterEachRunMb = heap;
        results.scaling.heapGrowthRun2To10Mb = (heap.at(-1) ?? NaN) - (heap[1] ?? NaN);
        // The same runs with V8's optimising compilers off: what remains is retained objects, without
        // the machine code and feedback V8 keeps adding for functions that turn hot (see README).
        log(`leaks: the same ${config.leakRuns} runs with V8's optimising compilers off…`);
        const interpreted = await runChild('job', subset, database, ids, config.leakRuns, JIT_OFF_FLAGS);
        const objectsOnly = interpreted.runs.map((run) => run.heapAfterGcMb);
        results.scaling.heapAfterEachRunJitOffMb = objectsOnly;
        results.scaling.heapGrowthRun2To10JitOffMb = (objectsOnly.at(-1) ?? NaN) - (objectsOnly[1] ?? NaN);
        await database.drop();
      }
    } finally {
      await landscape.stop();
    }
  }
  if (only.has('e2e')) {
    const landscape = await startLandscape('bench-e2e-large', large.accounts, large.per);
    try {
      const database = await server.fresh('e2e_large');
      const ids = await createAccounts(database, landscape);
      log(`end to end: full sync of ${large.accounts} × ${large.per} peers…`);
      results.endToEnd.large = figuresOf(await runChild('job', landscape, database, ids, 1), large.accounts, large.per);
      log(`  ${fmt(results.endToEnd.large.peersPerSecond)} peers/s, ${results.endToEnd.large.statuses.join(',')}`);
      log('end to end: unchanged re-sync…');
      const resync = figuresOf(await runChild('job', landscape, database, ids, 1), large.accounts, large.per);
      const totals = await latestRunTotals(database);
      results.endToEnd.unchangedResync = { ...resync, contentRowsWritten: totals.contentRowsWritten };
      await database.drop();
    } finally {
      await landscape.stop();
    }
  }

  const e2e = results.endToEnd;
  for (const [label, f] of [
    ['small', e2e.small],
    ['large', e2e.large],
    ['unchanged re-sync', e2e.unchangedResync],
  ] as const) {
    if (f === undefined) continue;
    const name = `${label === 'unchanged re-sync' ? 'unchanged re-sync of' : 'full sync'} ${f.accounts} × ${fmt(f.peersPerAccount)} peers`;
    row(
      `${name}: peers/s`,
      `${fmt(f.peersPerSecond)} (${fmt(f.peersSynced)} peers, ${fmt(f.apiCalls)} API calls, ${fmt(f.wallSeconds, 1)} s)`,
    );
    row(`${name}: job peak RSS`, `${fmt(f.jobPeakRssMb)} MB above baseline (max RSS ${fmt(f.childMaxRssMb)} MB)`);
    if (f.statuses.some((status) => status !== 'succeeded'))
      row(`${name}: run outcomes`, f.statuses.join('; '), 'succeeded', 'MISSED');
  }
  if (e2e.unchangedResync) {
    row(
      'unchanged re-sync: content rows written (sync_runs)',
      fmt(e2e.unchangedResync.contentRowsWritten),
      '0',
      check(e2e.unchangedResync.contentRowsWritten === 0),
    );
  }
  if (results.latency) {
    const l = results.latency;
    row(
      `+${l.latencyMs} ms/call: job peers/s`,
      `${fmt(l.job.peersPerSecond)} (${fmt(l.job.apiCalls)} calls, ${fmt(l.job.wallSeconds, 1)} s)`,
    );
    row(
      `+${l.latencyMs} ms/call: bare GramJS loop peers/s`,
      `${fmt(l.bare.peersPerSecond)} (${fmt(l.bare.apiCalls)} calls, ${fmt(l.bare.wallSeconds, 1)} s)`,
    );
    row(`+${l.latencyMs} ms/call: job / bare loop`, fmt(l.jobOverBare, 2), '≥ 0.9', check(l.jobOverBare >= 0.9));
    row(
      `+${l.latencyMs} ms/call: job / wire limit (${fmt(l.wireLimitPeersPerSecond)} peers/s)`,
      fmt(l.job.peersPerSecond / l.wireLimitPeersPerSecond, 2),
    );
    row(`+${l.latencyMs} ms/call: bare / wire limit`, fmt(l.bare.peersPerSecond / l.wireLimitPeersPerSecond, 2));
  }
  if (e2e.small && e2e.large) {
    const rssRatio = e2e.large.jobPeakRssMb / e2e.small.jobPeakRssMb;
    const timeRatio = e2e.large.msPerPeer / e2e.small.msPerPeer;
    results.scaling.rssRatio = rssRatio;
    results.scaling.timePerPeerRatio = timeRatio;
    row('scaling: peak RSS large / small', fmt(rssRatio, 2), '≤ 1.5', check(rssRatio <= 1.5));
    row(
      'scaling: time per peer large / small',
      `${fmt(timeRatio, 2)} (${fmt(e2e.large.msPerPeer, 2)} vs ${fmt(e2e.small.msPerPeer, 2)} ms)`,
      '≤ 1.2',
      check(timeRatio <= 1.2),
    );
  }
  if (results.scaling.heapAfterEachRunMb) {
    const heap = results.scaling.heapAfterEachRunMb;
    const growth = results.scaling.heapGrowthRun2To10Mb ?? NaN;
    row(
      `leaks: post-GC heap after runs 1…${heap.length} (${config.leakAccounts} × ${small.per} peers each), MB`,
      heap.map((mb) => fmt(mb, 1)).join(' '),
    );
    const perRun = growth / Math.max(1, heap.length - 2);
    row(
      `leaks: heap growth run 2 → ${heap.length}`,
      `${fmt(growth, 2)} MB (${fmt(perRun * 1024, 0)} KB per run)`,
      '≤ 0 (± 0.25 MB noise)',
      check(growth <= 0.25),
    );
  }
  if (results.scaling.heapAfterEachRunJitOffMb) {
    const heap = results.scaling.heapAfterEachRunJitOffMb;
    const growth = results.scaling.heapGrowthRun2To10JitOffMb ?? NaN;
    row(
      `leaks, optimising compilers off: post-GC heap after runs 1…${heap.length}, MB`,
      heap.map((mb) => fmt(mb, 1)).join(' '),
    );
    row(
      `leaks, optimising compilers off: heap growth run 2 → ${heap.length}`,
      `${fmt(growth, 2)} MB`,
      '≤ 0 (± 0.25 MB noise)',
      check(growth <= 0.25),
    );
  }
} finally {
  await server.stop();
}

results.totalSeconds = (Date.now() - startedAt) / 1000;
const widths = [0, 1, 2, 3].map((column) =>
  Math.max(...rows.map((r) => r[column]!.length), ['what', 'figure', 'target', ''][column]!.length),
);
const line = (cells: string[]) => `| ${cells.map((cell, index) => cell.padEnd(widths[index]!)).join(' | ')} |`;
process.stdout.write(
  [
    line(['what', 'figure', 'target', '']),
    line(widths.map((width) => '-'.repeat(width))),
    ...rows.map((r) => line(r)),
  ].join('\n') +
    `\n\n${quick ? 'quick' : 'full'} run, ${results.machine.cpus} CPUs, ${results.machine.node}, ${results.machine.database} PostgreSQL, ${fmt(results.totalSeconds)} s\n`,
);
const file = path.join(projectRoot, 'bench', quick ? 'results.quick.json' : 'results.json');
// A run of some sections (--only) replaces those sections' figures and rows and keeps the others'.
const previous =
  values.only !== undefined && existsSync(file)
    ? (JSON.parse(readFileSync(file, 'utf8')) as { table?: [string, string, string, string][] })
    : {};
const kept = (previous.table ?? []).filter(([what]) => !rows.some(([name]) => name === what));
const merged = {
  ...previous,
  ...Object.fromEntries(
    Object.entries(results).filter(
      ([, value]) =>
        value !== undefined && !(typeof value === 'object' && value !== null && Object.keys(value).length === 0),
    ),
  ),
};
writeFileSync(file, `${JSON.stringify({ ...merged, table: [...kept, ...rows] }, null, 2)}\n`);
log(`written ${path.relative(projectRoot, file)}`);
process.exit(0);
