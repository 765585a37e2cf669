/**
 * How a JSON document travels as a statement parameter: as its UTF-8 bytes (a bytea parameter, read
 * back by `jsonbParam(n)`), split over several parameters when it is large.
 *
 * Why: Prisma's raw-query path JSON-encodes all parameters and parses them again before they reach
 * node-postgres (profiled: that JSON.parse was the largest single cost of a batch write).
 *  - Bytes travel through it as base64: nothing to escape, unlike a JSON document inside a JSON
 *    string, which is full of escaped quotes.
 *  - V8 parses a JSON string value of more than ~128 KB an order of magnitude slower than a shorter
 *    one (measured on Node 20: 240 KB took 2–3 ms, the same bytes in 64 KB pieces 0.1–0.2 ms), so no
 *    piece is larger than that once in base64. PostgreSQL joins the pieces again with `||`.
 *  - node-postgres sends a Buffer in binary format: PostgreSQL receives the bytes as they are.
 */
export type JsonParam = Buffer;

/** 64 KiB is 87 KiB in base64: under V8's slow-parse threshold with room to spare. */
const MAX_PIECE_BYTES = 64 * 1024;

export function jsonParam(json: string): JsonParam {
  return Buffer.from(json, 'utf8');
}

/** The SQL that reads parameter `$n` (a JsonParam) as jsonb. */
export function jsonbParam(n: number): string {
  return `convert_from($${n}::bytea, 'UTF8')::jsonb`;
}

/**
 * Appends `bytes` to a statement's `values` in pieces and returns the SQL expression (a bytea) that
 * joins them again. Pieces are cut at byte offsets: UTF-8 is decoded only after joining.
 */
export function pushJsonParam(values: unknown[], bytes: JsonParam): string {
  const pieces: string[] = [];
  let start = 0;
  do {
    values.push(bytes.subarray(start, start + MAX_PIECE_BYTES));
    pieces.push(`$${values.length}::bytea`);
    start += MAX_PIECE_BYTES;
  } while (start < bytes.length);
  return pieces.length === 1 ? (pieces[0] as string) : `(${pieces.join(' || ')})`;
}
