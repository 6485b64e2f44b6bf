-- A worker's completions and its next claim in one statement (POST /workers/complete with
-- `claim`). The completions run first, so the slots they free are handed over (orch_complete_many)
-- before the claim looks: in a small queue the tasks the freed slots went to can be this worker's
-- next ones, without the second round trip of a separate claim nor the wake-up of another worker.
-- The rows: 'completed' ones as orch_complete_many's, then 'claimed' ones (the task as JSON).
-- Both functions end with orch_flush_events(); here the flush is deferred to the end, so the
-- transaction still sends one NOTIFY for the events of both.

-- orch_flush_events as before, except while a caller combining hot-path functions defers it
-- (orch.defer_flush, transaction-local): the events stay pending for that caller's own flush.
CREATE OR REPLACE FUNCTION orch_flush_events() RETURNS int LANGUAGE plpgsql AS $$
DECLARE
  pending text := current_setting('orch.pending_events', true);
  ids bigint[];
  chunk bigint[];
  i int := 1;
BEGIN
  IF pending IS NULL OR pending = '' OR current_setting('orch.defer_flush', true) = 'on' THEN RETURN 0; END IF;
  PERFORM set_config('orch.pending_events', '', true);
  ids := string_to_array(rtrim(pending, ','), ',')::bigint[];
  WHILE i <= cardinality(ids) LOOP
    chunk := ids[i:i + 399];
    PERFORM pg_notify('orchestrator_events', (
      SELECT json_build_object('ids', array_agg(e.id ORDER BY e.id),
                               'types', array_agg(DISTINCT e.type),
                               'queues', coalesce(array_agg(DISTINCT e.queue) FILTER (WHERE e.queue IS NOT NULL), '{}'),
                               'waiting_starts', coalesce(bool_or(e.type = 'task.in_progress'
                                                                  AND e.payload ->> 'from' IS DISTINCT FROM 'SCHEDULED'), false))::text
      FROM events e WHERE e.id = ANY(chunk)));
    i := i + 400;
  END LOOP;
  RETURN cardinality(ids);
END $$;

CREATE FUNCTION orch_complete_then_claim(p_tasks text[], p_outputs jsonb[], p_worker text, p_actor text,
                                         p_at timestamptz, p_complete_from text[], p_handover boolean,
                                         p_dispatch_from text[], p_system text, p_credential text,
                                         p_skills text[], p_any boolean, p_max int, p_lease_until timestamptz,
                                         p_claim_from text[], p_first_steps jsonb, p_awaiting text)
RETURNS TABLE (kind text, task_id text, done boolean, task jsonb, unblocked text[], handed_over text[])
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM set_config('orch.defer_flush', 'on', true);
  RETURN QUERY SELECT 'completed'::text, c.task_id, c.done, c.task, c.unblocked, c.handed_over
    FROM orch_complete_many(p_tasks, p_outputs, p_worker, p_actor, p_at, p_complete_from, p_handover,
                            p_dispatch_from, p_system, p_credential) c;
  RETURN QUERY SELECT 'claimed'::text, t.id, true, to_jsonb(t), NULL::text[], NULL::text[]
    FROM orch_claim(p_worker, p_actor, p_skills, p_any, p_max, p_lease_until, p_at, p_claim_from,
                    p_first_steps, p_awaiting, p_credential) t;
  PERFORM set_config('orch.defer_flush', '', true);
  PERFORM orch_flush_events();
END $$;
