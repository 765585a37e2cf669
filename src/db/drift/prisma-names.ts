// Prisma's default names for constraints and indexes on PostgreSQL, used when the schema gives none
// (`map:`): {table}_pkey, {table}_{columns}_key (unique), {table}_{columns}_idx, {table}_{columns}_fkey.
// Like Prisma, an over-long name is cut so that the whole name fits PostgreSQL's 63-byte limit.

const MAX_IDENTIFIER_LENGTH = 63;

export function defaultPrimaryKeyName(table: string): string {
  return withSuffix(table, '_pkey');
}

export function defaultIndexName(table: string, columns: string[], unique: boolean): string {
  return withSuffix(`${table}_${columns.join('_')}`, unique ? '_key' : '_idx');
}

export function defaultForeignKeyName(table: string, columns: string[]): string {
  return withSuffix(`${table}_${columns.join('_')}`, '_fkey');
}

function withSuffix(base: string, suffix: string): string {
  const room = MAX_IDENTIFIER_LENGTH - suffix.length;
  return `${base.length > room ? base.slice(0, room) : base}${suffix}`;
}
