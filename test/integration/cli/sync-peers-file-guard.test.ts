/**
 * `tg-dialog-sync sync` with SYNC_PEERS_FILE pointing at a damaged file (issues 16.1 and 17.1): an
 * empty, binary or unparseable file, or one that would remove most of an account's peers at once,
 * stops the run with one clear line and changes nothing stored — as a deleted file always did. A
 * deliberate removal is accepted for one run with `--allow-peer-removal`.
 */
import assert from 'node:assert/strict';
import { unlink, writeFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { after, before, beforeEach, describe, it } from 'node:test';
import { runCli, type CliRun } from '../../helpers/cli-process.ts';
import { jobEnvironment } from '../../helpers/job-environment.ts';
import { startSyncHarness, type SyncHarness } from '../../helpers/sync-harness.ts';

/** Characters a terminal acts on (ESC, BEL, NUL, CSI, bidi overrides…): never printed, whatever the input. */
const CONTROL_BYTES = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e]/;

/** A binary file in which one "line" happens to read as a peer (user 15), as a real one did. */
function binaryFile(): Buffer {
  const noise = gzipSync(
    Buffer.from(
      'x'
        .repeat(5000)
        .split('')
        .map((_, index) => String.fromCharCode(32 + ((index * 7919) % 90)))
        .join(''),
    ),
  );
  return Buffer.concat([noise, Buffer.from('\n15\n\u001b[2J\u0007'), noise]);
}

describe('tg-dialog-sync sync with a damaged peers file', () => {
  let harness: SyncHarness;
  let env: NodeJS.ProcessEnv;
  let peersFile: string;
  let peers: bigint[];
  const PEERS = 60;

  before(async () => {
    harness = await startSyncHarness({
      label: 'cli_peers_guard',
      world: { seed: 'cli-peers-guard', peers: 300, accounts: 1 },
    });
    const me = harness.world.userAccounts[0]!.userId;
    const account = await harness.account(me, 'main');
    peers = harness.world.peerDialogPeers(me).slice(0, PEERS);
    env = await jobEnvironment(harness, {
      accounts: [{ account, session: harness.server.sessionFor(me) }],
      peers: peers.map(String),
    });
    peersFile = env.SYNC_PEERS_FILE as string;
    const first = await runCli(['sync'], env);
    assert.equal(first.code, 0, first.stdout + first.stderr);
    assert.match(first.stdout, new RegExp(`main: succeeded — ${PEERS} synced`));
  });
  after(() => harness?.close());

  const enabledPeers = async () =>
    (await harness.sql.query(`SELECT count(*)::int AS n FROM configured_peers WHERE enabled`)).rows[0].n as number;
  const configuredSnapshot = async () =>
    (
      await harness.sql.query(`SELECT normalized_input, enabled, updated_at FROM configured_peers ORDER BY id`)
    ).rows.map((row) => JSON.stringify(row));
  const runCount = async () =>
    (await harness.sql.query(`SELECT count(*)::int AS n FROM sync_runs`)).rows[0].n as number;
  /** The lines a person reads: stderr without JSON log lines. */
  const errorLines = (run: CliRun) =>
    run.stderr.split('\n').filter((line) => line.trim() !== '' && !line.startsWith('{'));

  beforeEach(async () => {
    await writeFile(peersFile, peers.map(String).join('\n'));
  });

  /** A file refused as a whole: exit 1, one line naming the file and the problem, nothing stored changed, no run. */
  async function assertRefusedWhole(problem: RegExp): Promise<CliRun> {
    const before = await configuredSnapshot();
    const runsBefore = await runCount();
    const callsBefore = harness.server.callLog.calls('messages.GetPeerDialogs').length;
    const run = await runCli(['sync'], env);
    assert.equal(run.code, 1, run.stdout + run.stderr);
    const lines = errorLines(run);
    assert.equal(lines.length, 1, run.stderr);
    assert.match(
      lines[0]!,
      new RegExp(
        `peers file ${peersFile.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} ${problem.source}.*nothing was changed`,
      ),
    );
    assert.doesNotMatch(run.stdout, /succeeded/);
    assert.doesNotMatch(run.stdout + run.stderr, CONTROL_BYTES, 'no raw control bytes are printed');
    assert.deepEqual(await configuredSnapshot(), before, 'configured_peers is unchanged');
    assert.equal(await enabledPeers(), PEERS);
    assert.equal(await runCount(), runsBefore, 'no run was started');
    assert.equal(harness.server.callLog.calls('messages.GetPeerDialogs').length, callsBefore, 'Telegram was not asked');
    return run;
  }

  it('refuses an empty file (0 bytes, as a full disk leaves it)', async () => {
    await writeFile(peersFile, '');
    await assertRefusedWhole(/is empty \(0 bytes\)/);
  });

  it('refuses a binary file without echoing its bytes, and does not take user 15 from it', async () => {
    await writeFile(peersFile, binaryFile());
    await assertRefusedWhole(/is not a text file \(a NUL byte at offset \d+\)/);
    assert.equal(
      (await harness.sql.query(`SELECT count(*)::int AS n FROM configured_peers WHERE normalized_input = 'id:user:15'`))
        .rows[0].n,
      0,
    );
  });

  it('refuses a text file with terminal control characters in it (ESC, BEL)', async () => {
    await writeFile(peersFile, [...peers.map(String), '\u001b[2J\u0007'].join('\n'));
    await assertRefusedWhole(new RegExp(`is not a text file \\(control character 0x1b on line ${PEERS + 1}\\)`));
  });

  it('refuses a file that is not valid UTF-8 (e.g. Latin-1)', async () => {
    await writeFile(
      peersFile,
      Buffer.concat([Buffer.from(peers.map(String).join('\n')), Buffer.from('\n# caf\xe9\n', 'latin1')]),
    );
    await assertRefusedWhole(/is not a text file \(not valid UTF-8 at offset \d+\)/);
  });

  it('refuses a YAML file with a syntax error instead of skipping every line (17.1)', async () => {
    const yamlFile = peersFile.replace(/\.txt$/, '.yaml');
    await writeFile(yamlFile, `main:\n  - "${peers[0]}"\n  - [unclosed\n  - "${peers[1]}"\n`);
    const yamlEnv = { ...env, SYNC_PEERS_FILE: yamlFile };
    const before = await configuredSnapshot();
    const run = await runCli(['sync'], yamlEnv);
    assert.equal(run.code, 1, run.stdout + run.stderr);
    const lines = errorLines(run);
    assert.equal(lines.length, 1, run.stderr);
    assert.match(lines[0]!, /peers file .*peers\.yaml is not valid YAML: line \d+: .*nothing was changed/);
    assert.deepEqual(await configuredSnapshot(), before);
  });

  it('refuses, per account, a file that would remove most peers at once, and names the way to accept it', async () => {
    const kept = peers.slice(0, 15);
    await writeFile(peersFile, kept.map(String).join('\n'));
    const before = await configuredSnapshot();
    const callsBefore = harness.server.callLog.calls('messages.GetPeerDialogs').length;
    const refused = await runCli(['sync'], env);
    assert.equal(refused.code, 1, refused.stdout + refused.stderr);
    assert.match(
      refused.stdout,
      /^main: failed — 0 synced, .* — the peers file would remove 45 of the account's 60 peers at once \(more than SYNC_PEERS_FILE_MAX_REMOVAL_PERCENT=50%\), so nothing was changed.*tg-dialog-sync sync --allow-peer-removal/m,
    );
    assert.deepEqual(await configuredSnapshot(), before, 'configured_peers is unchanged');
    assert.equal(harness.server.callLog.calls('messages.GetPeerDialogs').length, callsBefore, 'nothing was synced');
    const { rows } = await harness.sql.query(
      `SELECT status, error_kind, error_text FROM sync_runs ORDER BY id DESC LIMIT 1`,
    );
    assert.deepEqual(
      [rows[0].status, rows[0].error_kind],
      ['failed', 'peers_file_removal'],
      'the refusal is recorded in sync_runs',
    );

    // Fewer than the limit is an ordinary edit.
    await writeFile(
      peersFile,
      peers
        .slice(0, PEERS - 10)
        .map(String)
        .join('\n'),
    );
    const edit = await runCli(['sync'], env);
    assert.equal(edit.code, 0, edit.stdout + edit.stderr);
    assert.equal(await enabledPeers(), PEERS - 10);

    // On purpose: accepted for one run.
    await writeFile(peersFile, kept.map(String).join('\n'));
    const accepted = await runCli(['sync', '--allow-peer-removal'], env);
    assert.equal(accepted.code, 0, accepted.stdout + accepted.stderr);
    assert.match(accepted.stdout, /main: succeeded — 15 synced/);
    assert.equal(await enabledPeers(), 15);
    // Back to the full list: adding is never limited.
    await writeFile(peersFile, peers.map(String).join('\n'));
    const restored = await runCli(['sync'], env);
    assert.equal(restored.code, 0, restored.stdout + restored.stderr);
    assert.equal(await enabledPeers(), PEERS);
  });

  it('still reads a file with a few bad lines, reporting each cut short and without control characters', async () => {
    const longLine = 'y'.repeat(10_000);
    await writeFile(peersFile, [...peers.map(String), longLine, 'bad\u009b31m\u202eline'].join('\n'));
    const run = await runCli(['sync'], env);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match(run.stdout, new RegExp(`main: succeeded — ${PEERS} synced`));
    const warnings = (run.stdout + run.stderr).split('\n').filter((line) => line.includes('the line is skipped'));
    assert.equal(warnings.length, 2, run.stdout + run.stderr);
    for (const warning of warnings) assert.ok(warning.length < 1000, `a warning of ${warning.length} characters`);
    assert.doesNotMatch(run.stdout + run.stderr, CONTROL_BYTES);
  });

  it('a deleted file is refused the same way (as before)', async () => {
    await unlink(peersFile);
    await assertRefusedWhole(/cannot be read \(ENOENT\)/);
  });
});
