-- A claim takes an unbounded queue's waiting tasks itself when its SCHEDULED ones run out: each
-- goes QUEUED → SCHEDULED (the system's dispatch, as orch_dispatch_queue writes it: history,
-- audit, event) → IN_PROGRESS (the worker's start) in one UPDATE of its row. Workers no longer
-- wait for the next dispatch round of such a queue (rounds are one at a time per queue: the
-- bench's workers spent two thirds of their time waiting for them), and the task's row is
-- written once instead of twice. Only unbounded queues: a bounded queue's slots are taken under
-- its slots row, by the dispatcher and the hand-over of freed slots. The same eligibility as
-- the dispatcher (not archived, planned date reached, every blocker COMPLETED), in its waiting
-- order, skipping the skills a webhook or a team serves (the dispatcher pushes or assigns
-- them), and only when the system may schedule from QUEUED (p_dispatch_from).
DROP FUNCTION orch_claim(text, text, text[], boolean, int, timestamptz, timestamptz, text[], jsonb, text, text);

CREATE FUNCTION orch_claim(p_worker text, p_actor text, p_skills text[], p_any boolean, p_max int,
                           p_lease_until timestamptz, p_at timestamptz, p_from text[], p_first_steps jsonb,
                           p_awaiting text, p_credential text, p_dispatch_from text[], p_system text)
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
    FOR q IN SELECT name, capacity FROM queues ORDER BY sort_order LOOP
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
      CONTINUE WHEN cardinality(ids) >= p_max OR q.capacity IS NOT NULL OR NOT ('QUEUED' = ANY(p_dispatch_from));
      SELECT coalesce(array_agg(id), '{}') INTO more FROM (
        SELECT t.id FROM tasks t
        WHERE t.queue_name = q.name AND t.state = 'QUEUED' AND t.archived_at IS NULL
          AND (t.scheduled_for IS NULL OR t.scheduled_for <= p_at)
          AND (p_any OR t.skill_target = ANY(p_skills))
          AND NOT EXISTS (SELECT 1 FROM skill_executors e WHERE e.skill = t.skill_target AND e.enabled
                                                          AND e.kind IN ('webhook', 'human'))
          AND NOT EXISTS (SELECT 1 FROM task_dependencies dep JOIN tasks blk ON blk.id = dep.blocker_id
                          WHERE dep.dependent_id = t.id AND blk.state <> 'COMPLETED')
        ORDER BY t.rank COLLATE "C" ASC NULLS LAST, t.priority_score DESC, t.queue_entered_at ASC, t.id ASC
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
      previous_state = CASE WHEN b.old_state IN ('SCHEDULED', 'QUEUED') THEN 'SCHEDULED' ELSE t.previous_state END,
      state_changed_at = CASE WHEN b.old_state IN ('SCHEDULED', 'QUEUED') THEN p_at ELSE t.state_changed_at END,
      started_at = coalesce(t.started_at, p_at),
      current_step = CASE WHEN t.started_at IS NULL THEN coalesce(t.current_step, p_first_steps ->> t.type)
                          ELSE t.current_step END,
      lease_owner = p_worker,
      lease_expires_at = p_lease_until,
      lease_credential = p_credential,
      assigned_to = CASE WHEN t.assigned_to IS NULL OR t.assigned_to = t.lease_owner THEN p_worker ELSE t.assigned_to END,
      -- A waiting task takes two versions: its dispatch, then its start.
      version = t.version + CASE WHEN b.old_state = 'QUEUED' THEN 2 ELSE 1 END, updated_at = p_at, updated_by = p_actor
    FROM before b WHERE t.id = b.id
    RETURNING t.*, b.old_state
  ), steps AS (
    -- The dispatch of a waiting task (step 1), then every start from SCHEDULED (step 2); rows
    -- in that order, so each task's history and events read in the order they happened.
    SELECT c.id, c.version - 1 AS version, 1 AS step, c.queue_name, c.skill_target, c.entry_point
    FROM claimed c WHERE c.old_state = 'QUEUED'
    UNION ALL
    SELECT c.id, c.version, 2, c.queue_name, c.skill_target, c.entry_point
    FROM claimed c WHERE c.old_state IN ('SCHEDULED', 'QUEUED')
  ), history AS (
    INSERT INTO task_state_history (task_id, state, from_state, at, actor, version)
    SELECT s.id, CASE s.step WHEN 1 THEN 'SCHEDULED' ELSE 'IN_PROGRESS' END::"TaskState",
           CASE s.step WHEN 1 THEN 'QUEUED' ELSE 'SCHEDULED' END::"TaskState", p_at,
           CASE s.step WHEN 1 THEN p_system ELSE p_actor END, s.version
    FROM steps s ORDER BY s.id, s.step
  ), audit AS (
    INSERT INTO audit_log (at, actor, action, task_id, from_state, to_state, details)
    SELECT p_at, a.actor, a.action, a.id, a.from_state, a.to_state, a.details FROM (
      SELECT s.id, s.step, CASE s.step WHEN 1 THEN p_system ELSE p_actor END AS actor,
             CASE s.step WHEN 1 THEN 'task.scheduled' ELSE 'task.in_progress' END AS action,
             CASE s.step WHEN 1 THEN 'QUEUED' ELSE 'SCHEDULED' END::"TaskState" AS from_state,
             CASE s.step WHEN 1 THEN 'SCHEDULED' ELSE 'IN_PROGRESS' END::"TaskState" AS to_state,
             CASE s.step WHEN 1
               THEN jsonb_build_object('skill_target', s.skill_target, 'entry_point', s.entry_point, 'queue', s.queue_name)
               ELSE jsonb_build_object('worker_id', p_worker, 'lease_expires_at', orch_iso(p_lease_until)) END AS details
      FROM steps s
      UNION ALL
      SELECT c.id, 2, p_actor, 'task.claimed', NULL, NULL,
             jsonb_build_object('worker_id', p_worker, 'lease_expires_at', orch_iso(p_lease_until))
      FROM claimed c WHERE c.old_state NOT IN ('SCHEDULED', 'QUEUED')
    ) a ORDER BY a.id, a.step
  )
  INSERT INTO events (at, type, task_id, version, payload, queue)
    SELECT p_at, e.type, e.id, e.version, e.payload, e.queue_name FROM (
      SELECT s.id, s.step, s.version, s.queue_name,
             CASE s.step WHEN 1 THEN 'task.scheduled' ELSE 'task.in_progress' END AS type,
             CASE s.step WHEN 1 THEN '{"from": "QUEUED", "to": "SCHEDULED"}'::jsonb
                         ELSE '{"from": "SCHEDULED", "to": "IN_PROGRESS"}'::jsonb END AS payload
      FROM steps s
      UNION ALL
      SELECT c.id, 2, c.version, c.queue_name, 'task.claimed', '{}'::jsonb
      FROM claimed c WHERE c.old_state NOT IN ('SCHEDULED', 'QUEUED')
    ) e ORDER BY e.id, e.step;
  PERFORM orch_flush_events();
  RETURN QUERY SELECT t.* FROM tasks t WHERE t.id = ANY(ids) ORDER BY array_position(ids, t.id);
END $$;

-- As before, with the claim's new parameters: the completions' p_dispatch_from and p_system.
CREATE OR REPLACE FUNCTION orch_complete_then_claim(p_tasks text[], p_outputs jsonb[], p_worker text, p_actor text,
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
                    p_first_steps, p_awaiting, p_credential, p_dispatch_from, p_system) t;
  PERFORM set_config('orch.defer_flush', '', true);
  PERFORM orch_flush_events();
END $$;

-- The notice says whether a task this transaction scheduled is still SCHEDULED at its end
-- (`scheduled_waiting`): one a claim dispatched and started in the same UPDATE is nobody's
-- work to wait for, and its task.scheduled would otherwise wake every waiting worker (lib/events.ts
-- wakingTypes), read in the same pass over the events (a task's row only for its task.scheduled).
-- Otherwise as before.
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
                                                                  AND e.payload ->> 'from' IS DISTINCT FROM 'SCHEDULED'), false),
                               'scheduled_waiting', coalesce(bool_or(e.type = 'task.scheduled' AND EXISTS (
                                 SELECT 1 FROM tasks t WHERE t.id = e.task_id AND t.state = 'SCHEDULED')), false))::text
      FROM events e WHERE e.id = ANY(chunk)));
    i := i + 400;
  END LOOP;
  RETURN cardinality(ids);
END $$;
