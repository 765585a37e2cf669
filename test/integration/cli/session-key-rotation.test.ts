/**
 * Key rotation of the sessions stored in the database (issue 13, point 5): the worker keeps syncing two
 * accounts on a per-second schedule while `sessions reencrypt` moves their sessions from key 1 to key 2
 * and then to key 3 (key 1 retired). No run fails, every session ends under key 3 and still opens the
 * account, a session under a key nobody lists is reported and left alone, and no key or session is
 * printed.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { databaseSessionStore } from '../../../src/sessions/database-session-store.ts';
import type { AccountRecord } from '../../../src/store/accounts/accounts.ts';
import { prismaExecutor } from '../../../src/store/prisma-executor.ts';
import { exitStatus, runCli, startCli, type CliProcess } from '../../helpers/cli-process.ts';
import { jobEnvironment } from '../../helpers/job-environment.ts';
import { startSyncHarness, type SyncHarness } from '../../helpers/sync-harness.ts';

const key = (keyId: string) => ({ keyId, key: randomBytes(32) });
const K1 = key('2026-01');
const K2 = key('2026-02');
const K3 = key('2026-03');
const base64 = (k: { key: Buffer }) => k.key.toString('base64');
const keyEnv = (current: typeof K1, previous: readonly (typeof K1)[]) => ({
  TELEGRAM_SESSION_ENCRYPTION_KEY: base64(current),
  TELEGRAM_SESSION_KEY_ID: current.keyId,
  TELEGRAM_SESSION_PREVIOUS_KEYS: previous.map((k) => `${k.keyId}=${base64(k)}`).join(','),
});

describe('session key rotation', () => {
  let harness: SyncHarness;
  let accounts: AccountRecord[];
  let env: NodeJS.ProcessEnv;
  let worker: CliProcess;
  const sessions = new Map<number, string>();
  const printed: string[] = [];

  before(async () => {
    harness = await startSyncHarness({
      label: 'key_rotation',
      world: { seed: 'key-rotation', peers: 300, accounts: 2 },
    });
    const users = harness.world.userAccounts.slice(0, 2).map((account) => account.userId);
    accounts = [await harness.account(users[0]!, 'first'), await harness.account(users[1]!, 'second')];
    const store = databaseSessionStore(prismaExecutor(harness.prisma), { current: K1, previous: [] });
    for (const account of accounts) {
      const session = harness.server.sessionFor(account.telegramUserId!);
      sessions.set(account.id, session);
      await store.save(account.label, account.id, session);
    }
    env = await jobEnvironment(harness, { accounts: [], peers: [], extra: { SYNC_CRON: '* * * * * *' } });
    // Each account its own peers (a map from account label to a list).
    const peersFile = join(dirname(String(env.SYNC_PEERS_FILE)), 'peers.yaml');
    const lists = accounts.map(
      (account) =>
        `${account.label}:\n${harness.world
          .peerDialogPeers(account.telegramUserId!)
          .slice(0, 30)
          .map((marked) => `  - "${marked}"`)
          .join('\n')}`,
    );
    await writeFile(peersFile, `${lists.join('\n')}\n`);
    env = { ...env, SYNC_PEERS_FILE: peersFile };
  });
  after(async () => {
    if (worker !== undefined && worker.child.exitCode === null) worker.child.kill('SIGKILL');
    await harness?.close();
  });

  const finishedRuns = () => worker.logLines().filter((line) => line.msg === 'sync run finished').length;
  /** Both accounts finished a run that started after this moment. */
  async function bothAccountsSyncedSince(moment: Date): Promise<void> {
    const seen = async () =>
      (
        await harness.sql.query<{ n: number }>(
          `SELECT count(DISTINCT account_id)::int AS n FROM sync_runs WHERE started_at > $1 AND status = 'succeeded' AND trigger = 'cron'`,
          [moment],
        )
      ).rows[0]!.n;
    while ((await seen()) < 2) {
      const failed = await harness.sql.query(
        `SELECT error_kind, error_text FROM sync_runs WHERE status = 'failed' LIMIT 1`,
      );
      if (failed.rows.length > 0)
        assert.fail(`a run failed: ${failed.rows[0].error_kind}: ${failed.rows[0].error_text}`);
      const stopped = await harness.sql.query(
        `SELECT label, status::text, status_reason FROM accounts WHERE status <> 'active' LIMIT 1`,
      );
      if (stopped.rows.length > 0)
        assert.fail(`account ${stopped.rows[0].label} is ${stopped.rows[0].status}: ${stopped.rows[0].status_reason}`);
      const before = finishedRuns();
      await worker.waitForLog(() => finishedRuns() > before || /cannot be read/.test(worker.stdout()), 60_000);
    }
  }
  const keyIds = async () =>
    (await harness.sql.query<{ key_id: string }>('SELECT key_id FROM account_sessions ORDER BY account_id')).rows.map(
      (row) => row.key_id,
    );
  const reencrypt = async (keys: NodeJS.ProcessEnv) => {
    const run = await runCli(['sessions', 'reencrypt'], { ...env, ...keys });
    printed.push(run.stdout, run.stderr);
    return run;
  };
  const now = async () => (await harness.sql.query<{ now: Date }>('SELECT clock_timestamp() AS now')).rows[0]!.now;

  it('re-encrypts every session twice while the worker keeps syncing, and no run fails', async () => {
    // The worker knows every key in play (the operator's first step of a rotation).
    worker = startCli(['start'], { ...env, ...keyEnv(K3, [K1, K2]), HTTP_PORT: '0' });
    await bothAccountsSyncedSince(new Date(0));

    const first = await reencrypt(keyEnv(K2, [K1]));
    assert.equal(first.code, 0, first.stderr);
    assert.match(
      first.stdout,
      /^Re-encrypted 2 session\(s\) under key id "2026-02" \(2 from "2026-01"\); 0 already under it\.$/m,
    );
    assert.deepEqual(await keyIds(), ['2026-02', '2026-02']);
    await bothAccountsSyncedSince(await now());

    // Key 1 is retired: the second rotation reads with key 2 only.
    const second = await reencrypt(keyEnv(K3, [K2]));
    assert.equal(second.code, 0, second.stderr);
    assert.match(
      second.stdout,
      /^Re-encrypted 2 session\(s\) under key id "2026-03" \(2 from "2026-02"\); 0 already under it\.$/m,
    );
    assert.match(second.stdout, /TELEGRAM_SESSION_PREVIOUS_KEYS can be emptied/);
    assert.deepEqual(await keyIds(), ['2026-03', '2026-03']);
    await bothAccountsSyncedSince(await now());

    // Nothing left to move: the current key alone reads everything.
    const third = await reencrypt(keyEnv(K3, []));
    assert.equal(third.code, 0, third.stderr);
    assert.match(third.stdout, /^Re-encrypted 0 session\(s\) under key id "2026-03"; 2 already under it\.$/m);

    assert.deepEqual(exitStatus(await worker.stop('SIGTERM')), { code: 0, signal: null });
    const runs = await harness.sql.query<{ status: string; n: number }>(
      `SELECT status::text, count(*)::int AS n FROM sync_runs GROUP BY 1 ORDER BY 1`,
    );
    assert.deepEqual(
      runs.rows.filter((row) => !['succeeded', 'interrupted', 'skipped'].includes(row.status)),
      [],
      JSON.stringify(runs.rows),
    );
    assert.ok(runs.rows.find((row) => row.status === 'succeeded')!.n >= 6, JSON.stringify(runs.rows));
    const active = await harness.sql.query(`SELECT label, status::text FROM accounts WHERE status <> 'active'`);
    assert.deepEqual(active.rows, []);
    // The sessions survived both rotations unchanged.
    const store = databaseSessionStore(prismaExecutor(harness.prisma), { current: K3, previous: [] });
    for (const account of accounts) assert.equal(await store.load(account.label, account.id), sessions.get(account.id));
  });

  it('reports a session no configured key reads and leaves it as it was', async () => {
    await databaseSessionStore(prismaExecutor(harness.prisma), { current: K1, previous: [] }).save(
      'first',
      accounts[0]!.id,
      sessions.get(accounts[0]!.id)!,
    );
    const before = await harness.sql.query('SELECT key_id, ciphertext FROM account_sessions ORDER BY account_id');
    const run = await reencrypt(keyEnv(K3, [K2]));
    assert.equal(run.code, 1);
    assert.match(run.stdout, /^Re-encrypted 0 session\(s\) under key id "2026-03"; 1 already under it\.$/m);
    assert.match(
      run.stdout,
      /^1 session\(s\) could not be read and were left as they were; add their key to TELEGRAM_SESSION_PREVIOUS_KEYS/m,
    );
    assert.match(
      run.stdout,
      /^ {2}account "first": key id "2026-01": its key id is not in TELEGRAM_SESSION_PREVIOUS_KEYS$/m,
    );
    assert.deepEqual(
      (await harness.sql.query('SELECT key_id, ciphertext FROM account_sessions ORDER BY account_id')).rows,
      before.rows,
    );
  });

  it('prints no key and no session', () => {
    const output = printed.join('\n') + worker.stdout() + worker.stderr();
    for (const secret of [...[K1, K2, K3].map(base64), ...sessions.values()])
      assert.ok(!output.includes(secret), 'a key or a session was printed');
  });
});
