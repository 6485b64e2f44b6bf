-- Hand-written: task creation on the hot path (docs/engine.md, "Hot path"), one round trip.

-- Creation of a plain task (no blocker, no parent: those lock and change other tasks, and take the
-- TypeScript path), as queue/create-task.ts's createTaskInTx writes it: the task straight at its
-- final row (QUEUED, version 2, as the CREATED insert and its QUEUED change leave it), the CREATED
-- and QUEUED history rows, the task.created and task.queued audit rows, the task.queued event, and
-- the one NOTIFY. The id comes from the year's sequence (orch_next_task_seq) only once the queue is
-- known, so a refused creation leaves no gap. p_task holds the columns placed by the caller
-- (placement(), the input) under their column names. Returns task null, and writes nothing, when
-- the queue does not exist (the TypeScript path answers with the field error). `position` is the live
-- rank among the queue's waiting tasks, as seed-format.ts's queuePositions (WAITING_ORDER_SQL).
CREATE FUNCTION orch_create_task(p_task jsonb, p_at timestamptz, p_actor text,
                                 OUT task jsonb, OUT "position" int)
LANGUAGE plpgsql AS $$
DECLARE
  t tasks;
  q queues;
  year int := extract(year FROM p_at AT TIME ZONE 'UTC')::int;
  seq bigint;
  new_id text;
  sched timestamptz := (p_task ->> 'scheduled_for')::timestamptz;
BEGIN
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
  SELECT r.pos INTO "position" FROM (
    SELECT w.id, (ROW_NUMBER() OVER (ORDER BY w.rank COLLATE "C" ASC NULLS LAST, w.priority_score DESC,
                                              w.queue_entered_at ASC, w.id ASC) - 1)::int AS pos
    FROM tasks w WHERE w.queue_name = q.name AND w.state = 'QUEUED' AND w.archived_at IS NULL
  ) r WHERE r.id = new_id;
  PERFORM orch_flush_events();
END $$;
