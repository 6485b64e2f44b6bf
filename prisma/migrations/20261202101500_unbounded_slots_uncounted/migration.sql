-- Hand-written: slots in use are counted for bounded queues only (docs/engine.md, "Capacity").
-- The count exists to refuse a slot past capacity; a queue without capacity (backlog) has
-- nothing to refuse, and counting its slots made every change of its tasks update, and lock until
-- commit, the same queue_slots row: completions, claims' dispatch hand-overs and dispatch rounds
-- of the unbounded queue all waited on one another there. Its row now stays at 0; when a
-- capacity is set (or removed) the queue's row is recounted in the same statement, and the
-- periodic reconcile (capacity-monitor.ts) expects 0 for unbounded queues. Likewise a slot freed
-- in an unbounded queue is not handed over (orch_freed_slot): the queue's dispatch rounds serve it.

CREATE OR REPLACE FUNCTION orch_track_slots() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.state IN ('SCHEDULED', 'IN_PROGRESS')
     AND EXISTS (SELECT 1 FROM queues q WHERE q.name = OLD.queue_name AND q.capacity IS NOT NULL) THEN
    UPDATE queue_slots SET in_use = in_use - 1 WHERE queue_name = OLD.queue_name AND in_use > 0;
    IF NOT FOUND THEN
      RAISE EXCEPTION 'queue_slots of % would go below 0', OLD.queue_name USING ERRCODE = 'check_violation';
    END IF;
  END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') AND NEW.state IN ('SCHEDULED', 'IN_PROGRESS')
     AND EXISTS (SELECT 1 FROM queues q WHERE q.name = NEW.queue_name AND q.capacity IS NOT NULL) THEN
    UPDATE queue_slots SET in_use = in_use + 1 WHERE queue_name = NEW.queue_name;
  END IF;
  RETURN NULL;
END $$;

-- A capacity set, changed or removed: the queue's kept count is recounted under its row lock
-- (0 when unbounded). A task change committing in the same instant may be missed by the count;
-- the periodic reconcile corrects and logs such a drift.
CREATE FUNCTION orch_recount_slots() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE queue_slots s
  SET in_use = CASE WHEN NEW.capacity IS NULL THEN 0
                    ELSE (SELECT count(*) FROM tasks t
                          WHERE t.queue_name = NEW.name AND t.state IN ('SCHEDULED', 'IN_PROGRESS')) END
  WHERE s.queue_name = NEW.name;
  RETURN NULL;
END $$;
CREATE TRIGGER queues_slots_recount AFTER UPDATE OF capacity ON queues FOR EACH ROW
  WHEN (OLD.capacity IS DISTINCT FROM NEW.capacity) EXECUTE FUNCTION orch_recount_slots();

UPDATE queue_slots s SET in_use = 0 FROM queues q WHERE q.name = s.queue_name AND q.capacity IS NULL;

CREATE OR REPLACE FUNCTION orch_dispatch_queue(p_queue text, p_at timestamptz, p_limit int, p_from text[], p_actor text,
                                    p_flush boolean, OUT scheduled text[], OUT stopped boolean)
LANGUAGE plpgsql AS $$
DECLARE
  cap int;
  used int;
  budget int;
  c record;
BEGIN
  scheduled := '{}';
  stopped := false;
  IF NOT ('QUEUED' = ANY(p_from)) THEN stopped := true; RETURN; END IF;
  SELECT q.capacity INTO cap FROM queues q WHERE q.name = p_queue;
  IF NOT FOUND THEN stopped := true; RETURN; END IF;
  -- Only a bounded queue's slots are counted, under their row's lock; an unbounded queue's
  -- dispatches take no shared row (FOR UPDATE SKIP LOCKED below keeps each task dispatched once).
  IF cap IS NOT NULL THEN
    SELECT s.in_use INTO used FROM queue_slots s WHERE s.queue_name = p_queue FOR UPDATE;
    IF NOT FOUND THEN stopped := true; RETURN; END IF;
  END IF;
  budget := CASE WHEN cap IS NULL THEN p_limit ELSE least(p_limit, cap - used) END;
  IF budget <= 0 THEN RETURN; END IF;
  FOR c IN
    SELECT t.id, EXISTS (SELECT 1 FROM skill_executors e WHERE e.skill = t.skill_target AND e.enabled
                                                       AND e.kind IN ('webhook', 'human')) AS elsewhere
    FROM tasks t
    WHERE t.queue_name = p_queue AND t.state = 'QUEUED' AND t.archived_at IS NULL
      AND (t.scheduled_for IS NULL OR t.scheduled_for <= p_at)
      AND NOT EXISTS (SELECT 1 FROM task_dependencies dep JOIN tasks blk ON blk.id = dep.blocker_id
                      WHERE dep.dependent_id = t.id AND blk.state <> 'COMPLETED')
    ORDER BY t.rank COLLATE "C" ASC NULLS LAST, t.priority_score DESC, t.queue_entered_at ASC, t.id ASC
    LIMIT budget
    FOR UPDATE OF t SKIP LOCKED
  LOOP
    IF c.elsewhere THEN stopped := true; EXIT; END IF;
    scheduled := scheduled || c.id;
  END LOOP;
  IF cardinality(scheduled) = 0 THEN RETURN; END IF;
  WITH moved AS (
    UPDATE tasks t SET state = 'SCHEDULED', previous_state = 'QUEUED', state_changed_at = p_at,
                       version = t.version + 1, updated_at = p_at, updated_by = p_actor
    WHERE t.id = ANY(scheduled)
    RETURNING t.id, t.version, t.skill_target, t.entry_point
  ), history AS (
    INSERT INTO task_state_history (task_id, state, from_state, at, actor, version)
    SELECT id, 'SCHEDULED', 'QUEUED', p_at, p_actor, version FROM moved
  ), audit AS (
    INSERT INTO audit_log (at, actor, action, task_id, from_state, to_state, details)
    SELECT p_at, p_actor, 'task.scheduled', id, 'QUEUED', 'SCHEDULED',
           jsonb_build_object('skill_target', skill_target, 'entry_point', entry_point, 'queue', p_queue)
    FROM moved
  )
  INSERT INTO events (at, type, task_id, version, payload, queue)
  SELECT p_at, 'task.scheduled', id, version, '{"from": "QUEUED", "to": "SCHEDULED"}', p_queue
  FROM moved ORDER BY id;
  IF p_flush THEN PERFORM orch_flush_events(); END IF;
END $$;

-- A slot freed by a completion, a block or a failure goes to the queue's next eligible task
-- when p_handover and the queue is bounded. An unbounded queue frees nothing anyone waits for
-- (its dispatch rounds take its waiting tasks in batches); handing over there cost each
-- completion a walk of the waiting index past the entries its own dispatches had just left dead.
CREATE FUNCTION orch_freed_slot(p_queue text, p_at timestamptz, p_handover boolean, p_dispatch_from text[],
                                p_system text) RETURNS text[] LANGUAGE plpgsql AS $$
DECLARE
  scheduled text[] := '{}';
BEGIN
  IF p_handover AND EXISTS (SELECT 1 FROM queues q WHERE q.name = p_queue AND q.capacity IS NOT NULL) THEN
    SELECT d.scheduled INTO scheduled FROM orch_dispatch_queue(p_queue, p_at, 1, p_dispatch_from, p_system, false) d;
  END IF;
  RETURN scheduled;
END $$;

CREATE OR REPLACE FUNCTION orch_hand_over(p_queue text, p_at timestamptz, p_handover boolean, p_dispatch_from text[],
                               p_system text) RETURNS text[] LANGUAGE plpgsql AS $$
DECLARE
  scheduled text[] := '{}';
BEGIN
  scheduled := orch_freed_slot(p_queue, p_at, p_handover, p_dispatch_from, p_system);
  PERFORM orch_flush_events();
  RETURN scheduled;
END $$;

CREATE OR REPLACE FUNCTION orch_complete(p_task text, p_worker text, p_actor text, p_at timestamptz, p_output jsonb,
                              p_from text[], p_handover boolean, p_dispatch_from text[], p_system text,
                              p_flush boolean, OUT done boolean, OUT task jsonb, OUT unblocked text[], OUT handed_over text[])
LANGUAGE plpgsql AS $$
DECLARE
  t tasks;
BEGIN
  done := false;
  unblocked := '{}';
  handed_over := '{}';
  SELECT * INTO t FROM tasks WHERE id = p_task FOR UPDATE;
  IF NOT FOUND OR NOT (t.state::text = ANY(p_from)) OR t.state <> 'IN_PROGRESS'
     OR t.lease_owner IS DISTINCT FROM p_worker OR t.lease_expires_at IS NULL OR t.lease_expires_at <= p_at
     OR t.parent_task_id IS NOT NULL
     OR EXISTS (SELECT 1 FROM tasks s WHERE s.parent_task_id = p_task AND s.state <> 'COMPLETED') THEN
    RETURN;
  END IF;
  UPDATE tasks SET state = 'COMPLETED', previous_state = 'IN_PROGRESS', state_changed_at = p_at,
                   completed_at = p_at, progress_percent = 100, lease_expires_at = NULL,
                   deliverables = deliverables || coalesce(p_output -> 'deliverables', '[]'),
                   notes = notes || coalesce(p_output -> 'notes', '[]'),
                   next_actions = next_actions || coalesce(p_output -> 'next_actions', '[]'),
                   version = version + 1, updated_at = p_at, updated_by = p_actor
  WHERE id = p_task RETURNING * INTO t;
  INSERT INTO task_state_history (task_id, state, from_state, at, actor, version)
  VALUES (p_task, 'COMPLETED', 'IN_PROGRESS', p_at, p_actor, t.version);
  INSERT INTO audit_log (at, actor, action, task_id, from_state, to_state, details)
  VALUES (p_at, p_actor, 'task.completed', p_task, 'IN_PROGRESS', 'COMPLETED', jsonb_build_object('worker_id', p_worker));
  INSERT INTO events (at, type, task_id, version, payload, queue)
  VALUES (p_at, 'task.completed', p_task, t.version, '{"from": "IN_PROGRESS", "to": "COMPLETED"}', t.queue_name);
  done := true;
  task := to_jsonb(t);

  WITH ready AS (
    SELECT d.id FROM task_dependencies dep JOIN tasks d ON d.id = dep.dependent_id
    WHERE dep.blocker_id = p_task AND d.state NOT IN ('COMPLETED', 'CANCELLED')
      AND NOT EXISTS (SELECT 1 FROM task_dependencies b JOIN tasks blk ON blk.id = b.blocker_id
                      WHERE b.dependent_id = d.id AND blk.state <> 'COMPLETED')
    ORDER BY d.id FOR UPDATE OF d
  ), bumped AS (
    UPDATE tasks d SET version = d.version + 1, updated_at = p_at, updated_by = p_actor
    FROM ready r WHERE d.id = r.id RETURNING d.id, d.version, d.queue_name
  ), audit AS (
    INSERT INTO audit_log (at, actor, action, task_id, details)
    SELECT p_at, p_actor, 'task.unblocked_by_dependency', id, jsonb_build_object('blocker', p_task) FROM bumped
  ), evs AS (
    INSERT INTO events (at, type, task_id, version, payload, queue)
    SELECT p_at, 'task.unblocked_by_dependency', id, version, '{}', queue_name FROM bumped ORDER BY id
  )
  SELECT coalesce(array_agg(id ORDER BY id), '{}') INTO unblocked FROM bumped;

  handed_over := orch_freed_slot(t.queue_name, p_at, p_handover, p_dispatch_from, p_system);
  IF p_flush THEN PERFORM orch_flush_events(); END IF;
END $$;

CREATE OR REPLACE FUNCTION orch_block(p_task text, p_worker text, p_actor text, p_at timestamptz, p_reason text,
                           p_from text[], p_handover boolean, p_dispatch_from text[], p_system text,
                           OUT done boolean, OUT task jsonb, OUT handed_over text[])
LANGUAGE plpgsql AS $$
DECLARE
  t tasks;
  why text := btrim(p_reason);
BEGIN
  done := false;
  handed_over := '{}';
  SELECT * INTO t FROM tasks WHERE id = p_task FOR UPDATE;
  IF NOT FOUND OR why IS NULL OR why = '' OR NOT (t.state::text = ANY(p_from)) OR t.state <> 'IN_PROGRESS'
     OR t.lease_owner IS DISTINCT FROM p_worker OR t.lease_expires_at IS NULL OR t.lease_expires_at <= p_at THEN
    RETURN;
  END IF;
  UPDATE tasks SET state = 'BLOCKED', previous_state = 'IN_PROGRESS', state_changed_at = p_at,
                   blocker_reason = why, blocked_since = p_at, lease_expires_at = NULL,
                   version = version + 1, updated_at = p_at, updated_by = p_actor
  WHERE id = p_task RETURNING * INTO t;
  INSERT INTO task_state_history (task_id, state, from_state, at, actor, reason, version)
  VALUES (p_task, 'BLOCKED', 'IN_PROGRESS', p_at, p_actor, why, t.version);
  INSERT INTO audit_log (at, actor, action, task_id, from_state, to_state, reason)
  VALUES (p_at, p_actor, 'task.blocked', p_task, 'IN_PROGRESS', 'BLOCKED', why);
  INSERT INTO events (at, type, task_id, version, payload, queue)
  VALUES (p_at, 'task.blocked', p_task, t.version, '{"from": "IN_PROGRESS", "to": "BLOCKED"}', t.queue_name);
  done := true;
  task := to_jsonb(t);
  handed_over := orch_freed_slot(t.queue_name, p_at, p_handover, p_dispatch_from, p_system);
  PERFORM orch_flush_events();
END $$;
