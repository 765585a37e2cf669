/**
 * Pattern-based masking of passwords embedded in connection strings inside arbitrary text (log
 * lines, error messages from `pg`, stack traces). It needs no knowledge of the configured secrets,
 * so it also protects passwords we were never told about (e.g. a URL pasted into a peer file).
 */

export const MASK = '***';

// scheme://user:password@   — the password runs to the LAST "@" of the token, so an unencoded "@"
// inside a password is still covered; a token ends at whitespace, a quote or an angle bracket so one
// JSON string value never swallows its neighbours.
const URL_USERINFO_PASSWORD = /([a-z][a-z0-9+.-]*:\/\/[^\s:@/"'<>\\]*):([^\s"'<>]*)@/gi;

// libpq-style key/value and query parameters: `password=...`, `?sslpassword=...`.
const PASSWORD_PARAMETER = /((?:^|[?&\s;,])(?:ssl)?password\s*=\s*)([^&\s"'<>;,]+)/gi;

/** Replaces the password of every `scheme://user:password@host` URL and `password=` parameter in `text`. */
export function maskUrlPasswords(text: string): string {
  return text
    .replace(URL_USERINFO_PASSWORD, (_match, prefix: string) => `${prefix}:${MASK}@`)
    .replace(PASSWORD_PARAMETER, (_match, prefix: string) => `${prefix}${MASK}`);
}
