// The logging surface the database layer needs. It is the subset of pino's API that the layer uses,
// so a pino logger (src/observability) can be passed in directly, and tests can pass a recorder.

/** pino-style: `log(obj, msg)` or `log(msg)`. */
export type DbLogFn = (objOrMsg: object | string, msg?: string) => void;

export interface DbLogger {
  info: DbLogFn;
  warn: DbLogFn;
  error: DbLogFn;
}

export const silentLogger: DbLogger = {
  info: () => {},
  warn: () => {},
  error: () => {},
};
