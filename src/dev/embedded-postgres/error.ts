/**
 * Why the embedded PostgreSQL could not be used, as a kind the caller can branch on and a message
 * that tells the developer what to do.
 */
import { AppError } from '../../errors/app-error.ts';

export type EmbeddedPostgresErrorKind =
  /** No PostgreSQL binaries package for this OS/CPU. */
  | 'unsupported-platform'
  /** The binaries exist but cannot be made executable/loadable (read-only node_modules, missing libs). */
  | 'binaries-unusable'
  /** Running as root, and OS user `postgres` cannot be found/created or cannot reach a folder. */
  | 'permission'
  /** The data folder exists but was not created by this tool, or holds another major version. */
  | 'invalid-data-dir'
  /** The port is taken by something that is not this data folder's server. */
  | 'port-in-use'
  /** initdb or the server failed; the message has the tail of the server log. */
  | 'start-failed'
  /** The server did not stop within the deadline. */
  | 'stop-failed';

export class EmbeddedPostgresError extends AppError<EmbeddedPostgresErrorKind> {
  constructor(kind: EmbeddedPostgresErrorKind, message: string) {
    super(message, { kind });
  }
}
