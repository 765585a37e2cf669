// What schema.prisma asks of PostgreSQL, derived from Prisma's DMMF the way Prisma's migration engine
// would render it: default native types per scalar, @map/@@map names, default constraint names,
// referential-action defaults.
import { canonicalJson, parseDefault } from './default-values.ts';
import type { Datamodel, DmmfEnum, DmmfField, DmmfIndex, DmmfModel } from './dmmf.ts';
import { defaultIndexName, defaultPrimaryKeyName } from './prisma-names.ts';
import type {
  ColumnShape,
  DefaultShape,
  ForeignKeyShape,
  IndexShape,
  SchemaShape,
  TableShape,
} from './schema-shape.ts';

export function shapeFromDatamodel(datamodel: Datamodel): SchemaShape {
  const enums = new Map<string, string[]>();
  for (const enumType of datamodel.enums) {
    enums.set(
      enumDbName(enumType),
      enumType.values.map((value) => value.dbName ?? value.name),
    );
  }
  const modelsByName = new Map(datamodel.models.map((model) => [model.name, model]));
  const enumsByName = new Map(datamodel.enums.map((enumType) => [enumType.name, enumType]));

  const tables = new Map<string, TableShape>();
  for (const model of datamodel.models) {
    const table = tableName(model);
    const columns = new Map<string, ColumnShape>();
    for (const field of model.fields) {
      if (field.kind !== 'scalar' && field.kind !== 'enum') continue;
      const column = columnShape(field, enumsByName);
      columns.set(column.name, column);
    }
    const modelIndexes = datamodel.indexes.filter((index) => index.model === model.name);
    const idIndex = modelIndexes.find((index) => index.type === 'id');
    tables.set(table, {
      name: table,
      columns,
      primaryKey: idIndex
        ? {
            name: idIndex.dbName ?? defaultPrimaryKeyName(table),
            columns: idIndex.fields.map((f) => columnName(model, f.name)),
          }
        : null,
      indexes: modelIndexes
        .filter((index) => index.type === 'unique' || index.type === 'normal')
        .map((index) => indexShape(model, table, index)),
      foreignKeys: foreignKeys(model, modelsByName),
    });
  }
  return { tables, enums };
}

export function tableName(model: DmmfModel): string {
  const name = model.dbName ?? model.name;
  return model.schema && model.schema !== 'public' ? `${model.schema}.${name}` : name;
}

function enumDbName(enumType: DmmfEnum): string {
  return enumType.dbName ?? enumType.name;
}

function columnName(model: DmmfModel, fieldName: string): string {
  const field = model.fields.find((candidate) => candidate.name === fieldName);
  return field?.dbName ?? fieldName;
}

function columnShape(field: DmmfField, enumsByName: Map<string, DmmfEnum>): ColumnShape {
  const enumType = field.kind === 'enum' ? enumsByName.get(field.type) : undefined;
  const baseType = enumType ? enumDbName(enumType) : scalarType(field);
  const type = field.isList ? `${baseType}[]` : baseType;
  return {
    name: field.dbName ?? field.name,
    type,
    isList: field.isList,
    // Prisma renders list columns without NOT NULL and ignores their nullability when diffing.
    nullable: field.isList ? true : !field.isRequired,
    default: defaultShape(field, enumType, type),
  };
}

/** The PostgreSQL type Prisma's migration engine renders for a scalar field. */
function scalarType(field: DmmfField): string {
  const [nativeName, nativeArgs = []] = field.nativeType ?? [];
  const arg = (index: number): string | undefined => nativeArgs[index];
  const withArg = (name: string, value: string | undefined): string =>
    value === undefined ? name : `${name}(${value})`;
  if (nativeName) {
    switch (nativeName) {
      case 'Text':
        return 'text';
      case 'VarChar':
        return withArg('varchar', arg(0));
      case 'Char':
        return `char(${arg(0) ?? 1})`;
      case 'Uuid':
        return 'uuid';
      case 'Xml':
        return 'xml';
      case 'Inet':
        return 'inet';
      case 'Citext':
        return 'citext';
      case 'Bit':
        return `bit(${arg(0) ?? 1})`;
      case 'VarBit':
        return withArg('varbit', arg(0));
      case 'Integer':
        return 'integer';
      case 'SmallInt':
        return 'smallint';
      case 'BigInt':
        return 'bigint';
      case 'Oid':
        return 'oid';
      case 'DoublePrecision':
        return 'double precision';
      case 'Real':
        return 'real';
      case 'Decimal':
        return nativeArgs.length ? `numeric(${nativeArgs.join(',')})` : 'numeric';
      case 'Money':
        return 'money';
      case 'Boolean':
        return 'boolean';
      // Without a precision PostgreSQL keeps microseconds, i.e. precision 6.
      case 'Timestamp':
        return `timestamp(${arg(0) ?? 6})`;
      case 'Timestamptz':
        return `timestamptz(${arg(0) ?? 6})`;
      case 'Date':
        return 'date';
      case 'Time':
        return `time(${arg(0) ?? 6})`;
      case 'Timetz':
        return `timetz(${arg(0) ?? 6})`;
      case 'Json':
        return 'json';
      case 'JsonB':
        return 'jsonb';
      case 'ByteA':
        return 'bytea';
      default:
        return nativeName.toLowerCase();
    }
  }
  switch (field.type) {
    case 'String':
      return 'text';
    case 'Int':
      return 'integer';
    case 'BigInt':
      return 'bigint';
    case 'Float':
      return 'double precision';
    case 'Decimal':
      return 'numeric(65,30)';
    case 'Boolean':
      return 'boolean';
    case 'DateTime':
      return 'timestamp(3)';
    case 'Json':
      return 'jsonb';
    case 'Bytes':
      return 'bytea';
    default:
      return field.type;
  }
}

function defaultShape(field: DmmfField, enumType: DmmfEnum | undefined, columnType: string): DefaultShape {
  const value = field.default;
  if (value === undefined || value === null) return { kind: 'none' };
  if (typeof value === 'object' && !Array.isArray(value) && 'name' in value) {
    const fn = value as { name: string; args?: unknown[] };
    switch (fn.name) {
      case 'autoincrement':
      case 'sequence':
        return { kind: 'autoincrement' };
      case 'now':
        return { kind: 'now' };
      case 'dbgenerated':
        // Read the SQL the way the database's default is read, so both sides compare alike.
        return parseDefault(String(fn.args?.[0] ?? ''), columnType);
      default:
        // uuid(), cuid(), nanoid(), ulid(): generated by the client, no database default.
        return { kind: 'none' };
    }
  }
  const enumValue = (name: unknown): string =>
    enumType?.values.find((candidate) => candidate.name === name)?.dbName ?? String(name);
  if (Array.isArray(value)) {
    return { kind: 'literal', value: JSON.stringify(value.map((item) => (enumType ? enumValue(item) : String(item)))) };
  }
  if (enumType) return { kind: 'literal', value: enumValue(value) };
  if (field.type === 'Json' && typeof value === 'string') return { kind: 'literal', value: canonicalJson(value) };
  return { kind: 'literal', value: String(value) };
}

function indexShape(model: DmmfModel, table: string, index: DmmfIndex): IndexShape {
  const columns = index.fields.map((field) => ({
    name: columnName(model, field.name),
    descending: field.sortOrder === 'desc',
  }));
  const unique = index.type === 'unique';
  return {
    name:
      index.dbName ??
      defaultIndexName(
        table,
        columns.map((column) => column.name),
        unique,
      ),
    unique,
    columns,
    method: (index.algorithm ?? 'BTree').toLowerCase(),
  };
}

function foreignKeys(model: DmmfModel, modelsByName: Map<string, DmmfModel>): ForeignKeyShape[] {
  const keys: ForeignKeyShape[] = [];
  for (const field of model.fields) {
    if (field.kind !== 'object' || !field.relationFromFields?.length) continue;
    const target = modelsByName.get(field.type);
    if (!target) continue;
    const fromFields = field.relationFromFields.map((name) => model.fields.find((f) => f.name === name));
    const allRequired = fromFields.every((f) => f?.isRequired);
    keys.push({
      name: null, // the DMMF does not carry @relation(map: …); foreign keys are matched by columns
      columns: field.relationFromFields.map((name) => columnName(model, name)),
      referencedTable: tableName(target),
      referencedColumns: (field.relationToFields ?? []).map((name) => columnName(target, name)),
      // Prisma's defaults: Restrict for required relations, SetNull for optional ones; Cascade on update.
      onDelete: field.relationOnDelete ?? (allRequired ? 'Restrict' : 'SetNull'),
      onUpdate: field.relationOnUpdate ?? 'Cascade',
    });
  }
  return keys;
}
