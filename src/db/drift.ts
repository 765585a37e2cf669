// The drift check: do prisma/schema.prisma and prisma/migrations describe the same database?
// Applies the migrations to a fresh scratch database (through the same runner as production), reads
// the result from pg_catalog, and compares it with what the schema asks for. Views are created only by
// migrations and are not modelled, so they are ignored. `npm run db:check-drift` prints the lines.
import pg from 'pg';
import { withoutSchema } from './connection-config.ts';
import { createDatabase, uniqueDatabaseName } from './databases.ts';
import { compareShapes } from './drift/compare-shapes.ts';
import { DriftCheckError } from './drift/drift-check-error.ts';
import { loadDatamodel } from './drift/dmmf.ts';
import { shapeFromDatabase } from './drift/shape-from-database.ts';
import { shapeFromDatamodel } from './drift/shape-from-datamodel.ts';
import type { AppLogger } from '../observability/app-logger.ts';
import { migrateDatabase, MigrationError } from './migrate.ts';

export { DriftCheckError, type DriftCheckErrorKind } from './drift/drift-check-error.ts';

export interface DriftCheckOptions {
  schemaPath: string;
  migrationsDir: string;
  /** Any URL on a server where the role may CREATE DATABASE; a scratch database is created and dropped there. */
  serverUrl: string;
  logger: Pick<AppLogger, 'info' | 'warn' | 'error'>;
}

export interface DriftCheckResult {
  /** Empty when the schema and the migrations agree. One readable line per difference. */
  differences: string[];
}

export async function checkDrift(options: DriftCheckOptions): Promise<DriftCheckResult> {
  const { schemaPath, migrationsDir, serverUrl, logger } = options;
  // Parse the schema first: an invalid schema should fail before any database work.
  const datamodel = await loadDatamodel(schemaPath);
  const expected = shapeFromDatamodel(datamodel);

  // The scratch database is the check's own: its tables go to public, whatever schema DATABASE_URL names.
  const scratch = await createDatabase({
    serverUrl: withoutSchema(serverUrl),
    name: uniqueDatabaseName('drift_check'),
  });
  try {
    try {
      await migrateDatabase({ databaseUrl: scratch.url, migrationsDir, logger: quiet(logger) });
    } catch (error) {
      if (error instanceof MigrationError) {
        throw new DriftCheckError(
          'migrations-failed',
          `The migrations do not apply to an empty database: ${error.message}`,
        );
      }
      throw error;
    }
    const schemas = [...new Set(datamodel.models.map((model) => model.schema ?? 'public'))];
    const client = new pg.Client({ connectionString: scratch.url });
    await client.connect();
    try {
      const actual = await shapeFromDatabase(client, schemas.length ? schemas : ['public']);
      const differences = compareShapes(expected, actual);
      logger.info(
        { differences: differences.length },
        differences.length === 0
          ? 'schema.prisma and the migrations agree'
          : `schema.prisma and the migrations disagree (${differences.length} difference(s))`,
      );
      return { differences };
    } finally {
      await client.end();
    }
  } finally {
    await scratch.drop();
  }
}

/** The scratch migration's per-migration info lines are noise here; keep warnings and errors. */
function quiet(logger: Pick<AppLogger, 'info' | 'warn' | 'error'>): Pick<AppLogger, 'info' | 'warn' | 'error'> {
  // Bound through arrows: pino's level methods read `this`, so a detached `logger.warn` would throw.
  return {
    info: () => {},
    warn: (fields, message) => logger.warn(fields, message),
    error: (fields, message) => logger.error(fields, message),
  };
}
