// Diffs what the schema asks for (expected) against what the database has (actual) and describes
// every difference as one readable line, e.g.
//   column sync_runs.error_text: schema says text NULL, database has varchar NOT NULL
// Pure: no I/O, so it is unit-tested directly.
import type {
  ColumnShape,
  DefaultShape,
  ForeignKeyShape,
  IndexShape,
  SchemaShape,
  TableShape,
} from './schema-shape.ts';

export function compareShapes(expected: SchemaShape, actual: SchemaShape): string[] {
  const differences: string[] = [];
  for (const [name, values] of expected.enums) {
    const actualValues = actual.enums.get(name);
    if (!actualValues) differences.push(`enum ${name}: in the schema, missing from the database`);
    else if (!sameSet(values, actualValues)) {
      differences.push(
        `enum ${name}: schema says values (${values.join(', ')}), database has (${actualValues.join(', ')})`,
      );
    }
  }
  for (const name of actual.enums.keys()) {
    if (!expected.enums.has(name)) differences.push(`enum ${name}: in the database, not in the schema`);
  }
  for (const [name, table] of expected.tables) {
    const actualTable = actual.tables.get(name);
    if (!actualTable) differences.push(`table ${name}: in the schema, missing from the database`);
    else differences.push(...compareTables(table, actualTable));
  }
  for (const name of actual.tables.keys()) {
    if (!expected.tables.has(name)) differences.push(`table ${name}: in the database, not in the schema`);
  }
  return differences;
}

function compareTables(expected: TableShape, actual: TableShape): string[] {
  const differences: string[] = [];
  const table = expected.name;
  for (const [name, column] of expected.columns) {
    const actualColumn = actual.columns.get(name);
    if (!actualColumn) {
      differences.push(`column ${table}.${name}: in the schema (${describeColumn(column)}), missing from the database`);
      continue;
    }
    if (column.type !== actualColumn.type || (!column.isList && column.nullable !== actualColumn.nullable)) {
      differences.push(
        `column ${table}.${name}: schema says ${describeColumn(column)}, database has ${describeColumn(actualColumn)}`,
      );
    }
    if (!sameDefault(column.default, actualColumn.default)) {
      differences.push(
        `column ${table}.${name} default: schema says ${describeDefault(column.default)}, database has ${describeDefault(actualColumn.default)}`,
      );
    }
  }
  for (const [name, column] of actual.columns) {
    if (!expected.columns.has(name)) {
      differences.push(`column ${table}.${name}: in the database (${describeColumn(column)}), not in the schema`);
    }
  }

  const expectedKey = expected.primaryKey;
  const actualKey = actual.primaryKey;
  if (expectedKey && !actualKey)
    differences.push(`primary key of ${table}: schema says (${expectedKey.columns.join(', ')}), database has none`);
  else if (!expectedKey && actualKey)
    differences.push(`primary key of ${table}: schema has none, database has (${actualKey.columns.join(', ')})`);
  else if (expectedKey && actualKey) {
    if (expectedKey.columns.join() !== actualKey.columns.join()) {
      differences.push(
        `primary key of ${table}: schema says (${expectedKey.columns.join(', ')}), database has (${actualKey.columns.join(', ')})`,
      );
    } else if (expectedKey.name && expectedKey.name !== actualKey.name) {
      differences.push(
        `primary key of ${table}: schema expects the name ${expectedKey.name}, database has ${actualKey.name}`,
      );
    }
  }

  differences.push(...compareIndexes(table, expected.indexes, actual.indexes));
  differences.push(...compareForeignKeys(table, expected.foreignKeys, actual.foreignKeys));
  return differences;
}

function compareIndexes(table: string, expected: IndexShape[], actual: IndexShape[]): string[] {
  const differences: string[] = [];
  const unmatchedActual = [...actual];
  const unmatchedExpected: IndexShape[] = [];
  // 1. Same name: compare what they index.
  for (const index of expected) {
    const position = unmatchedActual.findIndex((candidate) => candidate.name === index.name);
    if (position < 0) {
      unmatchedExpected.push(index);
      continue;
    }
    const [actualIndex] = unmatchedActual.splice(position, 1);
    if (actualIndex && indexSignature(index) !== indexSignature(actualIndex)) {
      differences.push(
        `index ${index.name} on ${table}: schema says ${describeIndex(index)}, database has ${describeIndex(actualIndex)}`,
      );
    }
  }
  // 2. Same definition under another name: only the name differs.
  for (const index of unmatchedExpected) {
    const position = unmatchedActual.findIndex((candidate) => indexSignature(candidate) === indexSignature(index));
    if (position >= 0) {
      const [actualIndex] = unmatchedActual.splice(position, 1);
      differences.push(
        `index ${describeIndex(index)} on ${table}: schema expects the name ${index.name}, database has ${actualIndex?.name}`,
      );
    } else {
      differences.push(
        `index ${index.name} on ${table}: schema says ${describeIndex(index)}, missing from the database`,
      );
    }
  }
  for (const index of unmatchedActual) {
    differences.push(
      `index ${index.name} on ${table}: in the database (${index.definition ?? describeIndex(index)}), not in the schema`,
    );
  }
  return differences;
}

function compareForeignKeys(table: string, expected: ForeignKeyShape[], actual: ForeignKeyShape[]): string[] {
  const differences: string[] = [];
  const unmatchedActual = [...actual];
  for (const key of expected) {
    const position = unmatchedActual.findIndex(
      (candidate) =>
        candidate.columns.join() === key.columns.join() &&
        candidate.referencedTable === key.referencedTable &&
        candidate.referencedColumns.join() === key.referencedColumns.join(),
    );
    if (position < 0) {
      differences.push(`foreign key ${describeForeignKey(table, key)}: in the schema, missing from the database`);
      continue;
    }
    const [actualKey] = unmatchedActual.splice(position, 1);
    if (!actualKey) continue;
    if (key.onDelete !== actualKey.onDelete) {
      differences.push(
        `foreign key ${describeForeignKey(table, key)}: schema says ON DELETE ${key.onDelete}, database has ${actualKey.onDelete}`,
      );
    }
    if (key.onUpdate !== actualKey.onUpdate) {
      differences.push(
        `foreign key ${describeForeignKey(table, key)}: schema says ON UPDATE ${key.onUpdate}, database has ${actualKey.onUpdate}`,
      );
    }
  }
  for (const key of unmatchedActual) {
    differences.push(`foreign key ${key.name} ${describeForeignKey(table, key)}: in the database, not in the schema`);
  }
  return differences;
}

function describeColumn(column: ColumnShape): string {
  return column.isList ? column.type : `${column.type} ${column.nullable ? 'NULL' : 'NOT NULL'}`;
}

function describeDefault(value: DefaultShape): string {
  switch (value.kind) {
    case 'none':
      return 'no default';
    case 'autoincrement':
      return 'autoincrement (sequence)';
    case 'now':
      return 'now()';
    case 'literal':
      return JSON.stringify(value.value);
    case 'expression':
      return value.sql;
  }
}

function sameDefault(expected: DefaultShape, actual: DefaultShape): boolean {
  if (expected.kind === 'expression') {
    // dbgenerated("…") that is not a plain constant: compare the SQL loosely (PostgreSQL re-prints it).
    if (expected.sql === '') return actual.kind !== 'none'; // dbgenerated() without SQL: any default
    return actual.kind === 'expression' && looseSql(expected.sql) === looseSql(actual.sql);
  }
  if (expected.kind !== actual.kind) return false;
  if (expected.kind === 'literal' && actual.kind === 'literal') {
    const a = expected.value;
    const b = actual.value;
    if (a === b) return true;
    const numeric = /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/;
    return numeric.test(a) && numeric.test(b) && Number(a) === Number(b);
  }
  return true;
}

function looseSql(sql: string): string {
  return sql
    .toLowerCase()
    .replace(/["\s]/g, '')
    .replace(/::[a-z_ ]+(\[\])?/g, '');
}

function indexSignature(index: IndexShape): string {
  const columns = index.columns.map((column) => `${column.name}${column.descending ? ' DESC' : ''}`).join(', ');
  return `${index.unique ? 'unique' : 'non-unique'} ${index.method} (${columns})`;
}

function describeIndex(index: IndexShape): string {
  const columns = index.columns.map((column) => `${column.name}${column.descending ? ' DESC' : ''}`).join(', ');
  const method = index.method === 'btree' ? '' : ` using ${index.method}`;
  return `${index.unique ? 'unique ' : ''}(${columns})${method}`;
}

function describeForeignKey(table: string, key: ForeignKeyShape): string {
  return `${table} (${key.columns.join(', ')}) → ${key.referencedTable} (${key.referencedColumns.join(', ')})`;
}

function sameSet(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((value) => b.includes(value));
}
