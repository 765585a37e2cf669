/**
 * Secret VALUES known at run time (api hash, session strings, DB password, phone numbers, login
 * codes, 2FA passwords) that must never appear in any output. Key-based redaction cannot catch a
 * secret that travels inside a message or a stack trace ("login failed for +15550001111"), so every
 * log line and every CLI error text is scrubbed against this registry.
 *
 * Independent of the logger: create one per process (or per test), register values as soon as
 * they are known (after loading config, after reading a session), and pass it to `createLogger`
 * and `scrubSecrets`.
 */

export const REDACTED = '[REDACTED]';

/**
 * Shorter values are ignored: scrubbing every "123" would shred the logs, and values this short are
 * not meaningful secrets on their own (Telegram login codes are 5 digits).
 */
export const MIN_SECRET_LENGTH = 4;

export class SecretRegistry {
  readonly #values = new Set<string>();
  #pattern: RegExp | undefined;

  /** Registers a secret and the forms it commonly appears in. Returns false when it is too short to register. */
  add(value: string | undefined | null): boolean {
    if (value === undefined || value === null) return false;
    const variants = variantsOf(value).filter((variant) => variant.length >= MIN_SECRET_LENGTH);
    if (variants.length === 0) return false;
    for (const variant of variants) this.#values.add(variant);
    this.#pattern = undefined;
    return true;
  }

  addAll(values: Iterable<string | undefined | null>): void {
    for (const value of values) this.add(value);
  }

  /** Forgets a secret (e.g. a login code once the login finished). */
  remove(value: string): void {
    for (const variant of variantsOf(value)) this.#values.delete(variant);
    this.#pattern = undefined;
  }

  get size(): number {
    return this.#values.size;
  }

  /** Replaces every registered secret value in `text` with [REDACTED]. */
  scrub(text: string): string {
    const pattern = this.#compiledPattern();
    return pattern === undefined ? text : text.replace(pattern, REDACTED);
  }

  #compiledPattern(): RegExp | undefined {
    if (this.#values.size === 0) return undefined;
    // Longest first so a secret that contains another one is replaced whole.
    this.#pattern ??= new RegExp(
      [...this.#values]
        .sort((a, b) => b.length - a.length)
        .map(escapeRegExp)
        .join('|'),
      'g',
    );
    return this.#pattern;
  }
}

/** The value itself, its URL-encoded form (passwords inside URLs) and, for phone numbers, the digits alone and with "+". */
function variantsOf(value: string): string[] {
  const trimmed = value.trim();
  const variants = new Set([value, trimmed]);
  try {
    variants.add(encodeURIComponent(trimmed));
  } catch {
    // Lone surrogates cannot be URL-encoded; the raw value is still registered.
  }
  if (/^\+?[\d\s().-]{7,}$/.test(trimmed)) {
    const digits = trimmed.replace(/\D/g, '');
    variants.add(digits);
    variants.add(`+${digits}`);
  }
  return [...variants].filter((variant) => variant !== '');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
