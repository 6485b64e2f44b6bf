-- Hand-written: orch_complete (one completion, ten statements) is no longer called. Since
-- 20261202140000_claim_binds_credential every completion goes through the set-based
-- orch_complete_many, a single completion being a batch of one; a second copy of the same
-- guards and writes would only drift from it.
DROP FUNCTION orch_complete(text, text, text, timestamptz, jsonb, text[], boolean, text[], text, boolean);
