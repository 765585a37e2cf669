// `tg-dialog-sync db migrate` / `db check-drift` (what `npm run db:migrate` / `db:check-drift` run), as real processes.
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { startCli, type CliRun } from '../../helpers/cli-process.ts';
import { createEmptyTestDatabase } from '../../helpers/database.ts';

const projectRoot = path.resolve(import.meta.dirname, '../../..');

function runCli(command: 'migrate' | 'check-drift', env: Record<string, string | undefined>): Promise<CliRun> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env, LOG_FORMAT: 'json' };
  for (const [key, value] of Object.entries(env)) if (value === undefined) delete childEnv[key];
  return startCli(['db', command], childEnv, { cwd: projectRoot }).exited;
}

function passwordOf(url: string): string {
  return decodeURIComponent(new URL(url).password);
}

describe('database CLIs', () => {
  it('db:migrate in production without DATABASE_URL: the config problem, exit 1, no stack trace', async () => {
    const result = await runCli('migrate', { NODE_ENV: 'production', DATABASE_URL: undefined });
    assert.equal(result.code, 1);
    // The config layer's problem list (the same text every command prints for its settings).
    assert.match(
      result.stderr,
      /^Invalid configuration \(1 problem\):\n {2}- DATABASE_URL: is required when NODE_ENV=production/,
    );
    assert.doesNotMatch(result.stderr, /\n\s+at /);
  });

  it('db:migrate with a malformed DATABASE_URL never prints the password', async () => {
    const result = await runCli('migrate', { DATABASE_URL: 'postgresql://sync:Hunter2Secret#@db.example/tg' });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /^ {2}- DATABASE_URL: is not a valid URL/m);
    assert.ok(!`${result.stdout}${result.stderr}`.includes('Hunter2Secret'));
  });

  it('db:migrate applies the migrations and logs the URL with its password masked', async () => {
    const db = await createEmptyTestDatabase('cli_migrate');
    try {
      const result = await runCli('migrate', { DATABASE_URL: db.url, NODE_ENV: 'development' });
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stdout, /applied \d+ migration\(s\)/);
      const password = passwordOf(db.url);
      if (password) assert.ok(!`${result.stdout}${result.stderr}`.includes(password), 'password leaked');
      const again = await runCli('migrate', { DATABASE_URL: db.url, NODE_ENV: 'development' });
      assert.equal(again.code, 0);
      assert.match(again.stdout, /database is up to date/);
    } finally {
      await db.drop();
    }
  });

  it('db:check-drift exits 0 when the project schema matches its migrations', async () => {
    const db = await createEmptyTestDatabase('cli_drift');
    try {
      const result = await runCli('check-drift', { DATABASE_URL: db.url, NODE_ENV: 'development' });
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stdout, /no drift/);
    } finally {
      await db.drop();
    }
  });
});
