-- Peers chosen by rule ("all channels", "folder "News""…) instead of by name (issue 17): the rule that
-- brought a configured peer in, in its canonical spelling; NULL for peers listed explicitly. A run
-- disables a rule's peers that left its set (ordinary churn, not counted by the peers-file removal
-- guard) and leaves them alone when the rule could not be expanded.
ALTER TABLE "configured_peers" ADD COLUMN "added_by_rule" TEXT;
