/**
 * `npm run demo:db [-- --dir DIR --port P]`: starts the embedded PostgreSQL that `npm run demo` filled,
 * so it can be explored with psql or a dashboard, and keeps it running until Ctrl-C (SIGINT) or SIGTERM.
 * Its URL (with the password) is in .data/demo/database-url, readable only by its owner.
 * `--dir` and `--port` exist for the test, which must not share the real demo folder or port.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startEmbeddedPostgres } from '../src/dev/embedded-postgres/server.ts';

const { values } = parseArgs({
  options: {
    dir: { type: 'string', default: resolve(import.meta.dirname, '..', '.data/demo') },
    port: { type: 'string', default: '54349' },
  },
  strict: true,
});
const demoDir = resolve(values.dir);
const port = Number(values.port);

if (!existsSync(join(demoDir, 'postgres'))) {
  process.stderr.write('no demo database yet: run `npm run demo` first\n');
  process.exit(1);
}
const quiet = { info() {}, warn() {}, error() {}, debug() {} };
const database = await startEmbeddedPostgres({
  dataDir: join(demoDir, 'postgres'),
  port,
  logger: quiet,
  database: 'tg_dialog_sync_demo',
});
// The server process is unref'ed on purpose (it never keeps the job alive), and signal listeners do not
// hold the event loop either: without this timer the script ended at once and its exit hook stopped
// the server it had just started. The timer is the "run until Ctrl-C" of this script.
const keepAlive = setInterval(() => {}, 1 << 30);
process.stdout.write(
  `The demo database is running on 127.0.0.1:${port}. Connect with:\n    psql "$(cat ${join(demoDir, 'database-url')})"\nCtrl-C stops it.\n`,
);
const stop = () => {
  clearInterval(keepAlive);
  void database.stop().then(() => process.exit(0));
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
