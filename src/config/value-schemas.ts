/**
 * zod schemas that turn one option's text (from the environment or the config file) into a typed
 * value. Each error message completes the sentence "<OPTION> ..." and says what a valid value looks
 * like; the option's example is added by the loader. Messages never include the value itself: the
 * loader decides whether a value may be echoed (it never echoes secrets).
 */
import { isIP } from 'node:net';
import { validateDetailed } from 'node-cron';
import { z } from 'zod';
import { describeDatabaseUrlProblem } from './database-url.ts';

export type ValueSchema<T> = z.ZodType<T, string>;

export function integerInRange(min: number, max: number, why?: string): ValueSchema<number> {
  const rule = `must be a whole number from ${min} to ${max}${why === undefined ? '' : ` (${why})`}`;
  return z
    .string()
    .regex(/^[+-]?\d+$/, { error: rule })
    .transform(Number)
    .refine((value) => value >= min && value <= max, { error: rule });
}

export function booleanFlag(): ValueSchema<boolean> {
  return z.stringbool({
    truthy: ['true', '1', 'yes'],
    falsy: ['false', '0', 'no'],
    error: 'must be one of true, false, 1, 0, yes, no',
  });
}

export function oneOf<const T extends readonly [string, ...string[]]>(values: T): ValueSchema<T[number]> {
  return z.enum(values, { error: `must be one of ${values.join(', ')}` });
}

export function cronExpression(): ValueSchema<string> {
  return z.string().superRefine((expression, context) => {
    const result = validateDetailed(expression);
    if (result.valid) return;
    const details = result.errors.map((error) => `${error.field}: ${error.message}`).join('; ');
    context.addIssue({
      code: 'custom',
      message: `must be a cron expression with 5 fields (minute hour day-of-month month day-of-week) or 6 with seconds first; ${details}`,
    });
  });
}

export function ianaTimeZone(): ValueSchema<string> {
  return z.string().refine(isSupportedTimeZone, {
    error: 'must be an IANA time zone name such as UTC, Europe/Berlin or America/New_York',
  });
}

function isSupportedTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export function hexString(length: number, what: string): ValueSchema<string> {
  return z.string().superRefine((value, context) => {
    if (new RegExp(`^[0-9a-fA-F]{${length}}$`).test(value)) return;
    // The length is safe to show (the valid length is public) and catches the usual copy/paste slip.
    context.addIssue({
      code: 'custom',
      message: `must be ${what}: exactly ${length} hexadecimal characters (got ${value.length} characters${/[^0-9a-fA-F]/.test(value) ? ', some not hexadecimal' : ''})`,
    });
  });
}

export function base64Key(bytes: number, howToGenerate: string): ValueSchema<string> {
  return z.string().superRefine((value, context) => {
    const canonical = /^[A-Za-z0-9+/]+={0,2}$/.test(value) && value.length % 4 === 0;
    const decodedLength = canonical ? Buffer.from(value, 'base64').length : undefined;
    if (decodedLength === bytes) return;
    const got = decodedLength === undefined ? 'not valid base64' : `decodes to ${decodedLength} bytes`;
    context.addIssue({
      code: 'custom',
      message: `must be the standard base64 encoding of exactly ${bytes} random bytes (${got}); generate one with: ${howToGenerate}`,
    });
  });
}

export interface NamedKey {
  readonly keyId: string;
  /** Standard base64 of the key bytes. */
  readonly encryptionKey: string;
}

/**
 * A comma-separated list of `keyId=base64` pairs (white space around items ignored), each key exactly
 * `bytes` long and each id unique. Messages name the position of a bad item, never its value.
 */
export function namedKeyList(
  bytes: number,
  maxIdLength: number,
  howToGenerate: string,
): ValueSchema<readonly NamedKey[]> {
  const idPattern = new RegExp(`^[A-Za-z0-9._-]{1,${maxIdLength}}$`);
  return z.string().transform((text, context) => {
    const keys: NamedKey[] = [];
    const items = text
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item !== '');
    items.forEach((item, index) => {
      const separator = item.indexOf('=');
      const keyId = separator < 0 ? '' : item.slice(0, separator);
      const encryptionKey = separator < 0 ? '' : item.slice(separator + 1);
      const where = `item ${index + 1} of ${items.length}`;
      if (!idPattern.test(keyId)) {
        context.addIssue({
          code: 'custom',
          message: `${where} must be KEY_ID=BASE64_KEY with a key id of 1 to ${maxIdLength} characters from A-Z, a-z, 0-9, ".", "_", "-"`,
        });
        return;
      }
      const canonical = /^[A-Za-z0-9+/]+={0,2}$/.test(encryptionKey) && encryptionKey.length % 4 === 0;
      if (!canonical || Buffer.from(encryptionKey, 'base64').length !== bytes) {
        context.addIssue({
          code: 'custom',
          message: `${where} (key id "${keyId}") must hold the standard base64 of exactly ${bytes} bytes after "="; generate one with: ${howToGenerate}`,
        });
        return;
      }
      if (keys.some((key) => key.keyId === keyId)) {
        context.addIssue({
          code: 'custom',
          message: `${where} repeats key id "${keyId}"; each key id may appear once`,
        });
        return;
      }
      keys.push({ keyId, encryptionKey });
    });
    return keys;
  });
}

export function identifier(maxLength: number): ValueSchema<string> {
  return z.string().regex(new RegExp(`^[A-Za-z0-9._-]{1,${maxLength}}$`), {
    error: `must be 1 to ${maxLength} characters from A-Z, a-z, 0-9, ".", "_", "-"`,
  });
}

export function filePath(): ValueSchema<string> {
  return z.string().refine((value) => !value.includes('\0'), { error: 'must be a file system path' });
}

const HOSTNAME =
  /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

export function hostName(): ValueSchema<string> {
  return z.string().refine((value) => isIP(value) !== 0 || HOSTNAME.test(value), {
    error: 'must be a host name or an IP address (IPv4 or IPv6, without brackets or port)',
  });
}

export function postgresUrl(): ValueSchema<string> {
  return z.string().superRefine((url, context) => {
    const problem = describeDatabaseUrlProblem(url);
    if (problem !== undefined) context.addIssue({ code: 'custom', message: problem });
  });
}

/**
 * Ports of the local test data centers by DC id. A bare port is the main DC (2, the local test
 * server's default); `2:40002,3:40003` configures several, for USER_MIGRATE tests.
 */
export function dataCenterPorts(mainDcId: number): ValueSchema<Readonly<Record<number, number>>> {
  const rule = `must be a port (1 to 65535) of DC ${mainDcId}, or dcId:port pairs separated by commas, e.g. 2:40002,3:40003`;
  return z.string().transform((text, context) => {
    const pairs = /^\d+$/.test(text) ? [`${mainDcId}:${text}`] : text.split(',');
    const ports: Record<number, number> = {};
    for (const pair of pairs) {
      const parsed = parseDcPort(pair);
      if (parsed === undefined || ports[parsed.dcId] !== undefined) {
        context.addIssue({ code: 'custom', message: rule });
        return z.NEVER;
      }
      ports[parsed.dcId] = parsed.port;
    }
    return ports;
  });
}

function parseDcPort(pair: string): { dcId: number; port: number } | undefined {
  const match = /^(\d{1,3}):(\d{1,5})$/.exec(pair.trim());
  if (match === null) return undefined;
  const dcId = Number(match[1]);
  const port = Number(match[2]);
  return dcId >= 1 && dcId <= 255 && port >= 1 && port <= 65535 ? { dcId, port } : undefined;
}
