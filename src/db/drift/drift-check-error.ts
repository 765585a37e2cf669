export type DriftCheckErrorKind =
  /** schema.prisma could not be read or is invalid (Prisma's message included). */
  | 'invalid-schema'
  /** The migrations could not be applied to the scratch database (MigrationError's message included). */
  | 'migrations-failed';

export class DriftCheckError extends Error {
  override readonly name = 'DriftCheckError';
  readonly kind: DriftCheckErrorKind;

  constructor(kind: DriftCheckErrorKind, message: string) {
    super(message);
    this.kind = kind;
  }
}
