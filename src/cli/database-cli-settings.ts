// The few settings the database commands need. They deliberately do not go through loadConfig():
// migrating or checking drift must work on a machine (CI, a fresh checkout) that has no Telegram
// credentials, which the full configuration requires. Same variable names and defaults as
// src/config/options.ts.
import { asError } from '../errors/app-error.ts';
import path from 'node:path';
import { DEFAULT_EMBEDDED_DATA_DIR, DEFAULT_EMBEDDED_PORT } from '../config/embedded-postgres-defaults.ts';

export interface DatabaseCliSettings {
  databaseUrl: string | undefined;
  production: boolean;
  embedded: { dataDir: string; port: number };
  schemaPath: string;
  migrationsDir: string;
}

export function readDatabaseCliSettings(
  env: NodeJS.ProcessEnv = process.env,
  cwd = process.cwd(),
): DatabaseCliSettings {
  const port = Number(env.EMBEDDED_PG_PORT ?? DEFAULT_EMBEDDED_PORT);
  if (!Number.isInteger(port) || port < 1024 || port > 65535) {
    throw new Error(`EMBEDDED_PG_PORT must be an integer between 1024 and 65535 (got "${env.EMBEDDED_PG_PORT}").`);
  }
  return {
    databaseUrl: env.DATABASE_URL?.trim() || undefined,
    production: env.NODE_ENV === 'production',
    embedded: { dataDir: path.resolve(cwd, env.EMBEDDED_PG_DATA_DIR || DEFAULT_EMBEDDED_DATA_DIR), port },
    schemaPath: path.resolve(cwd, 'prisma/schema.prisma'),
    migrationsDir: path.resolve(cwd, 'prisma/migrations'),
  };
}

/** Prints an error as one readable message (no stack trace) and sets exit code 1. */
export function reportCliFailure(error: unknown): void {
  const message = asError(error).message;
  process.stderr.write(`error: ${message}\n`);
  process.exitCode = 1;
}
