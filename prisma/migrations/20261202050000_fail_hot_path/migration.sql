-- Hand-written: a worker's recoverable failure in one statement (docs/engine.md, "Hot path"),
-- as orch_block does for a block. IN_PROGRESS → FAILED with last_error and next_retry_at, the
-- lease ended, history, audit, event, and the freed slot handed to the queue's next task.
-- p_backoff_ms[n + 1] is the delay before retry n + 1 when the task has failed n retries so far
-- (retry-policy.ts computes them); a task with no delay left gives up, which is the TypeScript
-- path's work (escalation, parent, dependents), so the function then writes nothing.
-- The end of a statement that freed a slot: the queue's next task takes it (when this instance's
-- engine dispatches), then the transaction's events go out in one NOTIFY.
CREATE FUNCTION orch_hand_over(p_queue text, p_at timestamptz, p_handover boolean, p_dispatch_from text[],
                               p_system text) RETURNS text[] LANGUAGE plpgsql AS $$
DECLARE
  scheduled text[] := '{}';
BEGIN
  IF p_handover THEN
    SELECT d.scheduled INTO scheduled FROM orch_dispatch_queue(p_queue, p_at, 1, p_dispatch_from, p_system, false) d;
  END IF;
  PERFORM orch_flush_events();
  RETURN scheduled;
END $$;

CREATE FUNCTION orch_fail(p_task text, p_worker text, p_actor text, p_at timestamptz, p_error text,
                          p_backoff_ms bigint[], p_from text[], p_handover boolean, p_dispatch_from text[],
                          p_system text,
                          OUT done boolean, OUT task jsonb, OUT next_retry_at timestamptz, OUT handed_over text[])
LANGUAGE plpgsql AS $$
DECLARE
  t tasks;
BEGIN
  done := false;
  handed_over := '{}';
  SELECT * INTO t FROM tasks WHERE id = p_task FOR UPDATE;
  IF NOT FOUND OR p_error IS NULL OR p_error = '' OR NOT (t.state::text = ANY(p_from)) OR t.state <> 'IN_PROGRESS'
     OR t.lease_owner IS DISTINCT FROM p_worker OR t.lease_expires_at IS NULL OR t.lease_expires_at <= p_at
     OR t.retry_count >= coalesce(cardinality(p_backoff_ms), 0) THEN
    RETURN;
  END IF;
  next_retry_at := p_at + make_interval(secs => p_backoff_ms[t.retry_count + 1] / 1000.0);
  UPDATE tasks SET state = 'FAILED', previous_state = 'IN_PROGRESS', state_changed_at = p_at,
                   last_error = p_error, next_retry_at = orch_fail.next_retry_at, lease_expires_at = NULL,
                   version = version + 1, updated_at = p_at, updated_by = p_actor
  WHERE id = p_task RETURNING * INTO t;
  INSERT INTO task_state_history (task_id, state, from_state, at, actor, reason, version)
  VALUES (p_task, 'FAILED', 'IN_PROGRESS', p_at, p_actor, p_error, t.version);
  INSERT INTO audit_log (at, actor, action, task_id, from_state, to_state, reason, details)
  VALUES (p_at, p_actor, 'task.failed', p_task, 'IN_PROGRESS', 'FAILED', p_error,
          jsonb_build_object('recoverable', true, 'retry_count', t.retry_count,
                             'next_attempt', t.retry_count + 1, 'next_retry_at', orch_iso(orch_fail.next_retry_at)));
  INSERT INTO events (at, type, task_id, version, payload, queue)
  VALUES (p_at, 'task.failed', p_task, t.version, '{"from": "IN_PROGRESS", "to": "FAILED"}', t.queue_name);
  done := true;
  task := to_jsonb(t);
  handed_over := orch_hand_over(t.queue_name, p_at, p_handover, p_dispatch_from, p_system);
END $$;
