-- Hand-written: a creation hands a free slot over in its own statement (docs/engine.md, "Hot
-- path"). orch_create_task as 20261202013000_create_hot_path wrote it, plus the end of a
-- statement that frees a slot (orch_hand_over's work): when p_handover (this instance's engine
-- dispatches) and the queue has a free slot, its next eligible task — the new one unless an
-- older one waits before it — goes QUEUED → SCHEDULED with its history, audit and event rows, and
-- the creation's events leave in the one NOTIFY. handed_over: the tasks so scheduled. A task
-- scheduled by its own creation has no waiting position (null).
DROP FUNCTION orch_create_task(jsonb, timestamptz, text);

CREATE FUNCTION orch_create_task(p_task jsonb, p_at timestamptz, p_actor text, p_handover boolean,
                                 p_dispatch_from text[], p_system text,
                                 OUT task jsonb, OUT "position" int, OUT handed_over text[])
LANGUAGE plpgsql AS $$
DECLARE
  t tasks;
  q queues;
  year int := extract(year FROM p_at AT TIME ZONE 'UTC')::int;
  seq bigint;
  new_id text;
  sched timestamptz := (p_task ->> 'scheduled_for')::timestamptz;
BEGIN
  handed_over := '{}';
  SELECT * INTO q FROM queues WHERE name = p_task ->> 'queue_name';
  IF NOT FOUND THEN RETURN; END IF;
  seq := orch_next_task_seq(year);
  -- formatTaskId (state/task-ids.ts): TASK-YYYY-NNNNNN, at least six digits.
  new_id := 'TASK-' || year || '-' || CASE WHEN seq < 1000000 THEN lpad(seq::text, 6, '0') ELSE seq::text END;
  INSERT INTO tasks (id, intake_id, created_at, title, description, type, skill_target, entry_point,
                     state, previous_state, state_changed_at, queue_name, queue_entered_at, sla_deadline,
                     scheduled_for, priority_score, priority_factors, estimated_duration_hours, assigned_to,
                     client_name, client_contact, project_type, project_budget_range, project_deadline,
                     version, updated_at, updated_by)
  VALUES (new_id, p_task ->> 'intake_id', p_at, p_task ->> 'title', coalesce(p_task ->> 'description', ''),
          coalesce(p_task ->> 'type', 'generic'), coalesce(p_task ->> 'skill_target', ''),
          coalesce(p_task ->> 'entry_point', ''),
          'QUEUED', 'CREATED', p_at, q.name, p_at,
          -- slaDeadlineFor (queue/sla.ts): the planned date in `scheduled`, else entry + the queue's SLA.
          CASE WHEN q.name = 'scheduled' THEN sched
               WHEN q.sla_minutes IS NULL THEN NULL
               ELSE p_at + q.sla_minutes * interval '1 minute' END,
          CASE WHEN q.name = 'scheduled' THEN sched END,
          (p_task ->> 'priority_score')::int,
          coalesce(ARRAY(SELECT jsonb_array_elements_text(p_task -> 'priority_factors')), '{}'),
          (p_task ->> 'estimated_duration_hours')::double precision, p_task ->> 'assigned_to',
          p_task ->> 'client_name', p_task ->> 'client_contact', p_task ->> 'project_type',
          p_task ->> 'project_budget_range', p_task ->> 'project_deadline',
          2, p_at, p_actor)
  RETURNING * INTO t;
  task := to_jsonb(t);
  INSERT INTO task_state_history (task_id, state, from_state, at, actor, version)
  VALUES (new_id, 'CREATED', NULL, p_at, p_actor, 1), (new_id, 'QUEUED', 'CREATED', p_at, p_actor, 2);
  INSERT INTO audit_log (at, actor, action, task_id, from_state, to_state, details)
  VALUES (p_at, p_actor, 'task.created', new_id, NULL, 'CREATED', '{}'),
         (p_at, p_actor, 'task.queued', new_id, 'CREATED', 'QUEUED',
          jsonb_build_object('queue', q.name, 'score', t.priority_score, 'factors', to_jsonb(t.priority_factors)));
  INSERT INTO events (at, type, task_id, version, payload, queue)
  VALUES (p_at, 'task.queued', new_id, 2, '{"from": "CREATED", "to": "QUEUED"}', q.name);
  -- A free slot goes to the queue's next eligible task in this statement (the new task when
  -- nothing waits before it), as a completion hands its slot over: no dispatcher round between
  -- the creation's commit and SCHEDULED. A full queue is seen without taking its slots row lock.
  IF p_handover AND EXISTS (SELECT 1 FROM queue_slots s WHERE s.queue_name = q.name
                                                       AND (q.capacity IS NULL OR s.in_use < q.capacity)) THEN
    SELECT d.scheduled INTO handed_over FROM orch_dispatch_queue(q.name, p_at, 1, p_dispatch_from, p_system, false) d;
    IF new_id = ANY(handed_over) THEN
      SELECT * INTO t FROM tasks WHERE id = new_id;
      task := to_jsonb(t);
      PERFORM orch_flush_events();
      RETURN;
    END IF;
  END IF;
  SELECT r.pos INTO "position" FROM (
    SELECT w.id, (ROW_NUMBER() OVER (ORDER BY w.rank COLLATE "C" ASC NULLS LAST, w.priority_score DESC,
                                              w.queue_entered_at ASC, w.id ASC) - 1)::int AS pos
    FROM tasks w WHERE w.queue_name = q.name AND w.state = 'QUEUED' AND w.archived_at IS NULL
  ) r WHERE r.id = new_id;
  PERFORM orch_flush_events();
END $$;
