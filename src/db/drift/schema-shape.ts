// The neutral description of a database schema that both sides of the drift check are reduced to:
// what schema.prisma asks for (shape-from-datamodel.ts) and what the migrations built
// (shape-from-database.ts). compare-shapes.ts diffs two of these.

export interface SchemaShape {
  /** By table name (schema-qualified when not in `public`). */
  tables: Map<string, TableShape>;
  /** Enum type name → its values in order. */
  enums: Map<string, string[]>;
}

export interface TableShape {
  name: string;
  columns: Map<string, ColumnShape>;
  primaryKey: PrimaryKeyShape | null;
  /** Unique and non-unique indexes, excluding the primary key. */
  indexes: IndexShape[];
  foreignKeys: ForeignKeyShape[];
}

export interface ColumnShape {
  name: string;
  /** Canonical type, e.g. `text`, `varchar(32)`, `timestamptz(6)`, `bigint`, `peer_type`; lists end in `[]`. */
  type: string;
  isList: boolean;
  nullable: boolean;
  default: DefaultShape;
}

export type DefaultShape =
  | { kind: 'none' }
  | { kind: 'autoincrement' }
  | { kind: 'now' }
  /** A constant; `value` is canonical (numbers as written, JSON re-serialised, lists as a JSON array). */
  | { kind: 'literal'; value: string }
  /** Anything else (dbgenerated on the schema side, an unrecognised expression on the database side). */
  | { kind: 'expression'; sql: string };

export interface PrimaryKeyShape {
  name: string | null;
  columns: string[];
}

export interface IndexShape {
  /** null when unknown (never on the database side). */
  name: string | null;
  unique: boolean;
  columns: { name: string; descending: boolean }[];
  /** Access method: btree, hash, gin, gist, … */
  method: string;
  /** Database side: pg_get_indexdef, for messages about indexes the schema cannot express. */
  definition?: string;
}

export interface ForeignKeyShape {
  name: string | null;
  columns: string[];
  referencedTable: string;
  referencedColumns: string[];
  /** Prisma's spelling: Cascade, Restrict, NoAction, SetNull, SetDefault. */
  onDelete: string;
  onUpdate: string;
}
