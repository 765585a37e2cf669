// What a database actually contains, read from pg_catalog and reduced to the same SchemaShape as the
// Prisma schema. Views (created by migrations only, never modelled) and Prisma's own bookkeeping
// table are left out on purpose.
import type pg from 'pg';
import { parseDefault } from './default-values.ts';
import type { ColumnShape, DefaultShape, IndexShape, SchemaShape, TableShape } from './schema-shape.ts';

interface TableRow {
  oid: number;
  schema: string;
  name: string;
}
interface ColumnRow {
  table_oid: number;
  name: string;
  not_null: boolean;
  type_name: string;
  element_type_name: string | null;
  type_is_enum: boolean;
  typmod: number;
  default_sql: string | null;
  identity: string;
  generated: string;
}
interface IndexRow {
  table_oid: number;
  name: string;
  is_unique: boolean;
  is_primary: boolean;
  columns: (string | null)[];
  options: number[];
  method: string;
  predicate: string | null;
  definition: string;
}
interface ForeignKeyRow {
  table_oid: number;
  name: string;
  columns: string[];
  referenced_schema: string;
  referenced_table: string;
  referenced_columns: string[];
  on_delete: string;
  on_update: string;
}

const REFERENTIAL_ACTIONS: Record<string, string> = {
  a: 'NoAction',
  r: 'Restrict',
  c: 'Cascade',
  n: 'SetNull',
  d: 'SetDefault',
};

/** Reads the tables and enums of the given schemas (e.g. ['public']). */
export async function shapeFromDatabase(client: pg.Client, schemas: string[]): Promise<SchemaShape> {
  const tableRows = (
    await client.query<TableRow>(
      `SELECT c.oid::int AS oid, n.nspname::text AS schema, c.relname::text AS name
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition
          AND n.nspname = ANY($1::text[]) AND c.relname <> '_prisma_migrations'`,
      [schemas],
    )
  ).rows;
  const oids = tableRows.map((row) => row.oid);

  const columnRows = (
    await client.query<ColumnRow>(
      `SELECT a.attrelid::int AS table_oid, a.attname::text AS name, a.attnotnull AS not_null,
              t.typname::text AS type_name, et.typname::text AS element_type_name,
              (coalesce(et.typtype, t.typtype) = 'e') AS type_is_enum, a.atttypmod AS typmod,
              pg_get_expr(d.adbin, d.adrelid) AS default_sql, a.attidentity::text AS identity,
              a.attgenerated::text AS generated
         FROM pg_attribute a
         JOIN pg_type t ON t.oid = a.atttypid
         LEFT JOIN pg_type et ON et.oid = t.typelem AND t.typcategory = 'A'
         LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
        WHERE a.attrelid = ANY($1::oid[]) AND a.attnum > 0 AND NOT a.attisdropped`,
      [oids],
    )
  ).rows;

  const indexRows = (
    await client.query<IndexRow>(
      `SELECT ix.indrelid::int AS table_oid, ic.relname::text AS name, ix.indisunique AS is_unique,
              ix.indisprimary AS is_primary,
              ARRAY(SELECT a.attname::text
                      FROM unnest((ix.indkey::int2[])[0:ix.indnkeyatts - 1]) WITH ORDINALITY AS k(attnum, ord)
                      LEFT JOIN pg_attribute a ON a.attrelid = ix.indrelid AND a.attnum = k.attnum AND k.attnum > 0
                     ORDER BY k.ord) AS columns,
              (ix.indoption::int2[])[0:ix.indnkeyatts - 1] AS options,
              am.amname::text AS method, pg_get_expr(ix.indpred, ix.indrelid) AS predicate,
              pg_get_indexdef(ix.indexrelid) AS definition
         FROM pg_index ix
         JOIN pg_class ic ON ic.oid = ix.indexrelid
         JOIN pg_am am ON am.oid = ic.relam
        WHERE ix.indrelid = ANY($1::oid[])`,
      [oids],
    )
  ).rows;

  const foreignKeyRows = (
    await client.query<ForeignKeyRow>(
      `SELECT con.conrelid::int AS table_oid, con.conname::text AS name,
              ARRAY(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY AS k(attnum, ord)
                      JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum ORDER BY k.ord) AS columns,
              rn.nspname::text AS referenced_schema, rc.relname::text AS referenced_table,
              ARRAY(SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY AS k(attnum, ord)
                      JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum ORDER BY k.ord) AS referenced_columns,
              con.confdeltype::text AS on_delete, con.confupdtype::text AS on_update
         FROM pg_constraint con
         JOIN pg_class rc ON rc.oid = con.confrelid
         JOIN pg_namespace rn ON rn.oid = rc.relnamespace
        WHERE con.contype = 'f' AND con.conrelid = ANY($1::oid[])`,
      [oids],
    )
  ).rows;

  const enumRows = (
    await client.query<{ schema: string; name: string; values: string[] }>(
      `SELECT n.nspname::text AS schema, t.typname::text AS name,
              array_agg(e.enumlabel::text ORDER BY e.enumsortorder) AS values
         FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid JOIN pg_namespace n ON n.oid = t.typnamespace
        WHERE n.nspname = ANY($1::text[])
        GROUP BY n.nspname, t.typname`,
      [schemas],
    )
  ).rows;

  const tables = new Map<string, TableShape>();
  for (const row of tableRows) {
    const name = qualified(row.schema, row.name);
    const columns = new Map<string, ColumnShape>();
    for (const column of columnRows.filter((c) => c.table_oid === row.oid)) {
      columns.set(column.name, columnShape(column));
    }
    const indexes = indexRows.filter((index) => index.table_oid === row.oid);
    const primary = indexes.find((index) => index.is_primary);
    tables.set(name, {
      name,
      columns,
      primaryKey: primary ? { name: primary.name, columns: primary.columns.map((c) => c ?? '(expression)') } : null,
      indexes: indexes.filter((index) => !index.is_primary).map(indexShape),
      foreignKeys: foreignKeyRows
        .filter((key) => key.table_oid === row.oid)
        .map((key) => ({
          name: key.name,
          columns: key.columns,
          referencedTable: qualified(key.referenced_schema, key.referenced_table),
          referencedColumns: key.referenced_columns,
          onDelete: REFERENTIAL_ACTIONS[key.on_delete] ?? key.on_delete,
          onUpdate: REFERENTIAL_ACTIONS[key.on_update] ?? key.on_update,
        })),
    });
  }
  const enums = new Map(enumRows.map((row) => [qualified(row.schema, row.name), row.values]));
  return { tables, enums };
}

function qualified(schema: string, name: string): string {
  return schema === 'public' ? name : `${schema}.${name}`;
}

function columnShape(row: ColumnRow): ColumnShape {
  const isList = row.element_type_name !== null;
  const base = canonicalType(row.element_type_name ?? row.type_name, row.typmod, row.type_is_enum);
  const type = isList ? `${base}[]` : base;
  let columnDefault: DefaultShape;
  if (row.identity) columnDefault = { kind: 'autoincrement' };
  else if (row.generated)
    columnDefault = { kind: 'expression', sql: `GENERATED ALWAYS AS (${row.default_sql ?? ''}) STORED` };
  else columnDefault = parseDefault(row.default_sql, type);
  return { name: row.name, type, isList, nullable: !row.not_null, default: columnDefault };
}

/** Catalog type name + typmod → the same spelling shape-from-datamodel.ts produces. */
function canonicalType(typname: string, typmod: number, isEnum: boolean): string {
  if (isEnum) return typname;
  const hasMod = typmod >= 0;
  switch (typname) {
    case 'int2':
      return 'smallint';
    case 'int4':
      return 'integer';
    case 'int8':
      return 'bigint';
    case 'float4':
      return 'real';
    case 'float8':
      return 'double precision';
    case 'bool':
      return 'boolean';
    case 'varchar':
      return hasMod ? `varchar(${typmod - 4})` : 'varchar';
    case 'bpchar':
      return `char(${hasMod ? typmod - 4 : 1})`;
    case 'bit':
      return `bit(${hasMod ? typmod : 1})`;
    case 'varbit':
      return hasMod ? `varbit(${typmod})` : 'varbit';
    case 'numeric':
      return hasMod ? `numeric(${((typmod - 4) >> 16) & 0xffff},${(typmod - 4) & 0xffff})` : 'numeric';
    case 'timestamp':
    case 'timestamptz':
    case 'time':
    case 'timetz':
      return `${typname}(${hasMod ? typmod : 6})`;
    default:
      return typname;
  }
}

function indexShape(row: IndexRow): IndexShape {
  const hasExpression = row.columns.some((column) => column === null);
  return {
    name: row.name,
    unique: row.is_unique,
    columns: row.columns.map((column, position) => ({
      name: column ?? '(expression)',
      // indoption bit 0 = DESC
      descending: ((row.options[position] ?? 0) & 1) === 1,
    })),
    // A partial or expression index cannot be written in schema.prisma; keep it distinguishable.
    method: row.predicate || hasExpression ? `${row.method} (partial/expression)` : row.method,
    definition: row.definition,
  };
}
