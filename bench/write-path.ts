/**
 * Benchmark 1, the write path: the same mapped replies written by (a) the job's writer as the job calls
 * it, (b) a hand-written plain-pg writer and (c) the naive one-Prisma-upsert-per-row writer, into fresh
 * migrated databases: first empty, then over the filled database with about 10% of the rows changed.
 * Repetitions are interleaved (a b c a b c …) and medians reported; the tables are checked identical.
 */
import { createPrismaClient } from '../src/db/prisma-client.ts';
import { mapPeerDialogs } from '../src/telegram/mapping/map-peer-dialogs.ts';
import type { BatchRows } from '../src/model/rows.ts';
import { prismaTransactor } from '../src/store/transaction.ts';
import { writeBatch } from '../src/store/write-batch.ts';
import {
  createAccountRow,
  connectPg,
  decodedReplies,
  diffDigests,
  median,
  tableDigests,
  World,
  type BenchServer,
} from './common.ts';
import { HANDWRITTEN_SESSION_SETTINGS, writeBatchHandwritten } from './handwritten-writer.ts';
import { writeBatchNaive } from './naive-writer.ts';

export interface WritePathOptions {
  peers: number;
  repetitions: number;
  /** The naive writer is ~50× slower: it writes only the first `naiveBatches` replies (rows/s stays comparable). */
  naiveBatches: number;
  log: (line: string) => void;
}

export interface PassFigures {
  rows: number;
  /** Median rows/s of each writer; the ratios are medians of the per-repetition ratios. */
  job: number;
  handwritten: number;
  naive: number;
  jobOverHandwritten: number;
  jobOverNaive: number;
  /** Median ms per 100-peer batch. */
  jobMsPerBatch: number;
  handwrittenMsPerBatch: number;
  naiveMsPerBatch: number;
}

export interface WritePathResult {
  peers: number;
  batches: number;
  repetitions: number;
  naiveBatches: number;
  rowsPerPass: number;
  changedRowsSecondPass: number;
  changedFraction: number;
  /** Mapping (TL → rows, incl. tlToJson) per 100-peer reply, ms: not part of the write figures. */
  mapMsPerReply: number;
  empty: PassFigures;
  filled: PassFigures;
  identicalTables: boolean;
  identicalDetails: string[];
}

const countRows = (rows: BatchRows) =>
  rows.users.length +
  rows.accountUsers.length +
  rows.chats.length +
  rows.accountChats.length +
  rows.channels.length +
  rows.accountChannels.length +
  rows.dialogs.length +
  rows.messages.length +
  (rows.state === null ? 0 : 1);

type Writer = 'job' | 'handwritten' | 'naive';

export async function benchWritePath(server: BenchServer, options: WritePathOptions): Promise<WritePathResult> {
  const { log } = options;
  const world = World.generate({ seed: 'bench-write-path', peers: Math.ceil(options.peers * 1.75), accounts: 1 });
  const me = world.userAccounts[0]!.userId;
  const peers = world.peerDialogPeers(me).slice(0, options.peers);
  if (peers.length < options.peers) throw new Error(`the world has only ${peers.length} dialog peers`);
  const context = { accountId: 1, selfUserId: me };

  log(`write path: building and decoding ${peers.length / 100} replies twice…`);
  const firstReplies = decodedReplies(world, me, peers);
  const first = firstReplies.map((reply) => mapPeerDialogs(context, reply));
  // Mapping measured warm (the first pass above also JIT-compiles it), as in a long-running job.
  let started = performance.now();
  for (const reply of firstReplies) mapPeerDialogs(context, reply);
  const mapMsPerReply = (performance.now() - started) / firstReplies.length;
  firstReplies.length = 0;
  // ~10% of the rows change: every 10th dialog gets new counters, every 10th peer a new
  // message, every 10th a new name.
  peers.forEach((peer, index) => {
    if (index % 10 === 0) world.patchDialog(me, peer, { unreadCount: (world.dialog(me, peer)?.unreadCount ?? 0) + 3 });
    if (index % 10 === 2)
      world.postMessage(peer, peer > 0n ? { accountUserId: me, text: `bench ${index}` } : { text: `bench ${index}` });
    if (index % 10 === 5)
      world.renamePeer(peer, peer > 0n ? { firstName: `Renamed ${index}` } : { title: `Renamed ${index}` });
  });
  const second = decodedReplies(world, me, peers).map((reply) => mapPeerDialogs(context, reply));
  const rowsPerPass = first.reduce((sum, rows) => sum + countRows(rows), 0);
  const naiveFirst = first.slice(0, options.naiveBatches);
  const naiveSecond = second.slice(0, options.naiveBatches);

  const samples: Record<'empty' | 'filled', Record<Writer, { rowsPerSecond: number; msPerBatch: number }[]>> = {
    empty: { job: [], handwritten: [], naive: [] },
    filled: { job: [], handwritten: [], naive: [] },
  };
  let changedRowsSecondPass = 0;
  const problems: string[] = [];
  let referenceDigests: Record<string, string> | null = null;
  let naiveReferenceDigests: Record<string, string> | null = null;

  const runWriter = async (writer: Writer, passes: [BatchRows[], BatchRows[]]) => {
    const database = await server.fresh(writer);
    try {
      const accountId = await createAccountRow(database.url, 'bench', me);
      if (accountId !== context.accountId)
        throw new Error(`expected account id ${context.accountId}, got ${accountId}`);
      const digests = await (async () => {
        if (writer === 'handwritten') {
          const client = await connectPg(database.url);
          try {
            await client.query(HANDWRITTEN_SESSION_SETTINGS);
            for (const [pass, batches] of passes.entries()) {
              const t = performance.now();
              for (const rows of batches) await writeBatchHandwritten(client, rows, null);
              record(pass, writer, batches, performance.now() - t);
            }
          } finally {
            await client.end();
          }
        } else {
          const prisma = createPrismaClient(database.url, { applicationName: `bench-${writer}`, maxConnections: 2 });
          try {
            await prisma.$queryRawUnsafe('SELECT 1');
            const transact = prismaTransactor(prisma);
            for (const [pass, batches] of passes.entries()) {
              let changed = 0;
              const t = performance.now();
              for (const rows of batches) {
                if (writer === 'job') {
                  const written = await transact((db) => writeBatch(db, rows, { runId: null }));
                  for (const value of Object.values(written)) {
                    if (typeof value === 'object' && value !== null) changed += value.inserted + value.updated;
                  }
                } else {
                  await writeBatchNaive(prisma, rows, null);
                }
              }
              record(pass, writer, batches, performance.now() - t);
              if (writer === 'job' && pass === 1 && batches === second) changedRowsSecondPass = changed;
            }
          } finally {
            await prisma.$disconnect();
          }
        }
        return tableDigests(database.url);
      })();
      return digests;
    } finally {
      await database.drop();
    }
  };

  const record = (pass: number, writer: Writer, batches: BatchRows[], ms: number) => {
    const rows = batches.reduce((sum, batch) => sum + countRows(batch), 0);
    samples[pass === 0 ? 'empty' : 'filled'][writer].push({
      rowsPerSecond: rows / (ms / 1000),
      msPerBatch: ms / batches.length,
    });
  };

  // The reference for the naive writer's subset: the job's writer over the same subset (untimed sample discarded).
  naiveReferenceDigests = await runWriter('job', [naiveFirst, naiveSecond]);
  samples.empty.job.length = 0;
  samples.filled.job.length = 0;

  for (let repetition = 1; repetition <= options.repetitions; repetition += 1) {
    for (const writer of ['job', 'handwritten', 'naive'] as const) {
      started = performance.now();
      const digests = await runWriter(writer, writer === 'naive' ? [naiveFirst, naiveSecond] : [first, second]);
      if (writer === 'naive') {
        problems.push(...diffDigests(naiveReferenceDigests, digests).map((d) => `naive≠job: ${d}`));
      } else if (referenceDigests === null) {
        referenceDigests = digests;
      } else {
        problems.push(...diffDigests(referenceDigests, digests).map((d) => `${writer}≠job: ${d}`));
      }
      const last = (pass: 'empty' | 'filled') => samples[pass][writer].at(-1)!.rowsPerSecond.toFixed(0);
      log(
        `  repetition ${repetition}, ${writer}: ${last('empty')} rows/s empty, ${last('filled')} rows/s filled (${((performance.now() - started) / 1000).toFixed(1)} s)`,
      );
    }
  }

  const figures = (pass: 'empty' | 'filled', rows: number): PassFigures => {
    const m = (writer: Writer, key: 'rowsPerSecond' | 'msPerBatch') =>
      median(samples[pass][writer].map((sample) => sample[key]));
    const job = m('job', 'rowsPerSecond');
    const handwritten = m('handwritten', 'rowsPerSecond');
    const naive = m('naive', 'rowsPerSecond');
    // Ratios paired per repetition (a and b ran back to back), then the median: drift of the machine's
    // load between repetitions cancels out.
    const paired = (other: Writer) =>
      median(
        samples[pass].job.map((sample, index) => sample.rowsPerSecond / samples[pass][other][index]!.rowsPerSecond),
      );
    return {
      rows,
      job,
      handwritten,
      naive,
      jobOverHandwritten: paired('handwritten'),
      jobOverNaive: paired('naive'),
      jobMsPerBatch: m('job', 'msPerBatch'),
      handwrittenMsPerBatch: m('handwritten', 'msPerBatch'),
      naiveMsPerBatch: m('naive', 'msPerBatch'),
    };
  };
  return {
    peers: peers.length,
    batches: first.length,
    repetitions: options.repetitions,
    naiveBatches: naiveFirst.length,
    rowsPerPass,
    changedRowsSecondPass,
    changedFraction: changedRowsSecondPass / rowsPerPass,
    mapMsPerReply,
    empty: figures('empty', rowsPerPass),
    filled: figures(
      'filled',
      second.reduce((sum, rows) => sum + countRows(rows), 0),
    ),
    identicalTables: problems.length === 0,
    identicalDetails: [...new Set(problems)],
  };
}
