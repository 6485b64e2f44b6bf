-- Hand-written: the worker hot path takes no extra round trip for the lease's credential
-- (server/engine/execution/lease-holder.ts), and a claim's own event no longer wakes the engine.
--
-- * orch_claim binds the leases it grants to the claiming credential in its own UPDATE
--   (p_credential). The worker protocol used to bind them in a second statement, through Prisma,
--   after the claim: a round trip per claim, and a few milliseconds in which a lease was matched on
--   the worker id alone.
-- * orch_complete_many refuses (done = false, nothing written) a task whose lease is bound to
--   another credential, read under the task's row lock; the caller's TypeScript path then answers
--   LEASE_NOT_HELD. It used to be read beforehand, through Prisma, in a separate statement.
-- * The NOTIFY says whether a task went IN_PROGRESS without a worker (a retry, a resume, a start
--   now: "waiting_starts"). A claim's SCHEDULED -> IN_PROGRESS needs nothing from the dispatcher
--   (no slot freed, nothing to push), yet its task.in_progress woke a full dispatch round on every
--   claim; the engine now wakes only when a start may wait for a webhook push.

DROP FUNCTION orch_claim(text, text, text[], boolean, int, timestamptz, timestamptz, text[], jsonb, text);
CREATE FUNCTION orch_claim(p_worker text, p_actor text, p_skills text[], p_any boolean, p_max int,
                           p_lease_until timestamptz, p_at timestamptz, p_from text[], p_first_steps jsonb,
                           p_awaiting text, p_credential text)
RETURNS SETOF tasks LANGUAGE plpgsql AS $$
DECLARE
  ids text[] := '{}';
  q record;
  more text[];
BEGIN
  SELECT coalesce(array_agg(id), '{}') INTO ids FROM (
    SELECT t.id FROM tasks t JOIN queues qq ON qq.name = t.queue_name
    WHERE t.state = 'IN_PROGRESS' AND t.lease_expires_at IS NULL AND t.archived_at IS NULL
      AND t.lease_owner IS DISTINCT FROM p_awaiting
      AND (p_any OR t.skill_target = ANY(p_skills))
      AND NOT EXISTS (SELECT 1 FROM skill_executors e WHERE e.skill = t.skill_target AND e.enabled
                                                      AND e.kind IN ('webhook', 'human'))
    ORDER BY qq.sort_order, t.priority_score DESC, t.state_changed_at, t.id
    LIMIT p_max FOR UPDATE OF t SKIP LOCKED) r;
  IF 'SCHEDULED' = ANY(p_from) THEN
    FOR q IN SELECT name FROM queues ORDER BY sort_order LOOP
      EXIT WHEN cardinality(ids) >= p_max;
      SELECT coalesce(array_agg(id), '{}') INTO more FROM (
        SELECT t.id FROM tasks t
        WHERE t.queue_name = q.name AND t.state = 'SCHEDULED' AND t.archived_at IS NULL
          AND (p_any OR t.skill_target = ANY(p_skills))
          AND NOT EXISTS (SELECT 1 FROM skill_executors e WHERE e.skill = t.skill_target AND e.enabled
                                                          AND e.kind IN ('webhook', 'human'))
          AND NOT EXISTS (SELECT 1 FROM task_dependencies dep JOIN tasks blk ON blk.id = dep.blocker_id
                          WHERE dep.dependent_id = t.id AND blk.state <> 'COMPLETED')
        ORDER BY t.priority_score DESC, t.state_changed_at, t.id
        LIMIT p_max - cardinality(ids) FOR UPDATE OF t SKIP LOCKED) r;
      ids := ids || more;
    END LOOP;
  END IF;
  IF cardinality(ids) = 0 THEN RETURN; END IF;
  WITH before AS (
    SELECT t.id, t.state AS old_state FROM tasks t WHERE t.id = ANY(ids)
  ), claimed AS (
    UPDATE tasks t SET
      state = 'IN_PROGRESS',
      previous_state = CASE WHEN b.old_state = 'SCHEDULED' THEN 'SCHEDULED' ELSE t.previous_state END,
      state_changed_at = CASE WHEN b.old_state = 'SCHEDULED' THEN p_at ELSE t.state_changed_at END,
      started_at = coalesce(t.started_at, p_at),
      current_step = CASE WHEN t.started_at IS NULL THEN coalesce(t.current_step, p_first_steps ->> t.type)
                          ELSE t.current_step END,
      lease_owner = p_worker,
      lease_expires_at = p_lease_until,
      lease_credential = p_credential,
      assigned_to = CASE WHEN t.assigned_to IS NULL OR t.assigned_to = t.lease_owner THEN p_worker ELSE t.assigned_to END,
      version = t.version + 1, updated_at = p_at, updated_by = p_actor
    FROM before b WHERE t.id = b.id
    RETURNING t.*, b.old_state
  ), history AS (
    INSERT INTO task_state_history (task_id, state, from_state, at, actor, version)
    SELECT c.id, 'IN_PROGRESS', 'SCHEDULED', p_at, p_actor, c.version FROM claimed c WHERE c.old_state = 'SCHEDULED'
  ), audit AS (
    INSERT INTO audit_log (at, actor, action, task_id, from_state, to_state, details)
    SELECT p_at, p_actor, CASE WHEN c.old_state = 'SCHEDULED' THEN 'task.in_progress' ELSE 'task.claimed' END, c.id,
           CASE WHEN c.old_state = 'SCHEDULED' THEN 'SCHEDULED'::"TaskState" END,
           CASE WHEN c.old_state = 'SCHEDULED' THEN 'IN_PROGRESS'::"TaskState" END,
           jsonb_build_object('worker_id', p_worker, 'lease_expires_at', orch_iso(p_lease_until))
    FROM claimed c
  )
  INSERT INTO events (at, type, task_id, version, payload, queue)
    SELECT p_at, CASE WHEN c.old_state = 'SCHEDULED' THEN 'task.in_progress' ELSE 'task.claimed' END, c.id, c.version,
           CASE WHEN c.old_state = 'SCHEDULED' THEN '{"from": "SCHEDULED", "to": "IN_PROGRESS"}'::jsonb ELSE '{}'::jsonb END,
           c.queue_name
    FROM claimed c ORDER BY c.id;
  PERFORM orch_flush_events();
  RETURN QUERY SELECT t.* FROM tasks t WHERE t.id = ANY(ids) ORDER BY array_position(ids, t.id);
END $$;

DROP FUNCTION orch_complete_many(text[], jsonb[], text, text, timestamptz, text[], boolean, text[], text);
-- Many completions by one worker, set-based: each statement below handles the whole batch (the
-- guards of orch_complete, then the writes, the dependents, the freed slots), where the first
-- version ran orch_complete's ten statements once per task. Rows are locked in id order. A task
-- the guards refuse, or whose lease is bound to another credential than p_credential, is not
-- written (done = false): the caller's TypeScript path answers for it. The freed slots of a
-- bounded queue are handed over together, once per queue; the tasks they went to are reported
-- on that queue's last completion in the batch.
CREATE FUNCTION orch_complete_many(p_tasks text[], p_outputs jsonb[], p_worker text, p_actor text, p_at timestamptz,
                                   p_from text[], p_handover boolean, p_dispatch_from text[], p_system text,
                                   p_credential text)
RETURNS TABLE (task_id text, done boolean, task jsonb, unblocked text[], handed_over text[])
LANGUAGE plpgsql AS $$
DECLARE
  done_ids text[];
  completed jsonb;
  freed jsonb := '{}';
  unblocked_by jsonb;
  q record;
  i int;
BEGIN
  SELECT coalesce(array_agg(c.id), '{}') INTO done_ids FROM (
    SELECT t.id, t.state, t.lease_owner, t.lease_expires_at, t.lease_credential, t.parent_task_id
    FROM tasks t WHERE t.id = ANY(p_tasks) ORDER BY t.id FOR UPDATE OF t
  ) c
  WHERE c.state::text = ANY(p_from) AND c.state = 'IN_PROGRESS'
    AND c.lease_owner IS NOT DISTINCT FROM p_worker AND c.lease_expires_at > p_at
    AND (c.lease_credential IS NULL OR c.lease_credential IS NOT DISTINCT FROM p_credential)
    AND c.parent_task_id IS NULL
    AND NOT EXISTS (SELECT 1 FROM tasks s WHERE s.parent_task_id = c.id AND s.state <> 'COMPLETED');

  IF cardinality(done_ids) > 0 THEN
    -- The bounded queues' slots rows, taken now in name order: the UPDATE below frees slots in
    -- no set order, and two batches each freeing slots in two queues would otherwise take the
    -- two rows in opposite orders and deadlock.
    PERFORM 1 FROM queue_slots s JOIN queues bounded ON bounded.name = s.queue_name
    WHERE bounded.capacity IS NOT NULL AND s.queue_name IN (SELECT t.queue_name FROM tasks t WHERE t.id = ANY(done_ids))
    ORDER BY s.queue_name FOR UPDATE OF s;

    WITH input AS (
      SELECT i.id, i.output, i.n FROM unnest(p_tasks, p_outputs) WITH ORDINALITY AS i(id, output, n)
      WHERE i.id = ANY(done_ids)
    ), moved AS (
      UPDATE tasks t SET state = 'COMPLETED', previous_state = 'IN_PROGRESS', state_changed_at = p_at,
                         completed_at = p_at, progress_percent = 100, lease_expires_at = NULL,
                         deliverables = t.deliverables || coalesce(i.output -> 'deliverables', '[]'),
                         notes = t.notes || coalesce(i.output -> 'notes', '[]'),
                         next_actions = t.next_actions || coalesce(i.output -> 'next_actions', '[]'),
                         version = t.version + 1, updated_at = p_at, updated_by = p_actor
      FROM input i WHERE t.id = i.id
      RETURNING t.*, i.n AS input_n
    ), history AS (
      INSERT INTO task_state_history (task_id, state, from_state, at, actor, version)
      SELECT m.id, 'COMPLETED', 'IN_PROGRESS', p_at, p_actor, m.version FROM moved m ORDER BY m.input_n
    ), audit AS (
      INSERT INTO audit_log (at, actor, action, task_id, from_state, to_state, details)
      SELECT p_at, p_actor, 'task.completed', m.id, 'IN_PROGRESS', 'COMPLETED', jsonb_build_object('worker_id', p_worker)
      FROM moved m ORDER BY m.input_n
    ), evs AS (
      INSERT INTO events (at, type, task_id, version, payload, queue)
      SELECT p_at, 'task.completed', m.id, m.version, '{"from": "IN_PROGRESS", "to": "COMPLETED"}', m.queue_name
      FROM moved m ORDER BY m.input_n
    )
    SELECT jsonb_object_agg(m.id, to_jsonb(m) - 'input_n') INTO completed FROM moved m;

    -- Dependents whose blockers are now all COMPLETED (this statement sees the batch's
    -- completions), each reported once, on the last of its blockers in the batch.
    WITH candidates AS (
      SELECT d.id, dep.blocker_id, array_position(p_tasks, dep.blocker_id) AS pos
      FROM task_dependencies dep JOIN tasks d ON d.id = dep.dependent_id
      WHERE dep.blocker_id = ANY(done_ids) AND d.state NOT IN ('COMPLETED', 'CANCELLED')
        AND NOT EXISTS (SELECT 1 FROM task_dependencies b JOIN tasks blk ON blk.id = b.blocker_id
                        WHERE b.dependent_id = d.id AND blk.state <> 'COMPLETED')
      ORDER BY d.id FOR UPDATE OF d
    ), ready AS (
      SELECT DISTINCT ON (c.id) c.id, c.blocker_id FROM candidates c ORDER BY c.id, c.pos DESC
    ), bumped AS (
      UPDATE tasks d SET version = d.version + 1, updated_at = p_at, updated_by = p_actor
      FROM ready r WHERE d.id = r.id RETURNING d.id, d.version, d.queue_name, r.blocker_id
    ), audit AS (
      INSERT INTO audit_log (at, actor, action, task_id, details)
      SELECT p_at, p_actor, 'task.unblocked_by_dependency', b.id, jsonb_build_object('blocker', b.blocker_id)
      FROM bumped b ORDER BY b.id
    ), evs AS (
      INSERT INTO events (at, type, task_id, version, payload, queue)
      SELECT p_at, 'task.unblocked_by_dependency', b.id, b.version, '{}', b.queue_name FROM bumped b ORDER BY b.id
    )
    SELECT coalesce(jsonb_object_agg(g.blocker_id, g.ids), '{}') INTO unblocked_by
    FROM (SELECT b.blocker_id, jsonb_agg(b.id ORDER BY b.id) AS ids FROM bumped b GROUP BY b.blocker_id) g;

    FOR q IN
      SELECT v ->> 'queue_name' AS queue_name, count(*)::int AS slots,
             (array_agg(k ORDER BY array_position(p_tasks, k) DESC))[1] AS last_id
      FROM jsonb_each(completed) AS e(k, v) GROUP BY v ->> 'queue_name' ORDER BY 1
    LOOP
      freed := freed || jsonb_build_object(q.last_id,
                 to_jsonb(orch_freed_slots(q.queue_name, q.slots, p_at, p_handover, p_dispatch_from, p_system)));
    END LOOP;
  END IF;

  FOR i IN 1 .. coalesce(cardinality(p_tasks), 0) LOOP
    task_id := p_tasks[i];
    done := p_tasks[i] = ANY(done_ids);
    task := CASE WHEN done THEN completed -> p_tasks[i] END;
    unblocked := coalesce(ARRAY(SELECT jsonb_array_elements_text(unblocked_by -> p_tasks[i])), '{}');
    handed_over := coalesce(ARRAY(SELECT jsonb_array_elements_text(freed -> p_tasks[i])), '{}');
    RETURN NEXT;
  END LOOP;
  PERFORM orch_flush_events();
END $$;

CREATE OR REPLACE FUNCTION orch_flush_events() RETURNS int LANGUAGE plpgsql AS $$
DECLARE
  pending text := current_setting('orch.pending_events', true);
  ids bigint[];
  chunk bigint[];
  i int := 1;
BEGIN
  IF pending IS NULL OR pending = '' THEN RETURN 0; END IF;
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

-- Freed slots in a bounded queue go to its next eligible tasks, p_count of them at most, in one
-- dispatch (one take of the queue's slots row). orch_freed_slot (one slot: a block, a hand-over)
-- is this with a count of 1, so the rule stays in one place.
CREATE FUNCTION orch_freed_slots(p_queue text, p_count int, p_at timestamptz, p_handover boolean, p_dispatch_from text[],
                                 p_system text) RETURNS text[] LANGUAGE plpgsql AS $$
DECLARE
  scheduled text[] := '{}';
BEGIN
  IF p_handover AND p_count > 0 AND EXISTS (SELECT 1 FROM queues q WHERE q.name = p_queue AND q.capacity IS NOT NULL) THEN
    SELECT d.scheduled INTO scheduled FROM orch_dispatch_queue(p_queue, p_at, p_count, p_dispatch_from, p_system, false) d;
  END IF;
  RETURN scheduled;
END $$;

CREATE OR REPLACE FUNCTION orch_freed_slot(p_queue text, p_at timestamptz, p_handover boolean, p_dispatch_from text[],
                                           p_system text) RETURNS text[] LANGUAGE sql AS $$
  SELECT orch_freed_slots(p_queue, 1, p_at, p_handover, p_dispatch_from, p_system)
$$;
