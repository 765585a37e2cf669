import { jsonParam, type JsonParam } from './json-param.ts';
import type { UpsertSpec } from './upsert-spec.ts';

/**
 * The key of a column's value in the JSON rows: its position, not its name ("c0", "c1"…; flags "f0"…).
 * Names made up a third of a batch's bytes, and every byte costs time in Prisma's parameter path.
 */
export const columnKey = (index: number): string => `c${index}`;
export const flagKey = (index: number): string => `f${index}`;

/**
 * The rows of one table as the statement's single JSON parameter (see json-param.ts). bigint travels as a decimal string
 * (JSON numbers lose precision above 2^53; PostgreSQL casts the string to bigint).
 */
export function encodeRows<Row>(spec: UpsertSpec<Row>, rows: readonly Row[]): JsonParam {
  const flags = spec.inputFlags ?? [];
  const records = rows.map((row) => {
    const record: Record<string, unknown> = {};
    // A missing key reads as NULL in jsonb_to_recordset: NULLs are left out (fewer bytes through Prisma).
    spec.columns.forEach((column, index) => {
      const value = column.value(row);
      if (value !== null && value !== undefined) record[columnKey(index)] = jsonSafe(value);
    });
    flags.forEach((flag, index) => {
      const value = flag.value(row);
      if (value !== null && value !== undefined) record[flagKey(index)] = jsonSafe(value);
    });
    return record;
  });
  // No replacer on the fast path: JSON.stringify calls a replacer for every key of every nested raw
  // object (tl_object), which made encoding several times slower. Column values are converted above and
  // tlToJson already writes longs as strings; a bigint nested anywhere else makes JSON.stringify throw,
  // and then the rows are encoded again with the replacer.
  try {
    return jsonParam(JSON.stringify(records));
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
    return jsonParam(
      JSON.stringify(records, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value)),
    );
  }
}

function jsonSafe(value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value) && value.some((item) => typeof item === 'bigint')) return value.map(jsonSafe);
  return value;
}
