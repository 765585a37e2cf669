// The harness's per-file databases and the Prisma client on them.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { connectPg, createTestDatabase, createTestPrismaClient, type TestDatabase } from '../../helpers/database.ts';

describe('test databases cloned from the migrated template', () => {
  let first: TestDatabase;
  let second: TestDatabase;
  before(async () => {
    [first, second] = await Promise.all([createTestDatabase('clone_a'), createTestDatabase('clone_b')]);
  });
  after(async () => {
    await Promise.all([first.drop(), second.drop()]);
  });

  it('have every migration applied', async () => {
    const client = await connectPg(first.url);
    try {
      const { rows } = await client.query(
        'SELECT count(*)::int AS n FROM _prisma_migrations WHERE finished_at IS NOT NULL',
      );
      assert.ok(rows[0].n >= 1);
      const tables = await client.query(`SELECT to_regclass('accounts')::text AS t`);
      assert.equal(tables.rows[0].t, 'accounts');
    } finally {
      await client.end();
    }
  });

  it('work with the Prisma client and are isolated from each other', async () => {
    const prisma = createTestPrismaClient(first.url);
    try {
      const account = await prisma.account.create({ data: { label: 'alice' } });
      assert.equal(account.status, 'needs_login');
      assert.equal((await prisma.account.findUniqueOrThrow({ where: { label: 'alice' } })).id, account.id);
    } finally {
      await prisma.$disconnect();
    }
    const other = await connectPg(second.url);
    try {
      assert.equal((await other.query('SELECT count(*)::int AS n FROM accounts')).rows[0].n, 0);
    } finally {
      await other.end();
    }
  });

  it('are gone after drop()', async () => {
    const extra = await createTestDatabase('dropped');
    await extra.drop();
    await assert.rejects(connectPg(extra.url), /does not exist/);
  });
});
