import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compareShapes } from '../../../src/db/drift/compare-shapes.ts';
import { parseDefault } from '../../../src/db/drift/default-values.ts';
import type { ColumnShape, SchemaShape, TableShape } from '../../../src/db/drift/schema-shape.ts';

function column(name: string, type: string, overrides: Partial<ColumnShape> = {}): ColumnShape {
  return { name, type, isList: type.endsWith('[]'), nullable: false, default: { kind: 'none' }, ...overrides };
}

function table(name: string, columns: ColumnShape[], overrides: Partial<TableShape> = {}): TableShape {
  return {
    name,
    columns: new Map(columns.map((c) => [c.name, c])),
    primaryKey: { name: `${name}_pkey`, columns: ['id'] },
    indexes: [],
    foreignKeys: [],
    ...overrides,
  };
}

function shape(tables: TableShape[], enums: Record<string, string[]> = {}): SchemaShape {
  return { tables: new Map(tables.map((t) => [t.name, t])), enums: new Map(Object.entries(enums)) };
}

const baseline = (): SchemaShape =>
  shape(
    [
      table('accounts', [column('id', 'integer', { default: { kind: 'autoincrement' } })]),
      table(
        'sync_runs',
        [
          column('id', 'bigint', { default: { kind: 'autoincrement' } }),
          column('account_id', 'integer'),
          column('error_text', 'text', { nullable: true }),
          column('started_at', 'timestamptz(6)', { default: { kind: 'now' } }),
          column('waits', 'jsonb', { default: { kind: 'literal', value: '[]' } }),
          column('tags', 'text[]', { nullable: true }),
        ],
        {
          indexes: [
            {
              name: 'sync_runs_account_id_started_at_idx',
              unique: false,
              method: 'btree',
              columns: [
                { name: 'account_id', descending: false },
                { name: 'started_at', descending: true },
              ],
            },
          ],
          foreignKeys: [
            {
              name: null,
              columns: ['account_id'],
              referencedTable: 'accounts',
              referencedColumns: ['id'],
              onDelete: 'Cascade',
              onUpdate: 'Cascade',
            },
          ],
        },
      ),
    ],
    { sync_run_status: ['running', 'succeeded'] },
  );

function mutate(change: (s: SchemaShape) => void): SchemaShape {
  const copy = baseline();
  change(copy);
  return copy;
}

const syncRuns = (s: SchemaShape): TableShape => s.tables.get('sync_runs') as TableShape;

describe('compareShapes', () => {
  it('finds nothing when both sides are equal', () => {
    assert.deepEqual(compareShapes(baseline(), baseline()), []);
  });

  it('reports a column whose type and nullability differ, in one line', () => {
    const actual = mutate((s) => syncRuns(s).columns.set('error_text', column('error_text', 'varchar(200)')));
    assert.deepEqual(compareShapes(baseline(), actual), [
      'column sync_runs.error_text: schema says text NULL, database has varchar(200) NOT NULL',
    ]);
  });

  it('ignores the nullability of list columns (Prisma does too)', () => {
    const actual = mutate((s) => syncRuns(s).columns.set('tags', column('tags', 'text[]', { nullable: false })));
    assert.deepEqual(compareShapes(baseline(), actual), []);
  });

  it('reports missing and extra tables and columns', () => {
    const actual = mutate((s) => {
      s.tables.delete('accounts');
      syncRuns(s).columns.delete('waits');
      syncRuns(s).columns.set('extra', column('extra', 'integer', { nullable: true }));
      s.tables.set('leftover', table('leftover', [column('id', 'integer')]));
    });
    assert.deepEqual(compareShapes(baseline(), actual).sort(), [
      'column sync_runs.extra: in the database (integer NULL), not in the schema',
      'column sync_runs.waits: in the schema (jsonb NOT NULL), missing from the database',
      'table accounts: in the schema, missing from the database',
      'table leftover: in the database, not in the schema',
    ]);
  });

  it('reports default differences, treating equal numbers and JSON alike', () => {
    const actual = mutate((s) => {
      syncRuns(s).columns.set('started_at', column('started_at', 'timestamptz(6)'));
      syncRuns(s).columns.set('waits', column('waits', 'jsonb', { default: { kind: 'literal', value: '{}' } }));
    });
    assert.deepEqual(compareShapes(baseline(), actual), [
      'column sync_runs.started_at default: schema says now(), database has no default',
      'column sync_runs.waits default: schema says "[]", database has "{}"',
    ]);
    const numbers = shape([
      table('t', [column('n', 'double precision', { default: { kind: 'literal', value: '0' } })]),
    ]);
    const numbersActual = shape([
      table('t', [column('n', 'double precision', { default: { kind: 'literal', value: '0.0' } })]),
    ]);
    assert.deepEqual(compareShapes(numbers, numbersActual), []);
  });

  it('reports index differences by name: order, uniqueness, a renamed and a missing index', () => {
    const index = (s: SchemaShape) => syncRuns(s).indexes[0]!;
    const descLost = mutate((s) => (index(s).columns[1]!.descending = false));
    assert.deepEqual(compareShapes(baseline(), descLost), [
      'index sync_runs_account_id_started_at_idx on sync_runs: schema says (account_id, started_at DESC), database has (account_id, started_at)',
    ]);
    const madeUnique = mutate((s) => (index(s).unique = true));
    assert.match(
      compareShapes(baseline(), madeUnique)[0]!,
      /schema says \(account_id, started_at DESC\), database has unique \(account_id, started_at DESC\)/,
    );
    const renamed = mutate((s) => (index(s).name = 'runs_recent'));
    assert.deepEqual(compareShapes(baseline(), renamed), [
      'index (account_id, started_at DESC) on sync_runs: schema expects the name sync_runs_account_id_started_at_idx, database has runs_recent',
    ]);
    const missing = mutate((s) => (syncRuns(s).indexes = []));
    assert.deepEqual(compareShapes(baseline(), missing), [
      'index sync_runs_account_id_started_at_idx on sync_runs: schema says (account_id, started_at DESC), missing from the database',
    ]);
  });

  it('reports primary key, foreign key and enum differences', () => {
    const actual = mutate((s) => {
      syncRuns(s).primaryKey = { name: 'sync_runs_pkey', columns: ['id', 'account_id'] };
      syncRuns(s).foreignKeys[0]!.onDelete = 'Restrict';
      s.enums.set('sync_run_status', ['running']);
    });
    assert.deepEqual(compareShapes(baseline(), actual), [
      'enum sync_run_status: schema says values (running, succeeded), database has (running)',
      'primary key of sync_runs: schema says (id), database has (id, account_id)',
      'foreign key sync_runs (account_id) → accounts (id): schema says ON DELETE Cascade, database has Restrict',
    ]);
  });
});

describe('parseDefault (pg_get_expr output)', () => {
  const cases: [string | null, string, ReturnType<typeof parseDefault>][] = [
    [null, 'text', { kind: 'none' }],
    ["nextval('sync_runs_id_seq'::regclass)", 'bigint', { kind: 'autoincrement' }],
    ['CURRENT_TIMESTAMP', 'timestamptz(6)', { kind: 'now' }],
    ['now()', 'timestamptz(6)', { kind: 'now' }],
    ["'running'::sync_run_status", 'sync_run_status', { kind: 'literal', value: 'running' }],
    ["'it''s'::character varying", 'varchar(10)', { kind: 'literal', value: "it's" }],
    ['0', 'integer', { kind: 'literal', value: '0' }],
    ["'-1'::integer", 'integer', { kind: 'literal', value: '-1' }],
    ['false', 'boolean', { kind: 'literal', value: 'false' }],
    ["'[]'::jsonb", 'jsonb', { kind: 'literal', value: '[]' }],
    ['\'{"a": 1}\'::jsonb', 'jsonb', { kind: 'literal', value: '{"a":1}' }],
    ['ARRAY[]::text[]', 'text[]', { kind: 'literal', value: '[]' }],
    ["ARRAY['a'::text, 'b'::text]", 'text[]', { kind: 'literal', value: '["a","b"]' }],
    ["'{}'::text[]", 'text[]', { kind: 'literal', value: '[]' }],
    ['gen_random_uuid()', 'uuid', { kind: 'expression', sql: 'gen_random_uuid()' }],
  ];
  for (const [sql, type, expected] of cases) {
    it(`${sql} (${type})`, () => assert.deepEqual(parseDefault(sql, type), expected));
  }
});
