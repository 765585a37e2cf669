// The embedded (development-only) PostgreSQL's defaults, in one place. Constants only, with no imports:
// the configuration and the database commands read them without loading the embedded server itself
// (src/dev/embedded-postgres/), which production never loads.

/** EMBEDDED_PG_DATA_DIR when unset; relative to the working directory. */
export const DEFAULT_EMBEDDED_DATA_DIR = '.data/postgres';
/** EMBEDDED_PG_PORT when unset; the server listens on 127.0.0.1 only. */
export const DEFAULT_EMBEDDED_PORT = 54329;
/** The database the embedded server creates on start and the job connects to. */
export const DEFAULT_EMBEDDED_DATABASE = 'tg_dialog_sync';
