/**
 * The batch writer runs as a database function created by a migration from the table specs. When a
 * spec changes, the function in the database must change with it: this fails until a new migration
 * carries the regenerated text.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { WRITE_BATCH_FUNCTION, writeBatchFunctionSql } from '../../../src/store/write-batch.ts';

const migrationsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../prisma/migrations');

/** The last migration that (re)defines the function, and its definition without the comment lines. */
function latestDefinition(): { migration: string; ddl: string } | null {
  const folders = readdirSync(migrationsDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  for (const folder of folders.reverse()) {
    const text = readFileSync(path.join(migrationsDir, folder, 'migration.sql'), 'utf8');
    const start = text.indexOf(`CREATE OR REPLACE FUNCTION ${WRITE_BATCH_FUNCTION}(`);
    if (start >= 0) return { migration: folder, ddl: text.slice(start) };
  }
  return null;
}

describe('the batch writer function', () => {
  it('is defined by the latest migration exactly as the table specs generate it', () => {
    const latest = latestDefinition();
    assert.ok(
      latest,
      `no migration creates ${WRITE_BATCH_FUNCTION}; add one with the output of npm run db:write-batch-function`,
    );
    assert.equal(
      latest.ddl,
      writeBatchFunctionSql(),
      `${latest.migration} holds an older ${WRITE_BATCH_FUNCTION}: add a NEW migration with the output of npm run db:write-batch-function`,
    );
  });

  it('pins index lookups for the session-cached plan and resolves names to columns', () => {
    const ddl = writeBatchFunctionSql();
    for (const setting of ['enable_seqscan = off', 'enable_hashjoin = off', 'enable_mergejoin = off'])
      assert.match(ddl, new RegExp(`\\nSET ${setting}\\n`));
    assert.match(ddl, /#variable_conflict use_column/);
  });
});
