-- Rules added from the command line (`peers add "all channels" --account main`) when no peers file is
-- configured: kept per account in their canonical spelling and expanded at every run, like the rules
-- of a peers file (issue 17). The peers they bring in are configured_peers rows with added_by_rule.
CREATE TABLE "configured_peer_rules" (
    "id" BIGSERIAL NOT NULL,
    "account_id" INTEGER NOT NULL,
    "rule" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "configured_peer_rules_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "configured_peer_rules_account_id_rule_key" ON "configured_peer_rules"("account_id", "rule");

ALTER TABLE "configured_peer_rules" ADD CONSTRAINT "configured_peer_rules_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE CASCADE ON UPDATE CASCADE;
