/**
 * DATABASE_URL helpers: validation rules (used by the option registry) and `redactDatabaseUrl`, the
 * one way to show a database URL to a human (config errors, startup logs) without its password.
 */
import { MASK, maskUrlPasswords } from '../observability/url-passwords.ts';

const POSTGRES_PROTOCOLS = new Set(['postgres:', 'postgresql:']);

/**
 * Masks the password of a PostgreSQL URL (userinfo and `password=` query parameters). Works on the
 * raw text rather than on `new URL()`, because the URLs that end up in error messages are the
 * malformed ones: with an unencoded "/" or "@" in the password, a URL parser sees the password's
 * tail as host and path. So everything between the user name and the LAST "@" is masked; when
 * there is no "@" and the text is not a URL, it cannot tell where a password would be and hides
 * everything after the scheme rather than risk echoing one.
 */
export function redactDatabaseUrl(url: string): string {
  const schemeEnd = url.indexOf('://');
  const authorityStart = schemeEnd === -1 ? 0 : schemeEnd + 3;
  const lastAt = url.lastIndexOf('@');
  if (lastAt >= authorityStart) {
    const userinfo = url.slice(authorityStart, lastAt);
    const colon = userinfo.indexOf(':');
    const masked = colon === -1 ? url : `${url.slice(0, authorityStart + colon + 1)}${MASK}${url.slice(lastAt)}`;
    return maskUrlPasswords(masked);
  }
  // Without "@" a URL has no password, but only if its authority is a plain host[:port]:
  // "postgres://app:secret" and "app:secret" (parsed as scheme "app") would otherwise be echoed.
  const plainAuthority = /^[^:/?#]*(?::\d*)?(?:[/?#]|$)/.test(url.slice(authorityStart));
  if (schemeEnd !== -1 && plainAuthority && tryParseUrl(url) !== undefined) return maskUrlPasswords(url);
  return schemeEnd === -1 ? MASK : `${url.slice(0, schemeEnd)}://${MASK}`;
}

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
