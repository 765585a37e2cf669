/**
 * Key-based redaction at any depth of a parsed log record: the value under a secret-looking key is
 * replaced whatever it contains (a session object, a phone number in an odd format, a password we
 * were never told about). Keys are compared case- and separator-insensitively, so `api_hash`,
 * `apiHash` and `API-HASH` are all caught.
 */
import { REDACTED } from './secret-registry.ts';

/** Normalized (lowercase, no `_`/`-`/spaces) names whose values are always secret. */
export const SECRET_KEYS: ReadonlySet<string> = new Set([
  'session',
  'sessionstring',
  'stringsession',
  'authkey',
  'apihash',
  'phone',
  'phonenumber',
  'phonecode',
  'phonecodehash',
  'logincode',
  'password',
  'passwd',
  'newpassword',
  'currentpassword',
  'databaseurl',
  'connectionstring',
  'authorization',
  'cookie',
  'setcookie',
  'token',
  'accesstoken',
  'refreshtoken',
  'bottoken',
  'secret',
  'clientsecret',
  'encryptionkey',
  'sessionencryptionkey',
  'privatekey',
]);

export function normalizeKey(key: string): string {
  return key.toLowerCase().replace(/[\s_-]/g, '');
}

/**
 * `code` is special: it is a login code in auth flows but an error code (`ECONNRESET`, 420) almost
 * everywhere else, and error codes are too useful to hide. Login codes are 5–6 digits; HTTP/RPC
 * error codes are 3 digits.
 */
function isSecretEntry(key: string, value: unknown): boolean {
  const normalized = normalizeKey(key);
  if (SECRET_KEYS.has(normalized)) return true;
  if (normalized === 'code') return looksLikeLoginCode(value);
  return false;
}

function looksLikeLoginCode(value: unknown): boolean {
  if (typeof value === 'number') return Number.isInteger(value) && value >= 1000 && value <= 99_999_999;
  return typeof value === 'string' && /^\s*\d{4,8}\s*$/.test(value);
}

export interface RedactOptions {
  /** Applied to every string value and every key that is kept. */
  readonly scrubString: (text: string) => string;
}

/** Returns a redacted copy of a JSON value (objects, arrays, strings; other scalars unchanged). */
export function redactSecretKeys(value: unknown, options: RedactOptions): unknown {
  if (typeof value === 'string') return options.scrubString(value);
  if (Array.isArray(value)) return value.map((item) => redactSecretKeys(item, options));
  if (typeof value !== 'object' || value === null) return value;
  const result: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    const safeKey = options.scrubString(key);
    result[safeKey] = isSecretEntry(key, child) ? REDACTED : redactSecretKeys(child, options);
  }
  return result;
}
