// The drift check on a schema that uses what the project schema does not (yet): native types,
// Decimal, DateTime without a native type, Bytes, uuid ids, enum values with @map, enum and scalar
// lists with defaults, JSON defaults, dbgenerated, a non-id autoincrement, an optional relation.
// The migration is what Prisma's migration engine generates for it, so the check must find no drift,
// and every single-column edit of the SQL must be found.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { checkDrift } from '../../../src/db/drift.ts';
import { silentLogger } from '../../../src/observability/app-logger.ts';
import { testServerUrl } from '../../helpers/database.ts';

const schema = String.raw`
generator client {
  provider = "prisma-client"
  output   = "./never-generated"
}

datasource db {
  provider = "postgresql"
}

enum Kind {
  user
  groupChat @map("group")

  @@map("kind")
}

model Owner {
  id     Int     @id @default(autoincrement())
  things Thing[]

  @@map("owners")
}

model Thing {
  id        String   @id @default(uuid()) @db.Uuid
  code      String   @db.Char(4)
  name      String   @db.VarChar(100)
  price     Decimal  @default(1.5)
  ratio     Float    @default(0.25)
  createdAt DateTime @default(now()) @map("created_at")
  payload   Bytes?
  kind      Kind     @default(groupChat)
  kinds     Kind[]
  tags      String[] @default(["a", "b"])
  meta      Json     @default("{\"x\": 1}")
  seq       Int      @default(autoincrement())
  lowered   String   @default(dbgenerated("lower('ABC'::text)"))
  ownerId   Int?     @map("owner_id")
  owner     Owner?   @relation(fields: [ownerId], references: [id])

  @@unique([code, name])
  @@index([createdAt(sort: Desc)], map: "things_recent")
  @@map("things")
}
`;

const migration = `
CREATE TYPE "kind" AS ENUM ('user', 'group');
CREATE TABLE "owners" ("id" SERIAL NOT NULL, CONSTRAINT "owners_pkey" PRIMARY KEY ("id"));
CREATE TABLE "things" (
    "id" UUID NOT NULL,
    "code" CHAR(4) NOT NULL,
    "name" VARCHAR(100) NOT NULL,
    "price" DECIMAL(65,30) NOT NULL DEFAULT 1.5,
    "ratio" DOUBLE PRECISION NOT NULL DEFAULT 0.25,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "payload" BYTEA,
    "kind" "kind" NOT NULL DEFAULT 'group',
    "kinds" "kind"[],
    "tags" TEXT[] DEFAULT ARRAY['a', 'b']::TEXT[],
    "meta" JSONB NOT NULL DEFAULT '{"x": 1}',
    "seq" SERIAL NOT NULL,
    "lowered" TEXT NOT NULL DEFAULT lower('ABC'::text),
    "owner_id" INTEGER,
    CONSTRAINT "things_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "things_code_name_key" ON "things"("code", "name");
CREATE INDEX "things_recent" ON "things"("created_at" DESC);
ALTER TABLE "things" ADD CONSTRAINT "things_owner_id_fkey" FOREIGN KEY ("owner_id") REFERENCES "owners"("id") ON DELETE SET NULL ON UPDATE CASCADE;
`;

describe('checkDrift type mapping', () => {
  let workDir: string;
  let schemaPath: string;
  before(async () => {
    workDir = await mkdtemp(path.join(os.tmpdir(), 'drift-mapping-'));
    schemaPath = path.join(workDir, 'schema.prisma');
    await writeFile(schemaPath, schema);
  });
  after(() => rm(workDir, { recursive: true, force: true }));

  async function driftAgainst(sql: string): Promise<string[]> {
    const migrationsDir = await mkdtemp(path.join(workDir, 'migrations-'));
    await mkdir(path.join(migrationsDir, '1_init'));
    await writeFile(path.join(migrationsDir, '1_init', 'migration.sql'), sql);
    return (await checkDrift({ schemaPath, migrationsDir, serverUrl: testServerUrl(), logger: silentLogger }))
      .differences;
  }

  function edit(search: string, replacement: string): string {
    assert.equal(migration.split(search).length, 2, `exactly one "${search}" in the fixture migration`);
    return migration.replace(search, replacement);
  }

  it('finds no drift when the migration is what Prisma generates', async () => {
    assert.deepEqual(await driftAgainst(migration), []);
  });

  it('finds each deliberate difference in the migration', async () => {
    const differences = await driftAgainst(
      [
        ['"price" DECIMAL(65,30) NOT NULL DEFAULT 1.5', '"price" DECIMAL(10,2) NOT NULL DEFAULT 1.5'],
        ['"created_at" TIMESTAMP(3) NOT NULL', '"created_at" TIMESTAMPTZ(3) NOT NULL'],
        ["DEFAULT 'group'", "DEFAULT 'user'"],
        ["('user', 'group')", "('user', 'group', 'channel')"],
        ["ARRAY['a', 'b']::TEXT[]", "ARRAY['a']::TEXT[]"],
        ['"payload" BYTEA,', '"payload" BYTEA NOT NULL,'],
        ['ON DELETE SET NULL', 'ON DELETE CASCADE'],
        ['CREATE UNIQUE INDEX "things_code_name_key"', 'CREATE INDEX "things_code_name_key"'],
      ].reduce((sql, [search, replacement]) => {
        assert.equal(sql.split(search!).length, 2, `exactly one "${search}"`);
        return sql.replace(search!, replacement!);
      }, migration),
    );
    assert.deepEqual(differences.sort(), [
      'column things.created_at: schema says timestamp(3) NOT NULL, database has timestamptz(3) NOT NULL',
      'column things.kind default: schema says "group", database has "user"',
      'column things.payload: schema says bytea NULL, database has bytea NOT NULL',
      'column things.price: schema says numeric(65,30) NOT NULL, database has numeric(10,2) NOT NULL',
      'column things.tags default: schema says "[\\"a\\",\\"b\\"]", database has "[\\"a\\"]"',
      'enum kind: schema says values (user, group), database has (user, group, channel)',
      'foreign key things (owner_id) → owners (id): schema says ON DELETE SetNull, database has Cascade',
      'index things_code_name_key on things: schema says unique (code, name), database has (code, name)',
    ]);
  });

  it('notices a dbgenerated default that differs', async () => {
    assert.deepEqual(await driftAgainst(edit("lower('ABC'::text)", "upper('ABC'::text)")), [
      "column things.lowered default: schema says lower('ABC'::text), database has upper('ABC'::text)",
    ]);
  });
});
