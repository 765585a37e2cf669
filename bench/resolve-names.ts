/**
 * `npm run bench -- --only resolve`: contacts.resolveUsername for names that exist and names that do
 * not, through the job's client (TCP_NODELAY, src/telegram/no-delay-socket.ts) and through a client
 * with GramJS's default socket (Nagle on), interleaved, client and data center in this process. Names
 * that do not exist used to cost ~44 ms per call: after each RPC error GramJS writes a msgs_ack of its
 * own, and Nagle held the next request until the server's delayed ACK.
 */
import { randomBytes } from 'node:crypto';
import { startLocalTelegramServer } from 'telegram-test-server';
import { World } from 'telegram-test-server/world';
import { createLogger } from '../src/observability/logger.ts';
import { createTelegramClient } from '../src/telegram/create-client.ts';
import { openGateway, type TelegramGateway } from '../src/telegram/gateway.ts';
import { configureTestDataCenter } from '../src/telegram/test-data-center.ts';
import { PromisedNetSockets } from 'telegram/extensions/PromisedNetSockets.js';
import { median } from './common.ts';

export interface ResolveFigures {
  calls: number;
  /** Calls per second, medians of the interleaved repetitions. */
  job: { known: number; unknown: number };
  gramjsDefaultSocket: { known: number; unknown: number };
  /** unknown / known, for each client. */
  jobUnknownOverKnown: number;
  defaultUnknownOverKnown: number;
}

export async function benchResolveNames(options: {
  calls: number;
  repetitions: number;
  log: (line: string) => void;
}): Promise<ResolveFigures> {
  const world = World.generate({ seed: 'bench-resolve', peers: 2_000, accounts: 1, resolveFlood: { freeCalls: 1e9 } });
  const server = await startLocalTelegramServer({ world, apiHash: randomBytes(16).toString('hex') });
  const dataCenter = configureTestDataCenter(server.testDataCenterOptions());
  const logger = createLogger({ level: 'silent', format: 'json' });
  const userId = world.userAccounts[0]!.userId;
  const state = world.state;
  const known = [...state.byUsername].filter(([, index]) => state.peers[index]?.kind === 'user').map(([name]) => name);
  const open = async (defaultSocket: boolean): Promise<TelegramGateway> => {
    const client = createTelegramClient({
      session: server.sessionFor(userId),
      apiId: server.apiId,
      apiHash: server.apiHash,
      testDataCenter: dataCenter,
      logger,
    });
    // The same client with GramJS's own socket class: what the job had before TCP_NODELAY.
    if (defaultSocket) (client as unknown as { networkSocket: unknown }).networkSocket = PromisedNetSockets;
    return openGateway({ client, callTimeoutMs: 30_000 });
  };
  const rate = async (gateway: TelegramGateway, names: (index: number) => string) => {
    const started = performance.now();
    for (let index = 0; index < options.calls; index += 1)
      await gateway.resolveUsername(names(index), { accountId: 0, selfUserId: userId }).catch(() => undefined);
    return options.calls / ((performance.now() - started) / 1000);
  };
  let serial = 0;
  const samples = {
    job: { known: [] as number[], unknown: [] as number[] },
    gramjsDefaultSocket: { known: [] as number[], unknown: [] as number[] },
  };
  try {
    for (let repetition = 0; repetition < options.repetitions; repetition += 1) {
      for (const [label, defaultSocket] of [
        ['job', false],
        ['gramjsDefaultSocket', true],
      ] as const) {
        const gateway = await open(defaultSocket);
        try {
          samples[label].known.push(await rate(gateway, (index) => known[index % known.length]!));
          samples[label].unknown.push(await rate(gateway, () => `nobody_here_${(serial += 1)}`));
        } finally {
          await gateway.destroy();
        }
      }
      options.log(
        `  resolve repetition ${repetition + 1}: job ${samples.job.unknown.at(-1)!.toFixed(0)} unknown/s, default socket ${samples.gramjsDefaultSocket.unknown.at(-1)!.toFixed(0)} unknown/s`,
      );
    }
  } finally {
    await server.stop();
  }
  const job = { known: median(samples.job.known), unknown: median(samples.job.unknown) };
  const gramjsDefaultSocket = {
    known: median(samples.gramjsDefaultSocket.known),
    unknown: median(samples.gramjsDefaultSocket.unknown),
  };
  return {
    calls: options.calls,
    job,
    gramjsDefaultSocket,
    jobUnknownOverKnown: median(samples.job.unknown.map((value, index) => value / samples.job.known[index]!)),
    defaultUnknownOverKnown: median(
      samples.gramjsDefaultSocket.unknown.map((value, index) => value / samples.gramjsDefaultSocket.known[index]!),
    ),
  };
}
