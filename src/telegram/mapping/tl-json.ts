import bigInt from 'big-integer';
import { cleanText } from './tl-values.ts';

/**
 * A GramJS TL object as JSON that jsonb accepts and a person can read: `_` holds the constructor name,
 * bytes are base64 (GramJS's own toJSON renders them as arrays of numbers), longs are decimal strings,
 * strings are cleaned of what PostgreSQL rejects, and GramJS's private helpers (`_client`, `_sender`…)
 * and constructor metadata are left out.
 *
 * It runs for every user, chat and message of every reply (a few hundred objects per batch), so it
 * avoids per-field allocations: no Object.entries pairs, no copy of byte buffers.
 */
export function tlToJson(value: unknown): unknown {
  switch (typeof value) {
    case 'string':
      return cleanText(value);
    case 'number':
    case 'boolean':
      return value;
    case 'bigint':
      return value.toString();
    case 'object':
      if (value === null) return null;
      if (value instanceof Uint8Array) return toBase64(value);
      if (Array.isArray(value)) {
        const json: unknown[] = new Array(value.length);
        for (let index = 0; index < value.length; index += 1) json[index] = tlToJson(value[index]);
        return json;
      }
      return objectToJson(value as Record<string, unknown>);
    default:
      return null;
  }
}

const METADATA_KEYS = new Set([
  'CONSTRUCTOR_ID',
  'SUBCLASS_OF_ID',
  'classType',
  'className',
  'originalArgs',
  'flags',
  'flags2',
]);
const UNDERSCORE = 95;

function objectToJson(object: Record<string, unknown>): unknown {
  const className = object.className;
  // TL objects carry their className; anything else may be a GramJS long (a big-integer).
  if (typeof className !== 'string' && bigInt.isInstance(object)) return object.toString();
  const json: Record<string, unknown> = {};
  if (typeof className === 'string') json._ = className;
  for (const key of Object.keys(object)) {
    if (key.charCodeAt(0) === UNDERSCORE || METADATA_KEYS.has(key)) continue;
    const field = object[key];
    if (field === undefined || field === null || typeof field === 'function') continue;
    json[key] = tlToJson(field);
  }
  return json;
}

function toBase64(bytes: Uint8Array): string {
  return (Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)).toString(
    'base64',
  );
}
