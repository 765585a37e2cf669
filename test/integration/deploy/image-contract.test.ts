/**
 * The contract between the Dockerfile and the program: the image's CMD, run with the image's ENV
 * (production mode) and the environment docker-compose.yml gives the worker, starts a worker whose
 * /healthz satisfies the image's HEALTHCHECK command, and SIGTERM — what `docker stop` sends to the
 * exec-form CMD — stops it cleanly with exit code 0. docker-compose.yml's own worker health check
 * (/readyz) turns unhealthy while the worker cannot reach its database, where the image's /healthz
 * (the process is alive) stays healthy: the worker talks to PostgreSQL through a TCP relay the test
 * cuts and restores.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startNode, type CliProcess } from '../../helpers/cli-process.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.ts';
import { freePort } from '../../helpers/free-port.ts';
import {
  dockerStages,
  envPairs,
  execForm,
  parseDockerfile,
  PROJECT_ROOT,
  readCompose,
  readProjectFile,
} from '../../unit/deploy/deploy-files.ts';

const runtime = dockerStages(parseDockerfile(readProjectFile('Dockerfile'))).at(-1)!;
const instruction = (keyword: string) => runtime.instructions.filter((entry) => entry.keyword === keyword).at(-1)!;
const imageEnv = Object.fromEntries(
  runtime.instructions.filter((entry) => entry.keyword === 'ENV').flatMap((entry) => [...envPairs(entry.args)]),
);
const cmd = execForm(instruction('CMD').args)!;
const healthcheck = execForm(/CMD\s+(\[.*\])$/.exec(instruction('HEALTHCHECK').args)![1]!)!;
const composeHealthcheck = (readCompose().services.worker?.healthcheck?.test as string[]).slice(1);

/**
 * A TCP relay to PostgreSQL that can be cut (every connection closed, new ones refused) and restored,
 * which is what a database outage looks like to the worker.
 */
async function databaseRelay(
  target: URL,
): Promise<{ url: string; cut(): void; restore(): void; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  let open = true;
  const server = net.createServer((client) => {
    if (!open) return client.destroy();
    const upstream = net.connect(Number(target.port || 5432), target.hostname);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
      socket.on('error', () => undefined);
    }
    client.pipe(upstream).pipe(client);
    client.once('close', () => upstream.destroy());
    upstream.once('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = new URL(target);
  url.hostname = '127.0.0.1';
  url.port = String((server.address() as net.AddressInfo).port);
  return {
    url: url.toString(),
    cut: () => {
      open = false;
      for (const socket of sockets) socket.destroy();
    },
    restore: () => {
      open = true;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Runs the HEALTHCHECK command as Docker would (inside the container's environment). */
function runHealthcheck(env: NodeJS.ProcessEnv, command: readonly string[] = healthcheck): Promise<number> {
  const [file, ...args] = command;
  return new Promise((resolve, reject) => {
    execFile(file === 'node' ? process.execPath : file!, args, { env, timeout: 30_000 }, (error) => {
      if (error === null) resolve(0);
      else if (typeof error.code === 'number') resolve(error.code);
      else reject(error);
    });
  });
}

describe('the image CMD and HEALTHCHECK against the real worker', () => {
  let database: TestDatabase;
  let sessions: string;
  let worker: CliProcess;
  let env: NodeJS.ProcessEnv;
  let listening: Promise<unknown>;
  let relay: Awaited<ReturnType<typeof databaseRelay>>;

  before(async () => {
    database = await createTestDatabase('image_contract');
    relay = await databaseRelay(new URL(database.url));
    sessions = await mkdtemp(path.join(os.tmpdir(), 'tgsync-sessions-'));
    env = {
      PATH: process.env.PATH,
      ...imageEnv,
      // What docker-compose.yml sets for the worker (secrets replaced with test values).
      DATABASE_URL: relay.url,
      TELEGRAM_API_ID: '1234567',
      TELEGRAM_API_HASH: randomBytes(16).toString('hex'),
      TELEGRAM_SESSION_DIR: sessions,
      HTTP_HOST: '0.0.0.0',
      HTTP_PORT: String(await freePort()),
      SHUTDOWN_GRACE_MS: '20000',
      LOG_FORMAT: 'json',
      LOG_LEVEL: 'info',
    };
    assert.equal(cmd[0], 'node');
    worker = startNode(cmd.slice(1), env, { cwd: PROJECT_ROOT });
    // Rejects if the worker exits first; bounded well past a slow start on a busy machine.
    listening = worker.waitForLog((line) => line.msg === 'health and metrics server listening', 120_000);
  });

  after(async () => {
    if (worker !== undefined && worker.child.exitCode === null && worker.child.signalCode === null)
      worker.child.kill('SIGKILL');
    await worker?.exited.catch(() => undefined);
    await relay?.close();
    await database?.drop();
    await rm(sessions, { recursive: true, force: true });
  });

  it('starts in production mode and passes the HEALTHCHECK', async () => {
    await listening;
    assert.equal(env.NODE_ENV, 'production');
    assert.equal(await runHealthcheck(env), 0);
  });

  it('fails the HEALTHCHECK when nothing answers on HTTP_PORT', async () => {
    assert.equal(await runHealthcheck({ ...env, HTTP_PORT: String(await freePort()) }), 1);
  });

  it("passes docker-compose.yml's worker health check while the database answers", async () => {
    await listening;
    assert.equal(composeHealthcheck[0], 'node');
    assert.equal(await runHealthcheck(env, composeHealthcheck), 0, worker.output());
  });

  it("fails docker-compose.yml's worker health check while the database is unreachable, and passes again after", async () => {
    await listening;
    relay.cut();
    try {
      assert.equal(await runHealthcheck(env, composeHealthcheck), 1, 'unhealthy without the database');
      assert.equal(await runHealthcheck(env), 0, "the image's liveness check still passes: the process is alive");
    } finally {
      relay.restore();
    }
    assert.equal(await runHealthcheck(env, composeHealthcheck), 0, 'healthy again once the database is back');
  });

  it('stops cleanly on SIGTERM', async () => {
    await listening;
    const { code, signal } = await worker.stop('SIGTERM');
    assert.deepEqual({ code, signal }, { code: 0, signal: null }, worker.output());
    assert.ok(
      worker.logLines().some((line) => line.msg === 'worker stopped'),
      worker.output(),
    );
  });
});
