// Does a live database still look the way prisma/schema.prisma says, e.g. after a hand-made change?
// The same comparison as the drift check (drift.ts), but against the operator's database itself
// rather than a scratch one, so it needs no CREATEDB and changes nothing: `db status` runs it once
// every migration is applied. Tables in the schema `?schema=` names are compared as if in public,
// the way the job uses them.
import pg from 'pg';
import { pgClientConfig, schemaOfDatabaseUrl } from './connection-config.ts';
import { compareShapes } from './drift/compare-shapes.ts';
import { loadDatamodel } from './drift/dmmf.ts';
import type { SchemaShape } from './drift/schema-shape.ts';
import { shapeFromDatabase } from './drift/shape-from-database.ts';
import { shapeFromDatamodel } from './drift/shape-from-datamodel.ts';

/** One readable line per difference between the schema and the database; empty when they agree. */
export async function compareDatabaseWithSchema(options: {
  readonly schemaPath: string;
  readonly databaseUrl: string;
}): Promise<string[]> {
  const expected = shapeFromDatamodel(await loadDatamodel(options.schemaPath));
  const schema = schemaOfDatabaseUrl(options.databaseUrl);
  const client = new pg.Client(pgClientConfig(options.databaseUrl, 'tg-dialog-sync'));
  await client.connect();
  try {
    const [row] = (await client.query<{ schema: string }>('SELECT current_schema() AS schema')).rows;
    const where = schema ?? row?.schema ?? 'public';
    const actual = await shapeFromDatabase(client, [where]);
    return compareShapes(expected, where === 'public' ? actual : asPublic(actual, where));
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** The shape with `schema.` taken off the names of that schema (shape-from-database qualifies them). */
function asPublic(shape: SchemaShape, schema: string): SchemaShape {
  const prefix = `${schema}.`;
  const local = (name: string) => (name.startsWith(prefix) ? name.slice(prefix.length) : name);
  return {
    tables: new Map(
      [...shape.tables].map(([name, table]) => [
        local(name),
        {
          ...table,
          name: local(table.name),
          foreignKeys: table.foreignKeys.map((key) => ({ ...key, referencedTable: local(key.referencedTable) })),
        },
      ]),
    ),
    enums: new Map([...shape.enums].map(([name, values]) => [local(name), values])),
  };
}
