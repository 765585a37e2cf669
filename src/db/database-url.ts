// Helpers for PostgreSQL connection URLs. They never put a password into an error message or a log
// line: every URL that leaves this module for humans goes through redactDatabaseUrl().
import { AppError } from '../errors/app-error.ts';
import { redactDatabaseUrl } from '../observability/redaction.ts';

export class DatabaseUrlError extends AppError<'malformed-url'> {
  constructor(message: string) {
    super(message, { kind: 'malformed-url', userMistake: true });
  }
}

function hasAmbiguousUserInfo(url: string): boolean {
  return url.includes('#') || (url.match(/@/g)?.length ?? 0) > 1;
}

export interface DatabaseUrlParts {
  host: string;
  port: number;
  user: string;
  database: string;
}

/**
 * Validates a PostgreSQL URL and returns its main parts. Throws DatabaseUrlError with an actionable,
 * redacted message. `label` names where the URL came from (e.g. "DATABASE_URL").
 */
export function parseDatabaseUrl(url: string, label = 'DATABASE_URL'): DatabaseUrlParts {
  const shown = redactDatabaseUrl(url.trim());
  const example = 'postgresql://USER:PASSWORD@HOST:5432/DATABASE';
  let parsed: URL;
  try {
    if (hasAmbiguousUserInfo(url.trim())) throw new Error('ambiguous');
    parsed = new URL(url.trim());
  } catch {
    // Deliberately no `cause`: Node's "Invalid URL" error carries the full input, password included.
    throw new DatabaseUrlError(
      `${label} is not a valid URL (${shown}). Expected ${example}; ` +
        'percent-encode special characters in the user name or password (e.g. "@" → %40, "#" → %23, "/" → %2F).',
    );
  }
  if (!/^postgres(ql)?:$/.test(parsed.protocol)) {
    throw new DatabaseUrlError(
      `${label} must start with postgresql:// or postgres:// (got "${parsed.protocol}" in ${shown}). Expected ${example}.`,
    );
  }
  const hostFromQuery = parsed.searchParams.get('host');
  if (!parsed.hostname && !hostFromQuery) {
    throw new DatabaseUrlError(`${label} has no host (${shown}). Expected ${example}.`);
  }
  let port = 5432;
  if (parsed.port) port = Number(parsed.port);
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  if (!database) {
    throw new DatabaseUrlError(`${label} names no database (${shown}). Expected ${example}.`);
  }
  return {
    host: parsed.hostname || hostFromQuery || '',
    port,
    user: decodeURIComponent(parsed.username),
    database,
  };
}

/** The same server and credentials, another database (e.g. a scratch or template database). */
export function withDatabaseName(url: string, database: string): string {
  parseDatabaseUrl(url, 'the database URL'); // redacted error instead of Node's (which holds the input)
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURIComponent(database)}`;
  return parsed.toString();
}
