/**
 * Small conversions from GramJS's value representations to plain values. GramJS hands Telegram
 * `long`s over as `big-integer` objects; everything here turns them into native bigint so nothing
 * downstream depends on that library.
 */

/** A GramJS `long` (big-integer), a number, a numeric string or a bigint, as a native bigint. */
export function toBigInt(value: unknown): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number' && Number.isInteger(value)) return BigInt(value);
  if (typeof value === 'string' && /^-?\d+$/.test(value)) return BigInt(value);
  if (value !== null && typeof value === 'object' && typeof (value as { toString: unknown }).toString === 'function') {
    const text = String(value);
    if (/^-?\d+$/.test(text)) return BigInt(text);
  }
  throw new TypeError(`not an integer id: ${String(value)}`);
}

export function toBigIntOrNull(value: unknown): bigint | null {
  return value === undefined || value === null ? null : toBigInt(value);
}

/**
 * Text as PostgreSQL can store it: NUL is removed (text and jsonb both reject it) and lone UTF-16
 * surrogates become U+FFFD (jsonb rejects them, and they are not valid UTF-8).
 */
export function cleanText(text: string): string {
  const withoutNul = text.includes('\u0000') ? text.replaceAll('\u0000', '') : text;
  return withoutNul.isWellFormed() ? withoutNul : withoutNul.toWellFormed();
}

export function cleanTextOrNull(text: string | null | undefined): string | null {
  return text === undefined || text === null ? null : cleanText(text);
}

/** `''` and missing both mean "none" in Telegram's optional strings. */
export function nonEmptyTextOrNull(text: string | null | undefined): string | null {
  const cleaned = cleanTextOrNull(text);
  return cleaned === null || cleaned === '' ? null : cleaned;
}

/**
 * The snake_case kind of a constructor below a family prefix:
 * ("MessageMediaWebPage", "MessageMedia") → "web_page"; ("MessageActionChatCreate", "MessageAction") → "chat_create".
 */
export function constructorKind(className: string, familyPrefix: string): string {
  const rest = className.startsWith(familyPrefix) ? className.slice(familyPrefix.length) : className;
  return rest
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toLowerCase();
}

/** Telegram's "forever" for mute_until and similar: the largest int32. */
export const TELEGRAM_FOREVER = 2 ** 31 - 1;
