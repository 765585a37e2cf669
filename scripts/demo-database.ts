/**
 * `npm run demo:db`: starts the embedded PostgreSQL that `npm run demo` filled, so it can be explored
 * with psql or a dashboard; stops it on Ctrl-C. Its URL (with the password) is in
 * .data/demo/database-url, readable only by its owner.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startEmbeddedPostgres } from '../src/db/embedded-postgres.ts';

const DEMO_DIR = resolve(import.meta.dirname, '..', '.data/demo');

if (!existsSync(join(DEMO_DIR, 'postgres'))) {
  process.stderr.write('no demo database yet: run `npm run demo` first\n');
  process.exit(1);
}
const quiet = { info() {}, warn() {}, error() {}, debug() {} };
const database = await startEmbeddedPostgres({ dataDir: join(DEMO_DIR, 'postgres'), port: 54349, logger: quiet, database: 'tg_dialog_sync_demo' });
process.stdout.write('The demo database is running on 127.0.0.1:54349. Connect with:\n    psql "$(cat .data/demo/database-url)"\nCtrl-C stops it.\n');
const stop = () => {
  void database.stop().then(() => process.exit(0));
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
