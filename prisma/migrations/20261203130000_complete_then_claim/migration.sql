-- A worker's completions and its next claim in one statement (POST /workers/complete with
-- `claim`). The completions run first, so the slots they free are handed over (orch_complete_many)
-- before the claim looks: in a small queue the tasks the freed slots went to can be this worker's
-- next ones, without the second round trip of a separate claim nor the wake-up of another worker.
-- The rows: 'completed' ones as orch_complete_many's, then 'claimed' ones (the task as JSON).
CREATE FUNCTION orch_complete_then_claim(p_tasks text[], p_outputs jsonb[], p_worker text, p_actor text,
                                         p_at timestamptz, p_complete_from text[], p_handover boolean,
                                         p_dispatch_from text[], p_system text, p_credential text,
                                         p_skills text[], p_any boolean, p_max int, p_lease_until timestamptz,
                                         p_claim_from text[], p_first_steps jsonb, p_awaiting text)
RETURNS TABLE (kind text, task_id text, done boolean, task jsonb, unblocked text[], handed_over text[])
LANGUAGE plpgsql AS $$
BEGIN
  RETURN QUERY SELECT 'completed'::text, c.task_id, c.done, c.task, c.unblocked, c.handed_over
    FROM orch_complete_many(p_tasks, p_outputs, p_worker, p_actor, p_at, p_complete_from, p_handover,
                            p_dispatch_from, p_system, p_credential) c;
  RETURN QUERY SELECT 'claimed'::text, t.id, true, to_jsonb(t), NULL::text[], NULL::text[]
    FROM orch_claim(p_worker, p_actor, p_skills, p_any, p_max, p_lease_until, p_at, p_claim_from,
                    p_first_steps, p_awaiting, p_credential) t;
END $$;
