/**
 * Runs deploy/postgres/create-dashboards-login.mjs (what the `dashboards-user` Compose service runs)
 * as a child process, and cleans up the cluster-wide roles it creates.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import pg from 'pg';
import { connectPg, testServerUrl } from '../../helpers/database.ts';
import { PROJECT_ROOT } from '../../unit/deploy/deploy-files.ts';

export const LOGIN_SCRIPT = path.join(PROJECT_ROOT, 'deploy/postgres/create-dashboards-login.mjs');

export interface ScriptResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export function runLoginScript(env: Record<string, string | undefined>): Promise<ScriptResult> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      process.execPath,
      [LOGIN_SCRIPT],
      // Only what the Compose service passes (plus PATH), so nothing leaks in from the test process.
      { cwd: PROJECT_ROOT, env: { PATH: process.env.PATH, ...env }, timeout: 60_000 },
      (error, stdout, stderr) => {
        if (error !== null && typeof error.code !== 'number') {
          reject(error);
          return;
        }
        resolve({ code: error === null ? 0 : (error.code as number), stdout, stderr });
      },
    );
    child.stdin?.end();
  });
}

/** A role name of this test's own (roles are cluster-wide). */
export function uniqueRoleName(prefix: string): string {
  return `${prefix}_${randomBytes(5).toString('hex')}`;
}

/** A URL of the same database for another user. */
export function urlAs(databaseUrl: string, user: string, password: string): string {
  const url = new URL(databaseUrl);
  url.username = user;
  url.password = password;
  return url.toString();
}

export async function connectAs(databaseUrl: string, user: string, password: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: urlAs(databaseUrl, user, password) });
  await client.connect();
  return client;
}

export async function dropRole(name: string): Promise<void> {
  const server = await connectPg(testServerUrl());
  try {
    await server.query(`DROP ROLE IF EXISTS ${pg.escapeIdentifier(name)}`);
  } finally {
    await server.end();
  }
}
