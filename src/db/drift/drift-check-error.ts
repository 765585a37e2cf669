/** Why the schema drift check could not give an answer at all (drift found is a result, not this). */
import { AppError } from '../../errors/app-error.ts';

export type DriftCheckErrorKind =
  /** schema.prisma could not be read or is invalid (Prisma's message included). */
  | 'invalid-schema'
  /** The migrations could not be applied to the scratch database (MigrationError's message included). */
  | 'migrations-failed';

export class DriftCheckError extends AppError<DriftCheckErrorKind> {
  constructor(kind: DriftCheckErrorKind, message: string) {
    super(message, { kind });
  }
}
