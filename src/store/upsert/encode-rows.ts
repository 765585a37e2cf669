import type { UpsertSpec } from './upsert-spec.ts';

/**
 * The rows of one table as the statement's single jsonb parameter. bigint travels as a decimal string
 * (JSON numbers lose precision above 2^53; PostgreSQL casts the string to bigint).
 */
export function encodeRows<Row>(spec: UpsertSpec<Row>, rows: readonly Row[]): string {
  const flags = spec.inputFlags ?? [];
  const records = rows.map((row) => {
    const record: Record<string, unknown> = {};
    for (const column of spec.columns) record[column.column] = column.value(row);
    for (const flag of flags) record[flag.name] = flag.value(row);
    return record;
  });
  return JSON.stringify(records, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value));
}
