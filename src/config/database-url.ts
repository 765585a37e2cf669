/**
 * DATABASE_URL helpers for the option registry: its validation rules and its password (registered
 * with the scrubber). Showing the URL to a human is `redactDatabaseUrl` in observability/redaction.ts.
 */

const POSTGRES_PROTOCOLS = new Set(['postgres:', 'postgresql:']);

function tryParseUrl(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}

/** Why `url` is not a usable PostgreSQL URL, or undefined when it is. Never includes the password. */
export function describeDatabaseUrlProblem(url: string): string | undefined {
  const parsed = tryParseUrl(url);
  if (parsed === undefined) {
    return 'is not a valid URL (special characters in the password must be percent-encoded, e.g. "@" as %40)';
  }
  if (!POSTGRES_PROTOCOLS.has(parsed.protocol)) {
    return 'must start with postgres:// or postgresql://';
  }
  if (parsed.pathname.includes('@')) {
    return 'has an "@" after the host: "@", "/", "?" and "#" in the user name or password must be percent-encoded (e.g. "@" as %40, "/" as %2F)';
  }
  if (parsed.hostname === '' && !parsed.searchParams.has('host')) {
    return 'has no host (expected postgres://user:password@host:5432/database)';
  }
  return undefined;
}

/** The password of a database URL, decoded, for registering it with the log scrubber. */
export function databaseUrlPassword(url: string): string | undefined {
  const parsed = tryParseUrl(url);
  if (parsed === undefined || parsed.password === '') return undefined;
  try {
    return decodeURIComponent(parsed.password);
  } catch {
    return parsed.password;
  }
}
