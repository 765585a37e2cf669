/**
 * The contract between the Dockerfile and the program: the image's CMD, run with the image's ENV
 * (production mode) and the environment docker-compose.yml gives the worker, starts a worker whose
 * /healthz satisfies the image's HEALTHCHECK command, and SIGTERM — what `docker stop` sends to the
 * exec-form CMD — stops it cleanly with exit code 0.
 */
import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, describe, it } from 'node:test';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.ts';
import { dockerStages, envPairs, execForm, parseDockerfile, PROJECT_ROOT, readProjectFile } from '../../unit/deploy/deploy-files.ts';

const runtime = dockerStages(parseDockerfile(readProjectFile('Dockerfile'))).at(-1)!;
const instruction = (keyword: string) => runtime.instructions.filter((entry) => entry.keyword === keyword).at(-1)!;
const imageEnv = Object.fromEntries(runtime.instructions.filter((entry) => entry.keyword === 'ENV').flatMap((entry) => [...envPairs(entry.args)]));
const cmd = execForm(instruction('CMD').args)!;
const healthcheck = execForm(/CMD\s+(\[.*\])$/.exec(instruction('HEALTHCHECK').args)![1]!)!;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Runs the HEALTHCHECK command as Docker would (inside the container's environment). */
function runHealthcheck(env: NodeJS.ProcessEnv): Promise<number> {
  const [file, ...args] = healthcheck;
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
  let worker: ChildProcess;
  let env: NodeJS.ProcessEnv;
  const messages: string[] = [];
  let exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  let listening: Promise<void>;

  before(async () => {
    database = await createTestDatabase('image_contract');
    sessions = await mkdtemp(path.join(os.tmpdir(), 'tgsync-sessions-'));
    env = {
      PATH: process.env.PATH,
      ...imageEnv,
      // What docker-compose.yml sets for the worker (secrets replaced with test values).
      DATABASE_URL: database.url,
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
    worker = spawn(process.execPath, cmd.slice(1), { cwd: PROJECT_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    exited = new Promise((resolve) => worker.once('exit', (code, signal) => resolve({ code, signal })));
    listening = new Promise((resolve, reject) => {
      const lines = createInterface({ input: worker.stdout! });
      lines.on('line', (line) => {
        try {
          const message = (JSON.parse(line) as { msg?: string }).msg ?? '';
          messages.push(message);
          if (message === 'health and metrics server listening') resolve();
        } catch {
          messages.push(line);
        }
      });
      void exited.then(({ code }) => reject(new Error(`the worker exited (${code}) before listening: ${messages.join(' | ')}`)));
    });
    worker.stderr!.on('data', (chunk: Buffer) => messages.push(chunk.toString()));
  });

  after(async () => {
    if (worker.exitCode === null && worker.signalCode === null) worker.kill('SIGKILL');
    await exited?.catch(() => undefined);
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

  it('stops cleanly on SIGTERM', async () => {
    await listening;
    worker.kill('SIGTERM');
    const { code, signal } = await exited;
    assert.deepEqual({ code, signal }, { code: 0, signal: null }, messages.join(' | '));
    assert.ok(messages.includes('worker stopped'), messages.join(' | '));
  });
});
