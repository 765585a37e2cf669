// The typed failure of the migration runner. Callers branch on `kind`; the message tells a human
// what happened and how to fix it (it is printed as-is by `npm run db:migrate`).
import { AppError } from '../errors/app-error.ts';

export type MigrationErrorKind =
  /** The migrations folder is missing, unreadable, or a migration folder has no migration.sql. */
  | 'invalid-migrations-folder'
  /** migration_lock.toml names another database provider. */
  | 'provider-mismatch'
  /** The database could not be reached or refused the login. */
  | 'connection-failed'
  /** Another migration run held the advisory lock longer than the timeout. */
  | 'lock-timeout'
  /** The database has tables but no _prisma_migrations table (Prisma's P3005). */
  | 'database-not-empty'
  /** A migration that failed earlier is still recorded as failed (Prisma's P3009). */
  | 'failed-migration-recorded'
  /** A migration's SQL failed now; it is recorded as failed. */
  | 'migration-failed';

export class MigrationError extends AppError<MigrationErrorKind> {
  /** The migration folder name, when the error is about one migration. */
  readonly migrationName: string | undefined;

  constructor(kind: MigrationErrorKind, message: string, migrationName?: string) {
    super(message, { kind });
    this.migrationName = migrationName;
  }
}
