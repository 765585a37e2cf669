/**
 * `peers list` of an account with 250,000 configured peers (issue 16.3: it crashed past ~110,000 with
 * "Maximum call stack size exceeded" in the table formatter). The rows are made in SQL, which takes a
 * second; the command itself pages through them.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { runCli } from '../../helpers/cli-process.ts';
import { startCliEnvironment, type CliEnvironment } from './cli-harness.ts';

const PEERS = 250_000;

/** The input the SQL below gives peer n. */
const inputOf = (n: number) => `@peer_${'x'.repeat(n % 7)}${n}`;

describe('tg-dialog-sync peers list with 250,000 peers', () => {
  let cli: CliEnvironment;

  before(async () => {
    cli = await startCliEnvironment({
      label: 'cli_peers_large',
      world: { seed: 'cli-peers-large', peers: 5, accounts: 1, botAccounts: 0 },
    });
    const { rows } = await cli.sql.query(`INSERT INTO accounts (label) VALUES ('big') RETURNING id`);
    // Inputs of varying width; every 1,000th peer failing, so the ERROR and NEXT ATTEMPT columns are filled.
    await cli.sql.query(
      `INSERT INTO configured_peers (account_id, input, normalized_input, source, status, last_error_code, consecutive_failures, next_attempt_at)
       SELECT $1::int, '@peer_' || repeat('x', n % 7) || n, 'username:peer_' || repeat('x', n % 7) || n, 'file',
              CASE WHEN n % 1000 = 0 THEN 'failing'::peer_sync_status ELSE 'pending'::peer_sync_status END,
              CASE WHEN n % 1000 = 0 THEN 'CHANNEL_PRIVATE' END, CASE WHEN n % 1000 = 0 THEN 3 ELSE 0 END,
              CASE WHEN n % 1000 = 0 THEN '2099-01-01T00:00:00Z'::timestamptz END
       FROM generate_series(1, $2::int) AS n`,
      [rows[0].id, PEERS],
    );
    // As autovacuum would soon after an import: without statistics the planner sorts the account's
    // peers for every page (~0.1 s each here) instead of walking the primary key.
    await cli.sql.query('ANALYZE configured_peers');
  });
  after(() => cli?.close());

  it('prints every peer in one aligned table (exit 0)', async () => {
    const run = await runCli(['peers', 'list', '--account', 'big'], cli.env);
    assert.equal(run.code, 0, run.stderr.slice(0, 2000));
    const lines = run.stdout.split('\n');
    assert.equal(lines.pop(), '', 'ends with a newline');
    assert.equal(lines.length, PEERS + 1);
    assert.match(lines[0]!, /^PEER\s+STATUS\s+SOURCE\s+RULE\s+LAST SYNC\s+ERROR\s+NEXT ATTEMPT$/);
    const statusColumn = lines[0]!.indexOf('STATUS');
    // The widest input is "@peer_xxxxxx" + 6 digits (18 characters): PEER is padded to it.
    assert.equal(statusColumn, 18 + 2);
    assert.match(lines[1]!, new RegExp(`^${inputOf(1)}\\s+pending\\s+file\\s+—\\s+—\\s+—\\s+—$`));
    assert.match(
      lines[1000]!,
      new RegExp(`^${inputOf(1000)}\\s+failing\\s+file\\s+—\\s+—\\s+CHANNEL_PRIVATE ×3\\s+2099-01-01 00:00:00Z$`),
    );
    assert.match(lines[PEERS - 1]!, new RegExp(`^${inputOf(PEERS - 1)}\\s+pending`));
    for (const index of [1, 2, 1000, 123_457, PEERS])
      assert.match(lines[index]!.slice(statusColumn), /^(pending|failing)/, `line ${index} is aligned`);
  });

  it('prints every peer as JSON lines with --json', async () => {
    const run = await runCli(['peers', 'list', '--account', 'big', '--json'], cli.env);
    assert.equal(run.code, 0, run.stderr.slice(0, 2000));
    const lines = run.stdout.trim().split('\n');
    assert.equal(lines.length, PEERS);
    assert.equal(JSON.parse(lines.at(-1)!).input, inputOf(PEERS));
  });
});
