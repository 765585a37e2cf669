/**
 * `telegram-test-server --peers 500 --seed 1 [--accounts N] [--bots N] [--port P] [--dcs 2,3]
 *  [--fault SPEC]… [--key-dir DIR] [--log-calls]` (the package's bin, bin/telegram-test-server.mjs;
 *  `npm run telegram:local -- …` in the project)
 *
 * Starts the local Telegram data center with a generated world, writes its RSA public key to a file
 * and prints the settings the job needs, the accounts' login data and pre-seeded session strings.
 * Stops cleanly on SIGINT/SIGTERM.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { FAULT_KINDS, parseFaultSpec } from './fault-spec.ts';
import { startLocalTelegramServer } from './server.ts';
import { World } from './world/index.ts';

/** The job reads a bare TELEGRAM_TEST_DC_PORT as DC 2 (the main DC). */
const MAIN_TEST_DC_ID = 2;

const USAGE = `usage: telegram-test-server [options]   (in the project: npm run telegram:local -- [options])
  --peers N          peers in the generated world (default 500)
  --seed S           world seed (default 1)
  --accounts N       user accounts (default 1)
  --bots N           bot accounts (default 1)
  --port P           port of DC ${MAIN_TEST_DC_ID}; DC d listens at P + (d - ${MAIN_TEST_DC_ID}) (default 44302)
  --dcs LIST         data centers to run, e.g. 2,3 (default ${MAIN_TEST_DC_ID}; the first is the main DC)
  --fault SPEC       a fault, repeatable; kinds: ${FAULT_KINDS.join(', ')}
                     e.g. flood-wait:seconds=30,method=messages.getPeerDialogs,every=5
  --key-dir DIR      where to write dc-public-key.pem (default: a new temp dir)
  --log-calls        print every call as it ends
  --help`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      peers: { type: 'string', default: '500' },
      seed: { type: 'string', default: '1' },
      accounts: { type: 'string', default: '1' },
      bots: { type: 'string', default: '1' },
      port: { type: 'string', default: '44302' },
      dcs: { type: 'string', default: String(MAIN_TEST_DC_ID) },
      fault: { type: 'string', multiple: true, default: [] },
      'key-dir': { type: 'string' },
      'log-calls': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const number = (name: string, raw: string): number => {
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a non-negative integer, got "${raw}"`);
    return n;
  };
  const seed = /^\d+$/.test(values.seed) ? Number(values.seed) : values.seed;
  const dcIds = values.dcs.split(',').map((d) => number('dcs', d.trim()));
  const basePort = number('port', values.port);
  const world = World.generate({
    seed,
    peers: number('peers', values.peers),
    accounts: number('accounts', values.accounts),
    botAccounts: number('bots', values.bots),
  });
  const server = await startLocalTelegramServer({
    world,
    dataCenters: dcIds,
    ports: Object.fromEntries(dcIds.map((d) => [d, basePort === 0 ? 0 : basePort + d - MAIN_TEST_DC_ID])),
    seed: typeof seed === 'number' ? seed : 1,
    callLogLimit: 10_000,
  });
  const resolveAccount = (ref: string): bigint => {
    const account = /^\+?[\d ]{8,}$/.test(ref) ? world.accountByPhone(ref) : world.accountByUserId(BigInt(ref));
    if (!account) throw new Error(`--fault account=${ref}: no such account`);
    return account.userId;
  };
  for (const spec of values.fault) server.faults.add(parseFaultSpec(spec, resolveAccount));

  const keyDir = values['key-dir'] ?? mkdtempSync(join(tmpdir(), 'local-telegram-'));
  mkdirSync(keyDir, { recursive: true });
  const keyFile = join(keyDir, 'dc-public-key.pem');
  writeFileSync(keyFile, server.publicKeyPem);
  const peers = writePeersFile(world, join(keyDir, 'peers.txt'));

  const lines = [
    `Local Telegram data center: world seed ${String(seed)}, ${values.peers} peers`,
    ...server.dataCenters.map((dc) => `  DC ${dc.dcId}: ${dc.host}:${dc.port}`),
    '',
    'Settings for the job:',
    `TELEGRAM_TEST_DC_HOST=${server.host}`,
    // The job's format: a bare port is DC 2; several DCs as dcId:port pairs.
    `TELEGRAM_TEST_DC_PORT=${
      server.dataCenters.length === 1 && server.mainDcId === MAIN_TEST_DC_ID
        ? server.port()
        : server.dataCenters.map((dc) => `${dc.dcId}:${dc.port}`).join(',')
    }`,
    `TELEGRAM_TEST_DC_PUBLIC_KEY_FILE=${keyFile}`,
    `TELEGRAM_API_ID=${server.apiId}`,
    `TELEGRAM_API_HASH=${server.apiHash}`,
    `SYNC_PEERS_FILE=${peers.file}`,
    '',
    ...(peers.account
      ? [
          `Peers to sync (the ${peers.count} dialogs of user ${peers.account}, one per line in SYNC_PEERS_FILE), e.g.:`,
          `  ${peers.examples.join(' ')}`,
          `or add some by hand: tg-dialog-sync peers add ${peers.examples.slice(0, 2).join(' ')} --account <label>`,
          '',
        ]
      : []),
    'Accounts:',
  ];
  for (const account of world.accounts) {
    const login = account.isBot
      ? `bot token ${account.botToken ?? '(none)'}`
      : `phone +${account.phone}, code ${account.loginCode}${account.password ? `, 2FA password "${account.password}"` : ''}`;
    lines.push(
      `  ${account.isBot ? 'bot ' : 'user'} ${account.userId} ${account.username ? `@${account.username}` : ''} — ${login}`,
    );
    lines.push(`       session: ${server.sessionFor(account.userId)}`);
  }
  if (values.fault.length) lines.push('', `Faults: ${values.fault.join('; ')}`);
  lines.push('', 'Ctrl-C to stop.');
  console.log(lines.join('\n'));

  if (values['log-calls']) {
    let printed = 0;
    const timer = setInterval(() => {
      const entries = server.callLog.entries();
      for (; printed < entries.length; printed++) {
        const e = entries[printed]!;
        const outcome = e.outcome.kind === 'error' ? `${e.outcome.code} ${e.outcome.message}` : e.outcome.kind;
        console.log(
          `[dc${e.dcId} conn${e.connectionId}] ${e.method}${e.peers ? ` (${e.peers.length} peers)` : ''} → ${outcome}`,
        );
      }
    }, 500);
    timer.unref();
  }

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping`);
    server.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

/**
 * Writes the first user account's dialogs as a plain peers file (usernames where the peer has one, else
 * its marked id), so the printed settings are enough for a first `sync`.
 */
function writePeersFile(
  world: World,
  file: string,
): { file: string; account?: bigint; count: number; examples: string[] } {
  const account = world.userAccounts[0];
  if (!account) {
    writeFileSync(file, '# the world has no user account\n');
    return { file, count: 0, examples: [] };
  }
  const specs = world.peerDialogPeers(account.userId).map((marked) => world.specStrings(marked)[0] ?? String(marked));
  writeFileSync(file, [`# dialogs of user ${account.userId} in the local data center`, ...specs].join('\n') + '\n');
  const examples = specs.filter((spec) => /^@\w+$/.test(spec)).slice(0, 5);
  return { file, account: account.userId, count: specs.length, examples };
}

/** A taken port is the usual start-up failure: name the port and the way out instead of a bare EADDRINUSE. */
function describeStartFailure(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const port = (error as { port?: number } | undefined)?.port;
  if (code === 'EADDRINUSE') {
    return `port ${port ?? '?'} is already in use (another data center still running?): stop it, or choose another base port with --port P (--port 0 picks free ports)`;
  }
  if (code === 'EACCES')
    return `port ${port ?? '?'} may not be opened by this user: choose another with --port P (above 1023)`;
  return error instanceof Error ? error.message : String(error);
}

main().catch((error: unknown) => {
  console.error(describeStartFailure(error));
  process.exit(1);
});
