import assert from 'node:assert/strict';
import { execFileSync, type ChildProcess } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import {
  EmbeddedPostgresError,
  startEmbeddedPostgres,
  type EmbeddedPostgres,
} from '../../../src/dev/embedded-postgres/server.ts';
import { silentLogger } from '../../../src/observability/app-logger.ts';
import { isPostmasterOf, isProcessAlive } from '../../../src/dev/embedded-postgres/process-state.ts';
import { startNode, TSX, type CliRun } from '../../helpers/cli-process.ts';
import { freePort } from '../../helpers/free-port.ts';

const childScript = fileURLToPath(new URL('./embedded-postgres-child.ts', import.meta.url));

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

/** Polls a real condition with a bounded deadline (no fixed sleeps). */
async function waitUntil(condition: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    assert.ok(Date.now() < deadline, `timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

interface ChildServer {
  child: ChildProcess;
  info: { pid: number; port: number; owned: boolean };
  exited: Promise<CliRun>;
}

/** Runs embedded-postgres-child.ts and resolves once it printed READY. */
async function startChild(dataDir: string, port: number, mode: 'hold' | 'exit'): Promise<ChildServer> {
  const server = startNode([...TSX, childScript, dataDir, String(port), mode], process.env);
  const [, info] = await server.waitForOutput(/^READY (.*)\n/m);
  return { child: server.child, info: JSON.parse(info!), exited: server.exited };
}

describe('embedded PostgreSQL', () => {
  let parent: string;
  before(async () => {
    parent = await mkdtemp(path.join(os.tmpdir(), 'embedded-pg-test-'));
    // The server runs as OS user postgres when we are root: it must be able to enter the folder.
    await chmod(parent, 0o755);
  });
  after(() => rm(parent, { recursive: true, force: true }));

  it('initialises once, runs as a non-root OS user, stops cleanly and reuses the folder', async () => {
    const dataDir = path.join(parent, 'reuse');
    const port = await freePort();
    const first = await startEmbeddedPostgres({ dataDir, port, logger: silentLogger, durability: 'fast' });
    let second: EmbeddedPostgres | undefined;
    try {
      assert.equal(first.owned, true);
      assert.equal(isPostmasterOf(first.pid, dataDir), true);
      assert.equal(isPostmasterOf(1, dataDir), false, 'never mistakes another process for the server');
      assert.equal(isPostmasterOf(process.pid, dataDir), false);
      const [row] = await query<{ user: string; db: string }>(
        first.url,
        'SELECT current_user AS user, current_database() AS db',
      );
      assert.deepEqual(row, { user: 'postgres', db: 'tg_dialog_sync' });
      if (process.getuid?.() === 0) {
        const serverUid = (await stat(`/proc/${first.pid}`)).uid;
        assert.notEqual(serverUid, 0, 'PostgreSQL must not run as root');
        assert.equal(serverUid, Number(execFileSync('id', ['-u', 'postgres']).toString()));
      }
      await query(first.url, 'CREATE TABLE survives_restart (id int)');
      const credentials = await readFile(path.join(dataDir, 'tg-dialog-sync-credentials.json'), 'utf8');

      await first.stop();
      assert.equal(isProcessAlive(first.pid), false);
      await assert.rejects(stat(path.join(dataDir, 'postmaster.pid')), { code: 'ENOENT' });

      second = await startEmbeddedPostgres({ dataDir, port, logger: silentLogger, durability: 'fast' });
      assert.equal(
        await readFile(path.join(dataDir, 'tg-dialog-sync-credentials.json'), 'utf8'),
        credentials,
        'not re-initialised',
      );
      assert.deepEqual(await query(second.url, `SELECT to_regclass('survives_restart')::text AS t`), [
        { t: 'survives_restart' },
      ]);
    } finally {
      await first.stop();
      await second?.stop();
    }
  });

  it('recovers after the process that started it was killed with SIGKILL', async () => {
    const dataDir = path.join(parent, 'sigkill');
    const port = await freePort();
    const { child, info, exited } = await startChild(dataDir, port, 'hold');
    child.kill('SIGKILL');
    assert.equal((await exited).signal, 'SIGKILL');
    assert.ok(isProcessAlive(info.pid), 'precondition: the orphaned server is still running');

    const server = await startEmbeddedPostgres({ dataDir, port, logger: silentLogger, durability: 'fast' });
    try {
      assert.equal(server.owned, true, 'the orphan is replaced by a server this process owns');
      assert.notEqual(server.pid, info.pid);
      assert.equal(isProcessAlive(info.pid), false, 'the orphan was shut down');
      const rows = await query<{ pid: number }>(server.url, 'SELECT pid FROM written_by_child');
      assert.deepEqual(rows, [{ pid: child.pid }], 'data written before the kill is kept');
    } finally {
      await server.stop();
    }
    assert.equal(isProcessAlive(server.pid), false);
  });

  it('shares a server whose owner is alive, and the owner stops it when it gets SIGTERM', async () => {
    const dataDir = path.join(parent, 'shared');
    const port = await freePort();
    const { child, info, exited } = await startChild(dataDir, port, 'hold');
    const shared = await startEmbeddedPostgres({ dataDir, port: await freePort(), logger: silentLogger });
    assert.equal(shared.owned, false);
    assert.equal(shared.pid, info.pid);
    assert.equal(shared.port, port, 'connects to the port the running server listens on');
    await shared.stop(); // not ours: must leave it running
    assert.ok(isProcessAlive(info.pid));
    assert.deepEqual(await query(shared.url, 'SELECT 1 AS one'), [{ one: 1 }]);

    child.kill('SIGTERM');
    const { signal } = await exited;
    assert.equal(signal, 'SIGTERM', 'the owner still dies from the signal');
    await waitUntil(() => !isProcessAlive(info.pid), 'the server has stopped');
    await assert.rejects(
      stat(path.join(dataDir, 'postmaster.pid')),
      { code: 'ENOENT' },
      'a clean shutdown removes postmaster.pid',
    );
  });

  it('lets concurrent starts of one folder agree on a single server (in one process and across processes)', async () => {
    const dataDir = path.join(parent, 'concurrent');
    const port = await freePort();
    const [childServer, a, b] = await Promise.all([
      startChild(dataDir, port, 'hold'),
      startEmbeddedPostgres({ dataDir, port, logger: silentLogger, durability: 'fast' }),
      startEmbeddedPostgres({ dataDir, port, logger: silentLogger, durability: 'fast' }),
    ]);
    try {
      const pids = new Set([childServer.info.pid, a.pid, b.pid]);
      assert.equal(pids.size, 1, 'one server');
      assert.equal([childServer.info.owned, a.owned, b.owned].filter(Boolean).length, 1, 'exactly one owner');
      assert.deepEqual(await query(a.url, 'SELECT 1 AS one'), [{ one: 1 }]);
    } finally {
      // Whoever owns it stops it: this process through stop(), the child when it is terminated.
      await Promise.all([a.stop(), b.stop()]);
      childServer.child.kill('SIGTERM');
      await childServer.exited;
      await waitUntil(() => !isProcessAlive(a.pid), 'the server has stopped');
    }
  });

  it('stops the server when the owning process simply exits', async () => {
    const dataDir = path.join(parent, 'exit');
    const { info, exited } = await startChild(dataDir, await freePort(), 'exit');
    assert.equal((await exited).code, 0);
    await waitUntil(() => !isProcessAlive(info.pid), 'the server has stopped');
  });

  it('removes a stale postmaster.pid whose pid belongs to another process', async () => {
    const dataDir = path.join(parent, 'stale');
    const port = await freePort();
    const first = await startEmbeddedPostgres({ dataDir, port, logger: silentLogger, durability: 'fast' });
    await first.stop();
    // PID 1 is alive but is not this folder's server: PostgreSQL alone would refuse to start.
    await writeFile(path.join(dataDir, 'postmaster.pid'), `1\n${dataDir}\n0\n${port}\n\n127.0.0.1\n0 0\nready   \n`);
    const server = await startEmbeddedPostgres({ dataDir, port, logger: silentLogger, durability: 'fast' });
    try {
      assert.equal(server.owned, true);
      assert.ok(isProcessAlive(1), 'PID 1 was left alone');
      assert.deepEqual(await query(server.url, 'SELECT 1 AS one'), [{ one: 1 }]);
    } finally {
      await server.stop();
    }
  });

  it('says so when the port is taken by another program', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as net.AddressInfo;
    try {
      await assert.rejects(
        startEmbeddedPostgres({ dataDir: path.join(parent, 'busy'), port, logger: silentLogger, durability: 'fast' }),
        (error: unknown) =>
          error instanceof EmbeddedPostgresError &&
          error.kind === 'port-in-use' &&
          error.message.includes(String(port)),
      );
    } finally {
      blocker.close();
    }
  });

  it('refuses a data folder it did not create', async () => {
    const dataDir = path.join(parent, 'foreign');
    await import('node:fs/promises').then((fs) => fs.mkdir(dataDir));
    await writeFile(path.join(dataDir, 'something.txt'), 'not a database');
    await assert.rejects(
      startEmbeddedPostgres({ dataDir, port: await freePort(), logger: silentLogger }),
      (error: unknown) => error instanceof EmbeddedPostgresError && error.kind === 'invalid-data-dir',
    );
  });
});
