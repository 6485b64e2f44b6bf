-- AlterTable
ALTER TABLE "events" ADD COLUMN     "from_queue" TEXT,
ADD COLUMN     "queue" TEXT;

-- CreateTable
CREATE TABLE "queue_slots" (
    "queue_name" TEXT NOT NULL,
    "in_use" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "queue_slots_pkey" PRIMARY KEY ("queue_name")
);

-- AddForeignKey
ALTER TABLE "queue_slots" ADD CONSTRAINT "queue_slots_queue_name_fkey" FOREIGN KEY ("queue_name") REFERENCES "queues"("name") ON DELETE CASCADE ON UPDATE CASCADE;

-- ---------------------------------------------------------------------------------------------
-- Hand-written: the engine's hot path (docs/engine.md, "Hot path"). Functions take the rules
-- they check as parameters computed from lib/ (transitions, workflows), never a copy of them.
-- ---------------------------------------------------------------------------------------------

-- Slots in use per queue, kept by the statements that take and free slots (a trigger on tasks),
-- never negative (the trigger refuses it, as a CHECK would: Prisma's schema engine cannot read a
-- CHECK here); capacity is checked by the statements that take a slot, under this row's lock.

INSERT INTO "queue_slots" ("queue_name", "in_use")
SELECT q.name, (SELECT count(*) FROM tasks t WHERE t.queue_name = q.name AND t.state IN ('SCHEDULED', 'IN_PROGRESS'))
FROM queues q;

CREATE FUNCTION orch_queue_slots_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO queue_slots (queue_name, in_use) VALUES (NEW.name, 0) ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;
CREATE TRIGGER queues_slots_row AFTER INSERT ON queues FOR EACH ROW EXECUTE FUNCTION orch_queue_slots_row();

CREATE FUNCTION orch_track_slots() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.state IN ('SCHEDULED', 'IN_PROGRESS') THEN
    UPDATE queue_slots SET in_use = in_use - 1 WHERE queue_name = OLD.queue_name AND in_use > 0;
    IF NOT FOUND THEN
      RAISE EXCEPTION 'queue_slots of % would go below 0', OLD.queue_name USING ERRCODE = 'check_violation';
    END IF;
  END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') AND NEW.state IN ('SCHEDULED', 'IN_PROGRESS') THEN
    UPDATE queue_slots SET in_use = in_use + 1 WHERE queue_name = NEW.queue_name;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER tasks_slots_insert AFTER INSERT ON tasks FOR EACH ROW
  WHEN (NEW.state IN ('SCHEDULED', 'IN_PROGRESS')) EXECUTE FUNCTION orch_track_slots();
CREATE TRIGGER tasks_slots_delete AFTER DELETE ON tasks FOR EACH ROW
  WHEN (OLD.state IN ('SCHEDULED', 'IN_PROGRESS')) EXECUTE FUNCTION orch_track_slots();
CREATE TRIGGER tasks_slots_update AFTER UPDATE OF state, queue_name ON tasks FOR EACH ROW
  WHEN ((OLD.state IN ('SCHEDULED', 'IN_PROGRESS')) IS DISTINCT FROM (NEW.state IN ('SCHEDULED', 'IN_PROGRESS'))
        OR (OLD.queue_name <> NEW.queue_name AND NEW.state IN ('SCHEDULED', 'IN_PROGRESS')))
  EXECUTE FUNCTION orch_track_slots();

CREATE FUNCTION orch_reset_slots() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE queue_slots SET in_use = 0 WHERE in_use <> 0;
  RETURN NULL;
END $$;
CREATE TRIGGER tasks_slots_truncate AFTER TRUNCATE ON tasks FOR EACH STATEMENT EXECUTE FUNCTION orch_reset_slots();

-- Task ids: one sequence per year, so a creation never holds a counter row for its transaction.
CREATE FUNCTION orch_next_task_seq(p_year int) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
  seq text := format('task_id_seq_%s', p_year);
BEGIN
  BEGIN
    RETURN nextval(seq);
  EXCEPTION WHEN undefined_table THEN
    BEGIN
      EXECUTE format('CREATE SEQUENCE IF NOT EXISTS %I', seq);
    EXCEPTION WHEN unique_violation OR duplicate_table THEN
      NULL; -- another creator made it first
    END;
    RETURN nextval(seq);
  END;
END $$;

DO $$
DECLARE c record;
BEGIN
  FOR c IN SELECT year, last_seq FROM task_id_counters LOOP
    EXECUTE format('CREATE SEQUENCE IF NOT EXISTS %I', format('task_id_seq_%s', c.year));
    PERFORM setval(format('task_id_seq_%s', c.year), c.last_seq);
  END LOOP;
END $$;

-- Events: one NOTIFY per transaction with the ids of the events it wrote (and their distinct
-- types and queues, so a listener can tell whether to wake); listeners read the rows. A row
-- trigger collects the ids in a transaction-local setting; orch_flush_events() sends them: the
-- hot-path functions call it last, engine transactions before they commit (state/transaction.ts).
CREATE FUNCTION orch_collect_event() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM set_config('orch.pending_events', coalesce(current_setting('orch.pending_events', true), '') || NEW.id || ',', true);
  RETURN NULL;
END $$;
CREATE TRIGGER events_collect AFTER INSERT ON events FOR EACH ROW EXECUTE FUNCTION orch_collect_event();

CREATE FUNCTION orch_flush_events() RETURNS int LANGUAGE plpgsql AS $$
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
                               'queues', coalesce(array_agg(DISTINCT e.queue) FILTER (WHERE e.queue IS NOT NULL), '{}'))::text
      FROM events e WHERE e.id = ANY(chunk)));
    i := i + 400;
  END LOOP;
  RETURN cardinality(ids);
END $$;

-- The claim's order, served by an index: per queue (in the queues' order), score, dispatch time.
CREATE INDEX "tasks_claim_order_idx" ON tasks (queue_name, priority_score DESC, state_changed_at, id)
  WHERE state = 'SCHEDULED' AND archived_at IS NULL;
-- Running tasks waiting for an executor (retry, resume, start now): claimed first.
CREATE INDEX "tasks_unleased_running_idx" ON tasks (queue_name)
  WHERE state = 'IN_PROGRESS' AND lease_expires_at IS NULL AND archived_at IS NULL;
-- The dispatcher's waiting order (WAITING_ORDER_SQL) among QUEUED tasks of a queue.
CREATE INDEX "tasks_waiting_order_idx" ON tasks (queue_name, rank COLLATE "C", priority_score DESC, queue_entered_at, id)
  WHERE state = 'QUEUED' AND archived_at IS NULL;

CREATE FUNCTION orch_iso(p_at timestamptz) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT to_char(p_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
$$;

-- Dispatch: QUEUED → SCHEDULED for the queue's next eligible tasks in waiting order, within its
-- free slots (read from queue_slots under its row lock), through the one door's writes. Stops
-- before the first task whose skill a webhook or human executor serves (the caller's TypeScript
-- path pushes or assigns those), so the waiting order is kept. p_from: the states the system may
-- schedule from (lib/transitions.ts). Returns the ids scheduled and whether it stopped early.
CREATE FUNCTION orch_dispatch_queue(p_queue text, p_at timestamptz, p_limit int, p_from text[], p_actor text,
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
  SELECT q.capacity, s.in_use INTO cap, used
  FROM queue_slots s JOIN queues q ON q.name = s.queue_name WHERE s.queue_name = p_queue FOR UPDATE OF s;
  IF NOT FOUND THEN stopped := true; RETURN; END IF;
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

-- Claim: up to p_max tasks for a worker, one statement. Running tasks waiting for an executor
-- first, then SCHEDULED ones queue by queue in the claim index's order; skips tasks a webhook
-- or human executor serves, parked parents, and SCHEDULED tasks whose blockers are not all
-- COMPLETED (the start guard). SCHEDULED → IN_PROGRESS when p_from allows it for executors.
CREATE FUNCTION orch_claim(p_worker text, p_actor text, p_skills text[], p_any boolean, p_max int,
                           p_lease_until timestamptz, p_at timestamptz, p_from text[], p_first_steps jsonb,
                           p_awaiting text)
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

-- Heartbeat: the lease holder extends its live lease and reports progress, one statement.
-- Returns no row (and writes nothing) when the caller does not hold a live lease, or its step
-- is not one of p_steps (the task type's workflow steps, from lib/workflows.ts, when it has
-- some): the caller's TypeScript path then answers with the precise refusal.
CREATE FUNCTION orch_heartbeat(p_task text, p_worker text, p_actor text, p_at timestamptz, p_lease_until timestamptz,
                               p_progress int, p_step text, p_steps jsonb)
RETURNS SETOF tasks LANGUAGE plpgsql AS $$
DECLARE
  t tasks;
  changed boolean;
  action text;
BEGIN
  SELECT * INTO t FROM tasks WHERE id = p_task FOR UPDATE;
  IF NOT FOUND OR t.state <> 'IN_PROGRESS' OR t.lease_owner IS DISTINCT FROM p_worker
     OR t.lease_expires_at IS NULL OR t.lease_expires_at <= p_at THEN RETURN; END IF;
  IF p_step IS NOT NULL AND jsonb_array_length(coalesce(p_steps -> t.type, '[]')) > 0
     AND NOT (p_steps -> t.type) ? p_step THEN RETURN; END IF;
  changed := (p_progress IS NOT NULL AND p_progress <> t.progress_percent)
             OR (p_step IS NOT NULL AND p_step IS DISTINCT FROM t.current_step);
  action := CASE WHEN changed THEN 'task.progress' ELSE 'task.heartbeat' END;
  UPDATE tasks SET lease_expires_at = p_lease_until,
                   progress_percent = coalesce(p_progress, progress_percent),
                   current_step = coalesce(p_step, current_step),
                   version = version + 1, updated_at = p_at, updated_by = p_actor
  WHERE id = p_task RETURNING * INTO t;
  INSERT INTO audit_log (at, actor, action, task_id, details)
  VALUES (p_at, p_actor, action, p_task,
          jsonb_strip_nulls(jsonb_build_object('lease_expires_at', orch_iso(p_lease_until),
                                               'progress_percent', p_progress, 'current_step', p_step)));
  INSERT INTO events (at, type, task_id, version, payload, queue) VALUES (p_at, action, p_task, t.version, '{}', t.queue_name);
  PERFORM orch_flush_events();
  RETURN NEXT t;
END $$;

-- Complete: the lease holder's result, one statement. IN_PROGRESS → COMPLETED (when p_from, the
-- states an executor may complete from, allows it), output appended, lease ended, history,
-- audit, event; dependents whose blockers are now all COMPLETED get their
-- task.unblocked_by_dependency change; with p_handover the freed slot goes at once to the
-- queue's next eligible task (orch_dispatch_queue). Writes nothing and returns done = false
-- when the task is not the caller's live lease, is a parent with subtasks pending, or is a
-- subtask (its parent may complete with it): the TypeScript path handles those.
CREATE FUNCTION orch_complete(p_task text, p_worker text, p_actor text, p_at timestamptz, p_output jsonb,
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

  IF p_handover THEN
    SELECT d.scheduled INTO handed_over FROM orch_dispatch_queue(t.queue_name, p_at, 1, p_dispatch_from, p_system, false) d;
  END IF;
  IF p_flush THEN PERFORM orch_flush_events(); END IF;
END $$;

-- Many completions by one worker in one statement and one transaction (POST /workers/complete):
-- each as orch_complete, one NOTIFY for all. p_outputs[i] is p_tasks[i]'s output.
CREATE FUNCTION orch_complete_many(p_tasks text[], p_outputs jsonb[], p_worker text, p_actor text, p_at timestamptz,
                                   p_from text[], p_handover boolean, p_dispatch_from text[], p_system text)
RETURNS TABLE (task_id text, done boolean, task jsonb, unblocked text[], handed_over text[])
LANGUAGE plpgsql AS $$
DECLARE
  i int;
  c record;
BEGIN
  FOR i IN 1 .. coalesce(cardinality(p_tasks), 0) LOOP
    SELECT * INTO c FROM orch_complete(p_tasks[i], p_worker, p_actor, p_at, p_outputs[i], p_from, p_handover,
                                       p_dispatch_from, p_system, false);
    task_id := p_tasks[i];
    done := c.done;
    task := c.task;
    unblocked := c.unblocked;
    handed_over := c.handed_over;
    RETURN NEXT;
  END LOOP;
  PERFORM orch_flush_events();
END $$;

-- Block: the lease holder cannot go on (waiting for the client...), one statement.
-- IN_PROGRESS → BLOCKED (when p_from, the states an executor may block from, allows it) with the
-- reason, the lease ended, history, audit, event; with p_handover the freed slot goes at once to
-- the queue's next eligible task. Writes nothing and returns done = false when the caller does
-- not hold a live lease on the running task (the TypeScript path answers with the 409 code).
CREATE FUNCTION orch_block(p_task text, p_worker text, p_actor text, p_at timestamptz, p_reason text,
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
  IF p_handover THEN
    SELECT d.scheduled INTO handed_over FROM orch_dispatch_queue(t.queue_name, p_at, 1, p_dispatch_from, p_system, false) d;
  END IF;
  PERFORM orch_flush_events();
END $$;
