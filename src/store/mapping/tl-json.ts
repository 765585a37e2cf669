import bigInt from 'big-integer';
import { cleanText } from './tl-values.ts';

/**
 * A GramJS TL object as JSON that jsonb accepts and a person can read: `_` holds the constructor name,
 * bytes are base64 (GramJS's own toJSON renders them as arrays of numbers), longs are decimal strings,
 * strings are cleaned of what PostgreSQL rejects, and GramJS's private helpers (`_client`, `_sender`…)
 * and constructor metadata are left out.
 */
export function tlToJson(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return cleanText(value);
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'bigint') return value.toString();
  if (Buffer.isBuffer(value) || value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (Array.isArray(value)) return value.map(tlToJson);
  if (typeof value === 'object') return objectToJson(value as Record<string, unknown>);
  return null;
}

const METADATA_KEYS = new Set(['CONSTRUCTOR_ID', 'SUBCLASS_OF_ID', 'classType', 'className', 'originalArgs', 'flags', 'flags2']);

function objectToJson(object: Record<string, unknown>): unknown {
  if (bigInt.isInstance(object)) return object.toString();
  const json: Record<string, unknown> = {};
  if (typeof object.className === 'string') json._ = object.className;
  for (const [key, field] of Object.entries(object)) {
    if (key.startsWith("_") || METADATA_KEYS.has(key) || typeof field === "function" || field === undefined || field === null) continue;
    json[key] = tlToJson(field);
  }
  return json;
}
