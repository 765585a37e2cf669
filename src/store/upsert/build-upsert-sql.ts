import { columnKey, flagKey } from './encode-rows.ts';
import { jsonbParam } from './json-param.ts';
import type { ColumnSpec, UpsertSpec } from './upsert-spec.ts';

/**
 * The single statement that writes a batch of rows for one table:
 *  - rows arrive as one JSON parameter (cheap for Prisma to pass: one byte string instead of one array
 *    per column, see json-param.ts), values keyed by position (columnKey), expanded by jsonb_to_recordset;
 *  - each is merged with the stored row (min / forbidden / tombstone rules live in the spec);
 *  - rows whose merged content equals the stored content are filtered out *before* the insert, so an
 *    unchanged re-sync locks nothing, writes no tuple and no WAL;
 *  - the rest are inserted in key order (concurrent writers lock rows in one order: no deadlocks);
 *  - a row that exists by then is updated by merging the incoming row with the row as locked, not
 *    with the one the statement read: under READ COMMITTED another account's transaction may have
 *    committed the row since the statement's snapshot (or inserted it, still uncommitted, when the
 *    statement read nothing), and ON CONFLICT then waits for it and updates its version. Taking
 *    EXCLUDED (merged against the snapshot) there would let a min or forbidden copy erase the full
 *    data just committed. Merged again against the locked row, the rules hold whatever the interleaving,
 *    and the content is compared with that row too, so an equal result writes nothing;
 *  - it returns how many rows were inserted and how many updated.
 */
export function buildUpsertSql<Row>(spec: UpsertSpec<Row>): string {
  return `WITH ${buildUpsertCtes(spec, { prefix: '', param: 1 })}
SELECT count(*) FILTER (WHERE inserted)::int AS inserted, count(*) FILTER (WHERE NOT inserted)::int AS updated FROM written`;
}

export interface UpsertCteNames {
  /** Prepended to the CTE names (`i`, `m`, `written`), so that several tables fit in one statement. */
  readonly prefix: string;
  /** The number of the statement's jsonb parameter that carries the rows. */
  readonly param: number;
}

/**
 * The same upsert as common table expressions `<prefix>i`, `<prefix>m` and `<prefix>written` (whose
 * rows are `inserted` booleans), for writing several tables in one statement: one round trip instead
 * of one per table. All CTEs of a statement read the same snapshot, so each table's merge still sees
 * its stored rows as they were before the statement.
 */
export function buildUpsertCtes<Row>(spec: UpsertSpec<Row>, names: UpsertCteNames): string {
  const { prefix, param } = names;
  const keys = spec.columns.filter((column) => column.role === 'key');
  const content = spec.columns.filter((column) => column.role === 'content');
  const firstKey = keys[0];
  if (firstKey === undefined) throw new Error(`upsert spec for ${spec.table} has no key column`);

  const inputColumns = [
    ...spec.columns.map((column, index) => `${columnKey(index)} ${inputType(column)}`),
    ...(spec.inputFlags ?? []).map((flag, index) => `${flagKey(index)} ${flag.sqlType}`),
  ];
  const converted = [
    ...spec.columns.map((column, index) => `${convertedInput(column, `r.${columnKey(index)}`)} AS ${column.column}`),
    ...(spec.inputFlags ?? []).map((flag, index) => `r.${flagKey(index)} AS ${flag.name}`),
  ];
  const mergedColumns = spec.columns.map((column) =>
    column.role === 'key' ? `i.${column.column}` : `${column.merge ?? `i.${column.column}`} AS ${column.column}`,
  );
  const storedContent = content.map((column) => `s.${column.column} AS stored_${column.column}`);
  const joinOnKeys = keys.map((column) => `s.${column.column} = i.${column.column}`).join(' AND ');
  const stored = spec.columns.map((column) => column.column);
  const writtenColumns = [...stored, ...timestampColumns(spec)];
  const writtenValues = [...stored.map((name) => `m.${name}`), ...timestampColumns(spec).map(() => 'now()')];
  const contentTuple = (alias: string) => `ROW(${content.map((column) => `${alias}${column.column}`).join(', ')})`;
  const storedTuple = `ROW(${content.map((column) => `m.stored_${column.column}`).join(', ')})`;
  // The merge again, with \`s\` the row as locked (\`t\`, ON CONFLICT's target) and \`i\` this row's
  // input (flags included, which EXCLUDED does not carry), found by key.
  const nonKey = spec.columns.filter((column) => column.role !== 'key');
  const mergeExpression = (column: ColumnSpec<Row>) => column.merge ?? `i.${column.column}`;
  const againstLocked = (select: string) =>
    `(SELECT ${select} FROM ${prefix}i AS i CROSS JOIN LATERAL (SELECT t.*) AS s WHERE ${keys.map((column) => `i.${column.column} = EXCLUDED.${column.column}`).join(' AND ')})`;
  const updatedColumns = [
    ...nonKey.map((column) => column.column),
    ...(spec.timestamps === 'none' ? [] : ['updated_at']),
  ];
  const updatedValues = [...nonKey.map(mergeExpression), ...(spec.timestamps === 'none' ? [] : ['now()'])];
  const changedAgainstLocked = againstLocked(
    `ROW(${content.map(mergeExpression).join(', ')}) IS DISTINCT FROM ${contentTuple('t.')}`,
  );

  return `${prefix}i AS (
  SELECT ${converted.join(', ')}
  FROM jsonb_to_recordset(${jsonbParam(param)}) AS r(${inputColumns.join(', ')})
),
${prefix}m AS (
  SELECT ${[...mergedColumns, ...storedContent, `(s.${firstKey.column} IS NULL) AS is_new`].join(',\n    ')}
  FROM ${prefix}i AS i LEFT JOIN ${spec.table} s ON ${joinOnKeys}
),
${prefix}written AS (
  INSERT INTO ${spec.table} AS t (${writtenColumns.join(', ')})
  SELECT ${writtenValues.join(', ')}
  FROM ${prefix}m AS m
  WHERE m.is_new OR ${contentTuple('m.')} IS DISTINCT FROM ${storedTuple}
  ORDER BY ${keys.map((column) => `m.${column.column}`).join(', ')}
  ON CONFLICT (${keys.map((column) => column.column).join(', ')}) DO UPDATE
  SET (${updatedColumns.join(', ')}) = ${againstLocked(updatedValues.join(', '))}
  WHERE ${changedAgainstLocked}
  RETURNING (xmax = 0) AS inserted
)`;
}

function timestampColumns<Row>(spec: UpsertSpec<Row>): string[] {
  switch (spec.timestamps) {
    case 'created-and-updated':
      return ['created_at', 'updated_at'];
    case 'updated-only':
      return ['updated_at'];
    case 'none':
      return [];
  }
}

function inputType<Row>(column: ColumnSpec<Row>): string {
  return column.encoding === 'epoch-seconds' ? 'double precision' : column.sqlType;
}

function convertedInput<Row>(column: ColumnSpec<Row>, input: string): string {
  return column.encoding === 'epoch-seconds' ? `to_timestamp(${input})` : input;
}
