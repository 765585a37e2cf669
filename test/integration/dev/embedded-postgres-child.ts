// Child process for embedded-postgres.test.ts: starts the embedded server, creates a marker table,
// prints one line `READY {"pid":…,"port":…,"owned":…}`, then either keeps running until it is killed
// (`hold`) or returns without calling stop() so the process ends on its own (`exit`).
import pg from 'pg';
import { startEmbeddedPostgres } from '../../../src/dev/embedded-postgres/server.ts';
import { silentLogger } from '../../../src/observability/app-logger.ts';

const [dataDir, port, mode] = process.argv.slice(2);
if (!dataDir || !port || (mode !== 'hold' && mode !== 'exit')) {
  throw new Error('usage: embedded-postgres-child.ts <dataDir> <port> hold|exit');
}
const server = await startEmbeddedPostgres({ dataDir, port: Number(port), logger: silentLogger, durability: 'fast' });
const client = new pg.Client({ connectionString: server.url });
await client.connect();
await client.query('CREATE TABLE IF NOT EXISTS written_by_child (pid int)');
await client.query('INSERT INTO written_by_child VALUES ($1)', [process.pid]);
await client.end();
process.stdout.write(`READY ${JSON.stringify({ pid: server.pid, port: server.port, owned: server.owned })}\n`);
if (mode === 'hold') setInterval(() => {}, 60_000);
