/**
 * The one owner of text redaction: what a password inside a connection URL looks like, how a
 * database URL is shown to a human, and the scrubber that combines both with the registered secret
 * values. Config errors, database start-up logs, migration errors, the log stream and CLI errors all
 * call these functions, so there is exactly one rule for each case to get right (and to test).
 * Key-based redaction of log records is a separate rule (redact-secret-keys.ts).
 */
import type { SecretRegistry } from './secret-registry.ts';

export const MASK = '***';

// scheme://user:password@   — the password runs to the LAST "@" of the token, so an unencoded "@"
// inside a password is still covered; a token ends at whitespace, a quote or an angle bracket so one
// JSON string value never swallows its neighbours.
const URL_USERINFO_PASSWORD = /([a-z][a-z0-9+.-]*:\/\/[^\s:@/"'<>\\]*):([^\s"'<>]*)@/gi;

// libpq-style key/value and query parameters: `password=...`, `?sslpassword=...`, `passfile=...`;
// a libpq value may be single-quoted (with backslash escapes) and then holds spaces.
const PASSWORD_PARAMETER = /((?:^|[?&\s;,])(?:(?:ssl)?password|passfile)\s*=\s*)('(?:[^'\\]|\\.)*'?|[^&\s"'<>;,]+)/gi;

// `host=db user=app …`: a libpq connection string, whose only secret is its password parameter.
const LIBPQ_KEY_VALUE = /^\s*[a-z_]+\s*=/i;

/**
 * Replaces the password of every `scheme://user:password@host` URL and `password=` parameter in
 * `text`. Pattern-based: it needs no knowledge of the configured secrets, so it also protects
 * passwords we were never told about (e.g. a URL pasted into a peers file, a `pg` error message).
 */
export function maskUrlPasswords(text: string): string {
  return text
    .replace(URL_USERINFO_PASSWORD, (_match, prefix: string) => `${prefix}:${MASK}@`)
    .replace(PASSWORD_PARAMETER, (_match, prefix: string) => `${prefix}${MASK}`);
}

/**
 * A PostgreSQL URL (or libpq key/value string) as it may be shown to a human: config errors,
 * start-up logs, "cannot connect to …". Works on the raw text rather than on `new URL()`, because
 * the URLs that end up in error messages are the malformed ones: with an unencoded "/" or "@" in the
 * password, a URL parser sees the password's tail as host and path. So everything between the user
 * name and the LAST "@" is masked; when there is no "@" and the text is neither a URL nor a libpq
 * string, it cannot tell where a password would be and hides everything after the scheme rather
 * than risk echoing one.
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
  if (schemeEnd === -1 && LIBPQ_KEY_VALUE.test(url)) return maskUrlPasswords(url);
  // Without "@" a URL has no password, but only if its authority is a plain host[:port]:
  // "postgres://app:secret" and "app:secret" (parsed as scheme "app") would otherwise be echoed.
  const plainAuthority = /^[^:/?#]*(?::\d*)?(?:[/?#]|$)/.test(url.slice(authorityStart));
  if (schemeEnd !== -1 && plainAuthority && URL.canParse(url)) return maskUrlPasswords(url);
  return schemeEnd === -1 ? MASK : `${url.slice(0, schemeEnd)}://${MASK}`;
}

/**
 * The string scrubber: registered secret values, then passwords inside connection URLs. For any text
 * that leaves the process without going through the logger, e.g. a CLI's fatal error on stderr.
 */
export function scrubSecrets(text: string, secrets?: SecretRegistry): string {
  return maskUrlPasswords(secrets === undefined ? text : secrets.scrub(text));
}
