/**
 * A declarative description of one content-only upsert: which columns a row has, which are the key,
 * which are content (a difference makes the row changed) and which are volatile (refreshed only with a
 * content change), and how an incoming value merges with the stored one.
 *
 * In `merge` expressions, `i` is the incoming row and `s` the stored row (all NULL when there is none).
 */
export type ColumnRole = 'key' | 'content' | 'volatile';

/** How a value travels in the JSON parameter: times travel as Unix seconds and become timestamptz. */
export type InputEncoding = 'plain' | 'epoch-seconds';

export interface ColumnSpec<Row> {
  readonly column: string;
  readonly sqlType: string;
  readonly role: ColumnRole;
  readonly value: (row: Row) => unknown;
  readonly encoding?: InputEncoding;
  /** SQL for the value to store, from `i` and `s`; defaults to the incoming value. */
  readonly merge?: string;
}

/** A value the merge rules read that is not stored (e.g. "this copy is min"). */
export interface InputFlagSpec<Row> {
  readonly name: string;
  readonly sqlType: string;
  readonly value: (row: Row) => unknown;
}

export interface UpsertSpec<Row> {
  readonly table: string;
  readonly columns: readonly ColumnSpec<Row>[];
  readonly inputFlags?: readonly InputFlagSpec<Row>[];
  /** The table has created_at/updated_at maintained by the writer (updated_at moves on content change). */
  readonly timestamps: 'created-and-updated' | 'updated-only' | 'none';
}

/** `s.col` when a stored row exists and `condition` holds, else the incoming value. */
export function keepStoredWhen(condition: string, column: string, firstKeyColumn: string): string {
  return `CASE WHEN s.${firstKeyColumn} IS NOT NULL AND (${condition}) THEN s.${column} ELSE ${incoming(column)} END`;
}

/** The incoming value of a column as the merge sees it (epoch columns are already converted). */
export function incoming(column: string): string {
  return `i.${column}`;
}
