/**
 * `tg-dialog-sync peers add|remove|list|import` as child processes against PostgreSQL: configured
 * peers with source 'cli', line-numbered problems, re-enabling, the peers-file refusal, and errors.
 */
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { runCli } from '../../helpers/cli-process.ts';
import { lastErrorLine as lastLine, singleErrorLine, startCliEnvironment, type CliEnvironment } from './cli-harness.ts';

describe('tg-dialog-sync peers', () => {
  let cli: CliEnvironment;

  before(async () => {
    cli = await startCliEnvironment({
      label: 'cli_peers',
      world: { seed: 'cli-peers', peers: 10, accounts: 1, botAccounts: 0 },
    });
    await cli.sql.query(`INSERT INTO accounts (label) VALUES ('main'), ('other')`);
  });
  after(() => cli?.close());

  const configured = async (label = 'main') =>
    (
      await cli.sql.query(
        `SELECT p.input, p.normalized_input, p.source::text AS source, p.enabled FROM configured_peers p JOIN accounts a ON a.id = p.account_id WHERE a.label = $1 ORDER BY p.id`,
        [label],
      )
    ).rows;

  it('adds peers written in any accepted form, and reports a bad argument by position (exit 1)', async () => {
    const run = await runCli(
      [
        'peers',
        'add',
        '--account',
        'main',
        '@Durov',
        'https://t.me/some_channel',
        '-1001234567890',
        'bad peer!',
        't.me/+AbCdEfGhIjKlMn',
      ],
      cli.env,
    );
    assert.equal(run.code, 1);
    assert.equal(run.stdout.trim(), 'account "main": 4 peer(s) added, 0 re-enabled, 0 already configured');
    assert.match(run.stderr, /^argument 4 \("bad peer!"\): .+; not added$/m);
    assert.match(run.stderr.trim().split('\n').at(-1)!, /^error: 1 of 5 peer\(s\) could not be read \(see above\)$/);
    assert.deepEqual(
      (await configured()).map((row) => [row.input, row.normalized_input, row.source, row.enabled]).sort(),
      [
        ['@Durov', 'username:durov', 'cli', true],
        ['https://t.me/some_channel', 'username:some_channel', 'cli', true],
        ['-1001234567890', 'id:channel:1234567890', 'cli', true],
        ['t.me/+AbCdEfGhIjKlMn', 'invite:AbCdEfGhIjKlMn', 'cli', true],
      ].sort(),
    );
  });

  it('recognises a peer written another way as already configured (exit 0)', async () => {
    const run = await runCli(['peers', 'add', '-a', 'main', 'tg://resolve?domain=durov', 'durov'], cli.env);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout.trim(), 'account "main": 0 peer(s) added, 0 re-enabled, 1 already configured');
  });

  it('lists the peers with status, last sync, error and next attempt', async () => {
    await cli.sql.query(
      `UPDATE configured_peers SET status = 'failing', last_error_code = 'CHANNEL_PRIVATE', last_error_text = 'CHANNEL_PRIVATE',
         consecutive_failures = 2, next_attempt_at = '2099-01-02T03:04:05Z', last_synced_at = '2026-01-01T00:00:00Z'
       WHERE normalized_input = 'id:channel:1234567890'`,
    );
    const run = await runCli(['peers', 'list', '--account', 'main'], cli.env);
    assert.equal(run.code, 0, run.stderr);
    const lines = run.stdout.trim().split('\n');
    assert.match(lines[0]!, /^PEER\s+STATUS\s+SOURCE\s+RULE\s+LAST SYNC\s+ERROR\s+NEXT ATTEMPT$/);
    assert.match(run.stdout, /^@Durov\s+pending\s+cli\s+—\s+—\s+—\s+—$/m);
    assert.match(
      run.stdout,
      /^-1001234567890\s+failing\s+cli\s+—\s+2026-01-01 00:00:00Z\s+CHANNEL_PRIVATE ×2\s+2099-01-02 03:04:05Z$/m,
    );
    assert.equal(lines.length, 5);
    // How many wait to be resolved (the three never tried), beside the table.
    assert.match(run.stderr, /^Waiting to be resolved: 3 \(not tried yet: 3\); the next runs resolve them\.$/m);

    const json = await runCli(['peers', 'list', '--account', 'main', '--json'], cli.env);
    const rows = json.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    assert.equal(rows.length, 4);
    assert.deepEqual(
      rows.find((row) => row.input === '-1001234567890'),
      {
        input: '-1001234567890',
        source: 'cli',
        addedByRule: null,
        enabled: true,
        status: 'failing',
        peerType: null,
        peerId: null,
        lastSyncedAt: '2026-01-01T00:00:00.000Z',
        lastErrorCode: 'CHANNEL_PRIVATE',
        lastErrorText: 'CHANNEL_PRIVATE',
        consecutiveFailures: 2,
        nextAttemptAt: '2099-01-02T03:04:05.000Z',
      },
    );
  });

  it('removes peers (disabled, data kept), reports unknown ones (exit 1), and re-enables on add', async () => {
    const run = await runCli(['peers', 'remove', '-a', 'main', 'https://t.me/durov', '@nobody_here'], cli.env);
    assert.equal(run.code, 1);
    assert.equal(run.stdout.trim(), 'account "main": 1 peer(s) removed');
    assert.match(run.stderr, /^"@nobody_here" is not configured for account "main"$/m);
    assert.deepEqual(
      (await configured()).filter((row) => !row.enabled).map((row) => row.input),
      ['@Durov'],
    );

    const list = await runCli(['peers', 'list', '-a', 'main'], cli.env);
    assert.equal(list.stdout.includes('@Durov'), false, 'removed peers are hidden by default');
    const all = await runCli(['peers', 'list', '-a', 'main', '--all'], cli.env);
    assert.match(all.stdout, /^@Durov\s+removed \(pending\)\s+cli/m);

    const again = await runCli(['peers', 'add', '-a', 'main', '@durov'], cli.env);
    assert.equal(again.code, 0, again.stderr);
    assert.equal(again.stdout.trim(), 'account "main": 0 peer(s) added, 1 re-enabled, 0 already configured');
    assert.equal(
      (await configured()).every((row) => row.enabled),
      true,
    );
  });

  it('imports a plain file, reporting bad lines with file and line number (exit 1) and adding the rest', async () => {
    const file = join(cli.directory, 'import.txt');
    await writeFile(
      file,
      ['# peers to import', '@first_peer', 'not a peer!', '', 'https://t.me/second_peer  # a comment', '@durov'].join(
        '\n',
      ),
    );
    const run = await runCli(['peers', 'import', file, '--account', 'other'], cli.env);
    assert.equal(run.code, 1);
    assert.equal(run.stdout.trim(), 'account "other": 3 peer(s) added, 0 re-enabled, 0 already configured');
    assert.match(
      run.stderr,
      new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:3: .+; the line is skipped$`, 'm'),
    );
    assert.deepEqual(
      (await configured('other')).map((row) => row.normalized_input),
      ['username:durov', 'username:first_peer', 'username:second_peer'].sort(),
    );
  });

  it('imports from a YAML map only the account\'s own list and the "*" list (exit 0)', async () => {
    const file = join(cli.directory, 'peers.yaml');
    await writeFile(
      file,
      ['main:', '  - "@yaml_main"', 'other:', '  - "@yaml_other"', '"*":', '  - "@yaml_everyone"'].join('\n'),
    );
    const run = await runCli(['peers', 'import', file, '-a', 'main'], cli.env);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout.trim(), 'account "main": 2 peer(s) added, 0 re-enabled, 0 already configured');
    assert.match(run.stderr, /1 entry is for other accounts and not imported/);
  });

  it('refuses a binary file whole: one line, no control bytes echoed, nothing imported (16.2)', async () => {
    const file = join(cli.directory, 'binary.dat');
    // Compressed noise around a "line" that reads as user 15, as a real binary file had.
    const noise = gzipSync(
      Buffer.from(
        Array.from({ length: 20_000 }, (_, index) => String.fromCharCode(32 + ((index * 7919) % 90))).join(''),
      ),
    );
    await writeFile(file, Buffer.concat([noise, Buffer.from('\n15\n\u001b[2J\u0007\n'), noise]));
    const before = await configured('other');
    const run = await runCli(['peers', 'import', file, '-a', 'other'], cli.env);
    assert.equal(run.code, 1);
    assert.equal(run.stdout, '');
    assert.match(
      singleErrorLine(run),
      /peers file .*binary\.dat is not a text file \(a NUL byte at offset \d+\); fix the file and import it again; nothing was changed$/,
    );
    assert.doesNotMatch(run.stdout + run.stderr, /[\u0000-\u0008\u000b-\u001f\u007f]/, 'no raw control bytes');
    assert.deepEqual(await configured('other'), before);
  });

  it('says "no peer was imported" when no line could be read, and reports at most 20 bad lines, cut short', async () => {
    const file = join(cli.directory, 'all-bad.txt');
    await writeFile(
      file,
      [...Array.from({ length: 30 }, (_, index) => `not a peer ${index}!`), 'w'.repeat(10_000)].join('\n'),
    );
    const run = await runCli(['peers', 'import', file, '-a', 'other'], cli.env);
    assert.equal(run.code, 1);
    assert.equal(run.stdout.trim(), 'account "other": 0 peer(s) added, 0 re-enabled, 0 already configured');
    const lines = run.stderr.trim().split('\n');
    assert.equal(lines.filter((line) => line.endsWith('the line is skipped')).length, 20);
    assert.match(run.stderr, /all-bad\.txt: 11 more line\(s\) could not be read and are skipped/);
    assert.match(
      lines.at(-1)!,
      /^error: 31 line\(s\) of .*all-bad\.txt could not be read \(see above\); no peer was imported$/,
    );
    for (const line of lines) assert.ok(line.length < 400, `a line of ${line.length} characters`);

    const some = join(cli.directory, 'some-bad.txt');
    await writeFile(some, ['@some_good_peer', 'not a peer!'].join('\n'));
    const partly = await runCli(['peers', 'import', some, '-a', 'other'], cli.env);
    assert.equal(partly.code, 1);
    assert.match(
      lastLine(partly),
      /1 line\(s\) of .*some-bad\.txt could not be read \(see above\); the other 1 peer\(s\) were imported$/,
    );
  });

  it('refuses add, remove and import when SYNC_PEERS_FILE is set, pointing to the file; list still works', async () => {
    const peersFile = join(cli.directory, 'configured-peers.txt');
    await writeFile(peersFile, '@durov\n');
    const env = { ...cli.env, SYNC_PEERS_FILE: peersFile };
    for (const args of [
      ['peers', 'add', '-a', 'main', '@x_peer'],
      ['peers', 'remove', '-a', 'main', '@durov'],
      ['peers', 'import', peersFile, '-a', 'main'],
    ]) {
      const run = await runCli(args, env);
      assert.equal(run.code, 1, args.join(' '));
      assert.match(
        singleErrorLine(run),
        new RegExp(
          `SYNC_PEERS_FILE is set \\(${peersFile.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\): that file is the source of truth.*Edit the file instead of \`peers ${args[1]}\``,
        ),
      );
    }
    const list = await runCli(['peers', 'list', '-a', 'main'], env);
    assert.equal(list.code, 0, list.stderr);
    assert.match(list.stdout, /@Durov/);
  });

  it('cuts a 10,000-character account label or file name echoed in its error, and makes it printable', async () => {
    const long = `x\u001b[2J${'y'.repeat(10_000)}`;
    for (const args of [
      ['peers', 'list', '-a', long],
      ['peers', 'import', join(cli.directory, long), '-a', 'main'],
    ]) {
      const run = await runCli(args, cli.env);
      assert.equal(run.code, 1, `${args[0]} ${args[1]}: ${run.stderr}`);
      const line = singleErrorLine(run);
      assert.match(line, /\(10\d\d\d characters\)/, line.slice(0, 300));
      assert.ok(line.length < 400, `${args[0]} ${args[1]}: a line of ${line.length} characters`);
      assert.doesNotMatch(run.stderr, /\u001b/);
    }
  });

  it('errors: unknown account 1, unreadable file 1, usage 2, unreachable database 1 in one line', async () => {
    const unknown = await runCli(['peers', 'list', '-a', 'nobody'], cli.env);
    assert.equal(unknown.code, 1);
    assert.match(singleErrorLine(unknown), /^error: no account "nobody" \(known: main, other\)$/);
    const missingFile = await runCli(['peers', 'import', join(cli.directory, 'missing.txt'), '-a', 'main'], cli.env);
    assert.equal(missingFile.code, 1);
    assert.match(singleErrorLine(missingFile), /cannot read .*missing\.txt \(ENOENT\)/);
    for (const args of [
      ['peers', 'add', '-a', 'main'],
      ['peers', 'bogus'],
      ['peers', 'list'],
      ['peers', 'list', '-a', 'main', '--bogus'],
    ]) {
      const run = await runCli(args, cli.env);
      assert.equal(run.code, 2, `${args.join(' ')}: ${run.stderr}`);
    }
    const down = await runCli(['peers', 'list', '-a', 'main'], {
      ...cli.env,
      DATABASE_URL: 'postgres://u:pw-Sekret-2@127.0.0.1:1/db',
    });
    assert.equal(down.code, 1);
    assert.match(singleErrorLine(down), /^error: cannot reach the database/);
  });
});
