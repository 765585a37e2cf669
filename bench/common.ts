/** Shared pieces of `npm run bench`: the database server, fresh databases, replies, statistics. */
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { Api } from 'telegram';
import { BinaryReader } from 'telegram/extensions/index.js';
import { serializeResult } from 'telegram-test-server';
import { World, callWorldMethod } from 'telegram-test-server/world';
import { pgClientConfig } from '../src/db/connection-config.ts';
import { resolveDatabase } from '../src/db/connect.ts';
import { createDatabase, dropDatabase, type CreatedDatabase } from '../src/db/databases.ts';
import { silentLogger } from '../src/observability/app-logger.ts';
import { migrateDatabase } from '../src/db/migrate.ts';

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};

export interface BenchServer {
  /** Any URL on the server (its database part is replaced). */
  serverUrl: string;
  source: 'external' | 'embedded';
  /** A migrated template database to clone. */
  template: string;
  fresh(label: string): Promise<CreatedDatabase>;
  stop(): Promise<void>;
}

/** DATABASE_URL when set, else the embedded PostgreSQL (its own data folder and port, durable as in production). */
export async function startBenchServer(): Promise<BenchServer> {
  const resolved = await resolveDatabase({
    databaseUrl: process.env.DATABASE_URL,
    production: false,
    embedded: {
      dataDir: process.env.BENCH_PG_DATA_DIR ?? path.join(projectRoot, '.data', 'bench-postgres'),
      port: Number(process.env.BENCH_PG_PORT ?? 54339),
      database: 'postgres',
    },
    logger: silentLogger,
  });
  const runId = randomBytes(3).toString('hex');
  const template = await createDatabase({ serverUrl: resolved.url, name: `bench_${runId}_template` });
  await migrateDatabase({
    databaseUrl: template.url,
    migrationsDir: path.join(projectRoot, 'prisma', 'migrations'),
    logger: silentLogger,
  });
  let count = 0;
  return {
    serverUrl: resolved.url,
    source: resolved.source,
    template: template.name,
    fresh: (label) =>
      createDatabase({
        serverUrl: resolved.url,
        name: `bench_${runId}_${label}_${(count += 1)}`,
        template: template.name,
      }),
    async stop() {
      await dropDatabase(resolved.url, template.name).catch(() => undefined);
      await resolved.stop();
    },
  };
}

export async function connectPg(url: string): Promise<pg.Client> {
  const client = new pg.Client(pgClientConfig(url, 'tg-dialog-sync bench'));
  await client.connect();
  return client;
}

/** An account row (foreign key of every per-account table). */
export async function createAccountRow(url: string, label: string, telegramUserId: bigint): Promise<number> {
  const client = await connectPg(url);
  try {
    const { rows } = await client.query<{ id: number }>(
      `INSERT INTO accounts (label, telegram_user_id, status) VALUES ($1, $2, 'active') RETURNING id`,
      [label, telegramUserId.toString()],
    );
    return rows[0]!.id;
  } finally {
    await client.end();
  }
}

/** GramJS-decoded getPeerDialogs replies of `accountUserId` for `peers`, 100 per reply, as the job would receive them. */
export function decodedReplies(
  world: World,
  accountUserId: bigint,
  peers: readonly bigint[],
): Api.messages.PeerDialogs[] {
  const replies: Api.messages.PeerDialogs[] = [];
  for (let start = 0; start < peers.length; start += 100) {
    const request = new Api.messages.GetPeerDialogs({
      peers: peers
        .slice(start, start + 100)
        .map((peer) => new Api.InputDialogPeer({ peer: world.inputPeer(accountUserId, peer) })),
    });
    const bytes = serializeResult(callWorldMethod(world, { accountUserId, isBot: false }, request));
    replies.push(new BinaryReader(bytes).tgReadObject() as Api.messages.PeerDialogs);
  }
  return replies;
}

export { World };

/**
 * Table contents without the columns a writer fills with now() (created_at, updated_at, captured_at,
 * forbidden_since → whether it is set) and without serial ids: one md5 per table.
 */
export async function tableDigests(url: string): Promise<Record<string, string>> {
  const tables = [
    'users',
    'account_users',
    'chats',
    'account_chats',
    'channels',
    'account_channels',
    'dialogs',
    'dialog_snapshots',
    'messages',
    'account_update_states',
  ];
  const client = await connectPg(url);
  try {
    const digests: Record<string, string> = {};
    for (const table of tables) {
      const { rows: columns } = await client.query<{ column_name: string }>(
        `SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1 ORDER BY ordinal_position`,
        [table],
      );
      const selected = columns
        .map(({ column_name: name }) => name)
        .filter(
          (name) =>
            !['created_at', 'updated_at', 'captured_at'].includes(name) &&
            !(table === 'dialog_snapshots' && name === 'id'),
        )
        .map((name) => (name === 'forbidden_since' ? '(forbidden_since IS NOT NULL) AS forbidden_since' : name));
      const { rows } = await client.query<{ digest: string | null; n: number }>(
        `SELECT md5(string_agg(x, '|' ORDER BY x)) AS digest, count(*)::int AS n FROM (SELECT t::text AS x FROM (SELECT ${selected.join(', ')} FROM ${table}) t) q`,
      );
      digests[table] = `${rows[0]?.n ?? 0}:${rows[0]?.digest ?? '-'}`;
    }
    return digests;
  } finally {
    await client.end();
  }
}

export function diffDigests(a: Record<string, string>, b: Record<string, string>): string[] {
  return Object.keys(a)
    .filter((table) => a[table] !== b[table])
    .map((table) => `${table} (${a[table]} vs ${b[table]})`);
}

export const fmt = (value: number, digits = 0): string =>
  Number.isFinite(value)
    ? value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })
    : 'n/a';
