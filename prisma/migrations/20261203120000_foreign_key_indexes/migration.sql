-- Every foreign key gets an index that starts with its columns (test/integration/db/foreign-key-indexes.test.ts
-- checks the whole schema). configured_peers.duplicate_of_id had none: each configured peer deleted
-- (or each one of an account deleted with it) made PostgreSQL scan all of configured_peers for the
-- entries marked as its duplicates (ON DELETE SET NULL) — 21.7 s for 1,000 rows of a 325k-row table.

-- CreateIndex
CREATE INDEX "configured_peers_duplicate_of_id_idx" ON "configured_peers"("duplicate_of_id");
