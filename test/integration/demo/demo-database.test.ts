/**
 * `npm run demo:db` (issue 17.2): it must keep the demo database running until Ctrl-C, so that the
 * `psql "$(cat .data/demo/database-url)"` the demo prints can connect, and then stop it.
 * Runs on a folder and port of its own, not the real demo's.
 */
import assert from 'node:assert/strict';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import pg from 'pg';
import { startEmbeddedPostgres } from '../../../src/dev/embedded-postgres/server.ts';
import { startNode, TSX } from '../../helpers/cli-process.ts';
import { freePort, portIsFree } from '../../helpers/free-port.ts';

const ROOT = join(import.meta.dirname, '../../..');
const quiet = { info() {}, warn() {}, error() {}, debug() {} };

describe('npm run demo:db', () => {
  let demoDir: string | undefined;
  after(async () => {
    if (demoDir) await rm(demoDir, { recursive: true, force: true });
  });

  it('keeps the demo database running until SIGINT, then stops it and exits 0', async () => {
    demoDir = await mkdtemp(join(tmpdir(), 'tg-sync-demo-db-'));
    await chmod(demoDir, 0o755); // the server may run as another OS user (root here), which must enter it
    const port = await freePort();
    // What `npm run demo` leaves behind: a data folder with the demo database in it, server stopped.
    const first = await startEmbeddedPostgres({
      dataDir: join(demoDir, 'postgres'),
      port,
      logger: quiet,
      database: 'tg_dialog_sync_demo',
      durability: 'fast',
    });
    const url = first.url;
    await first.stop();

    const demoDb = startNode(
      [...TSX, join(ROOT, 'scripts/demo-database.ts'), '--dir', demoDir, '--port', String(port)],
      { PATH: process.env.PATH },
      { cwd: ROOT },
    );
    // Rejects (naming how it ended) if demo:db exits while it should keep running.
    await demoDb.waitForOutput(/Ctrl-C stops it\./);

    // The database answers after the script said it runs — and still while the script is alive.
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      assert.equal((await client.query('SELECT current_database() AS db')).rows[0].db, 'tg_dialog_sync_demo');
    } finally {
      await client.end();
    }
    assert.equal(demoDb.child.exitCode, null, `demo:db is still running:\n${demoDb.output()}`);

    const { code } = await demoDb.stop('SIGINT');
    assert.equal(code, 0, demoDb.output());
    assert.equal(await portIsFree(port), true, 'the database was stopped');
  });
});
