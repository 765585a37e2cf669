/**
 * A fast TL serialiser for GramJS `Api.*` objects. GramJS's own `getBytes()` validates every field,
 * rebuilds flag words by rescanning all fields and converts longs through `big-integer` byte by
 * byte: ~35 ms for a 100-dialog reply, three times the client's decoding cost. This writer walks the
 * same schema GramJS is generated from (so the bytes are identical) and writes into one growing
 * buffer: ~1 ms for the same reply.
 */
import { createRequire } from 'node:module';
import { parseTl } from 'telegram/tl/generationHelpers.js';

const require = createRequire(import.meta.url);
const apiTl = require('telegram/tl/apiTl.js') as string;
const schemaTl = require('telegram/tl/schemaTl.js') as string;

interface ArgConfig {
  isVector: boolean;
  isFlag: boolean;
  skipConstructorId: boolean;
  flagName: string | null;
  flagIndex: number;
  flagIndicator: boolean;
  type: string | null;
  useVectorId: boolean | null;
}

interface FieldPlan {
  readonly name: string;
  readonly config: ArgConfig;
  /** For a flag word: the fields that set its bits. */
  readonly flagBits: ReadonlyArray<{ name: string; bit: number; type: string }>;
}

const VECTOR_ID = 0x1cb5c415;
const BOOL_TRUE = 0x997275b5;
const BOOL_FALSE = 0xbc799737;

let plans: Map<number, FieldPlan[]> | undefined;

function buildPlans(): Map<number, FieldPlan[]> {
  const out = new Map<number, FieldPlan[]>();
  for (const content of [apiTl, schemaTl]) {
    for (const def of parseTl(content, '109') as Iterable<{
      constructorId: number;
      argsConfig: Record<string, ArgConfig>;
    }>) {
      const entries = Object.entries(def.argsConfig);
      out.set(
        def.constructorId >>> 0,
        entries.map(([name, config]) => ({
          name,
          config,
          flagBits: config.flagIndicator
            ? entries
                .filter(([, c]) => c.isFlag && c.flagName === name)
                .map(([n, c]) => ({ name: n, bit: c.flagIndex, type: c.type ?? '' }))
            : [],
        })),
      );
    }
  }
  return out;
}

class Writer {
  buf = Buffer.allocUnsafe(64 * 1024);
  pos = 0;

  ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  uint32(v: number): void {
    this.ensure(4);
    this.buf.writeUInt32LE(v >>> 0, this.pos);
    this.pos += 4;
  }

  int32(v: number): void {
    this.ensure(4);
    this.buf.writeInt32LE(v | 0, this.pos);
    this.pos += 4;
  }

  int64(v: bigint): void {
    this.ensure(8);
    this.buf.writeBigInt64LE(BigInt.asIntN(64, v), this.pos);
    this.pos += 8;
  }

  double(v: number): void {
    this.ensure(8);
    this.buf.writeDoubleLE(v, this.pos);
    this.pos += 8;
  }

  bigLE(v: bigint, bytes: number): void {
    this.ensure(bytes);
    let x = BigInt.asUintN(bytes * 8, v);
    for (let i = 0; i < bytes; i++) {
      this.buf[this.pos + i] = Number(x & 0xffn);
      x >>= 8n;
    }
    this.pos += bytes;
  }

  /** TL bytes/string: length prefix, data, zero padding; strings are written as UTF-8 in place. */
  bytes(data: Uint8Array | string): void {
    const length = typeof data === 'string' ? Buffer.byteLength(data, 'utf8') : data.length;
    const header = length < 254 ? 1 : 4;
    const padding = (4 - ((header + length) % 4)) % 4;
    this.ensure(header + length + padding);
    if (header === 1) {
      this.buf[this.pos++] = length;
    } else {
      this.buf[this.pos++] = 254;
      this.buf[this.pos++] = length & 0xff;
      this.buf[this.pos++] = (length >> 8) & 0xff;
      this.buf[this.pos++] = (length >> 16) & 0xff;
    }
    if (typeof data === 'string') this.buf.write(data, this.pos, 'utf8');
    else this.buf.set(data, this.pos);
    this.pos += length;
    for (let i = 0; i < padding; i++) this.buf[this.pos++] = 0;
  }
}

/** Converts whatever GramJS accepts for a long (big-integer, bigint, number, string) to bigint. */
function toBigInt(value: unknown): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number') return BigInt(value);
  if (typeof value === 'string') return BigInt(value);
  if (value && typeof value === 'object') {
    // big-integer wraps a native bigint (NativeBigInt) or a small number (SmallInteger) in `.value`.
    const inner = (value as { value?: unknown }).value;
    if (typeof inner === 'bigint') return inner;
    if (typeof inner === 'number') return BigInt(inner);
    return BigInt(String(value));
  }
  throw new TypeError(`expected a long, got ${String(value)}`);
}

function isPresent(value: unknown, type: string): boolean {
  if (value === null || value === undefined) return false;
  if (value === false && type !== 'Bool') return false;
  return true;
}

export class TlWriteError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TlWriteError';
  }
}

function writeValue(w: Writer, value: unknown, type: string, bare: boolean, path: string): void {
  switch (type) {
    case 'int':
      w.int32(value as number);
      return;
    case 'long':
      w.int64(toBigInt(value));
      return;
    case 'int128':
      w.bigLE(toBigInt(value), 16);
      return;
    case 'int256':
      w.bigLE(toBigInt(value), 32);
      return;
    case 'double':
      w.double(value as number);
      return;
    case 'string':
    case 'bytes':
      w.bytes(value as Uint8Array | string);
      return;
    case 'Bool':
      w.uint32(value ? BOOL_TRUE : BOOL_FALSE);
      return;
    case 'true':
      return;
    case 'date':
      w.int32(value instanceof Date ? Math.floor(value.getTime() / 1000) : (value as number));
      return;
    default:
      writeObject(w, value, bare, path);
  }
}

function writeObject(w: Writer, value: unknown, bare: boolean, path: string): void {
  const obj = value as Record<string, unknown> & { CONSTRUCTOR_ID?: number };
  if (!obj || typeof obj.CONSTRUCTOR_ID !== 'number') throw new TlWriteError(`${path}: not a TL object`);
  plans ??= buildPlans();
  const plan = plans.get(obj.CONSTRUCTOR_ID >>> 0);
  if (!plan) throw new TlWriteError(`${path}: unknown constructor ${obj.CONSTRUCTOR_ID}`);
  if (!bare) w.uint32(obj.CONSTRUCTOR_ID);
  for (const field of plan) {
    const { config } = field;
    if (config.flagIndicator) {
      let flags = 0;
      for (const bit of field.flagBits) if (isPresent(obj[bit.name], bit.type)) flags |= 1 << bit.bit;
      w.uint32(flags);
      continue;
    }
    const v = obj[field.name];
    const type = config.type ?? '';
    if (config.isFlag && (!isPresent(v, type) || type === 'true')) continue;
    if (config.isVector) {
      if (!Array.isArray(v)) throw new TlWriteError(`${path}.${field.name}: expected an array`);
      if (config.useVectorId) w.uint32(VECTOR_ID);
      w.int32(v.length);
      for (let i = 0; i < v.length; i++)
        writeValue(w, v[i], type, config.skipConstructorId, `${path}.${field.name}[${i}]`);
      continue;
    }
    if (v === undefined || v === null) throw new TlWriteError(`${path}.${field.name}: required field is missing`);
    writeValue(w, v, type, config.skipConstructorId, `${path}.${field.name}`);
  }
}

/** Serialises a TL object exactly as `getBytes()` would, fast. */
export function writeTlObject(object: object): Buffer {
  const w = new Writer();
  writeObject(w, object, false, (object as { className?: string }).className ?? 'object');
  return w.buf.subarray(0, w.pos);
}

/** Serialises a boxed Vector of TL objects. */
export function writeTlVector(items: readonly object[]): Buffer {
  const w = new Writer();
  w.uint32(VECTOR_ID);
  w.int32(items.length);
  for (const item of items) writeObject(w, item, false, 'vector');
  return w.buf.subarray(0, w.pos);
}
