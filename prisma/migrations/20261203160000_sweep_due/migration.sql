-- What time alone made true since the escalation sweep's last pass, read in one call
-- (server/engine/escalation/sweep-due.ts): the tasks blocked for 24 h, the SLA deadlines less
-- than 1 h away, the deadlines passed, and the open escalations whose level may be due. A quiet
-- pass finds none of them; as five statements through Prisma they were a third of its time, half
-- of it planning each one again (a statement sent by Prisma is planned on every call, one inside
-- a PL/pgSQL function keeps its plan for the connection's life).
--
-- Each branch keeps the rule it had in sweeps.ts and levels.ts: the tasks the rules escalate
-- are locked (SKIP LOCKED: one being changed is looked at next pass), the imminent candidates are
-- read without locking (the forecast decides, then only those that miss are locked), the due
-- escalations are locked. The passed deadlines are every past one when p_passed_since is null,
-- else those since the pass before last and the changed tasks.
CREATE FUNCTION orch_sweep_due(p_at timestamptz, p_blocked_before timestamptz, p_horizon timestamptz,
                               p_passed_since timestamptz, p_changed text[], p_limit int, p_levels_limit int)
RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
  blocked jsonb;
  imminent jsonb;
  passed jsonb;
  levels jsonb := '[]';
  max_levels int;
  min_delay int;
BEGIN
  -- BLOCKED since the cutoff, with no open blocked escalation and none ever for this episode.
  SELECT coalesce(jsonb_agg(jsonb_build_object('id', t.id, 'queueName', t.queue_name, 'state', t.state,
                                               'blockerReason', t.blocker_reason, 'blockedSince', t.blocked_since)
                            ORDER BY t.blocked_since, t.id), '[]') INTO blocked
  FROM (SELECT t.* FROM tasks t
          WHERE t.state = 'BLOCKED' AND t.blocked_since <= p_blocked_before AND t.archived_at IS NULL
            AND NOT EXISTS (
              SELECT 1 FROM escalations e
              WHERE e.task_id = t.id AND e.reason = 'blocked_over_24h'
                AND (e.status <> 'RESOLVED' OR (e.context->>'blocked_since')::timestamptz = t.blocked_since))
          ORDER BY t.blocked_since, t.id
          LIMIT p_limit
          FOR UPDATE OF t SKIP LOCKED) t;

  -- Live, deadline within the hour (not passed), no SLA escalation open nor ever for it; unlocked.
  SELECT coalesce(jsonb_agg(jsonb_build_object('id', t.id, 'queueName', t.queue_name, 'state', t.state,
                                               'slaDeadline', t.sla_deadline)
                            ORDER BY t.sla_deadline, t.id), '[]') INTO imminent
  FROM (SELECT t.* FROM tasks t
          WHERE t.state NOT IN ('COMPLETED', 'CANCELLED') AND t.archived_at IS NULL AND t.sla_deadline IS NOT NULL
            AND t.sla_deadline > p_at AND t.sla_deadline < p_horizon
            AND NOT EXISTS (
              SELECT 1 FROM escalations e
              WHERE e.task_id = t.id AND e.reason IN ('sla_breach_imminent', 'sla_breached')
                AND (e.status <> 'RESOLVED' OR (e.context->>'sla_deadline')::timestamptz = t.sla_deadline))
          ORDER BY t.sla_deadline, t.id
          LIMIT p_limit) t;

  -- Live, past its deadline, not escalated as breached for it (a resolved SLA escalation for
  -- this deadline means a person decided), with the open imminent escalation to upgrade.
  SELECT coalesce(jsonb_agg(jsonb_build_object('id', t.id, 'queueName', t.queue_name, 'state', t.state,
                                               'slaDeadline', t.sla_deadline, 'openImminentId', t.open_imminent_id)
                            ORDER BY t.sla_deadline, t.id), '[]') INTO passed
  FROM (SELECT t.*, (SELECT e.id FROM escalations e
                     WHERE e.task_id = t.id AND e.reason = 'sla_breach_imminent' AND e.status <> 'RESOLVED') AS open_imminent_id
        FROM tasks t
        WHERE t.state NOT IN ('COMPLETED', 'CANCELLED') AND t.archived_at IS NULL AND t.sla_deadline IS NOT NULL
          AND t.sla_deadline <= p_at
          AND (t.sla_deadline > coalesce(p_passed_since, '-infinity') OR t.id = ANY(p_changed))
          AND NOT EXISTS (
            SELECT 1 FROM escalations e
            WHERE e.task_id = t.id AND e.reason IN ('sla_breach_imminent', 'sla_breached')
              AND ((e.status <> 'RESOLVED' AND e.reason = 'sla_breached')
                   OR (e.status = 'RESOLVED' AND (e.context->>'sla_deadline')::timestamptz = t.sla_deadline)))
        ORDER BY t.sla_deadline, t.id
        LIMIT p_limit
        FOR UPDATE OF t SKIP LOCKED) t;

  -- OPEN escalations whose level's delay ran out under the policy that applies (the most
  -- specific scope, which depends on the task's queue), locked. Bounds keep the task join to
  -- the few that may be due: over every policy (the index below: level and age), then over the
  -- policies of the escalation's reason whatever the queue (the earliest it can be due). OFFSET
  -- 0: a primary-key lookup per escalation left, never a scan of every task.
  SELECT max(jsonb_array_length(p.levels::jsonb)), min((l.value ->> 'delay_minutes')::int)
    INTO max_levels, min_delay
  FROM escalation_policies p LEFT JOIN LATERAL jsonb_array_elements(p.levels::jsonb) l ON true;
  IF min_delay IS NOT NULL THEN
    SELECT coalesce(jsonb_agg(jsonb_build_object('id', e.id, 'taskId', e.task_id, 'queue', e.queue)
                              ORDER BY e.level_since NULLS FIRST, e.id), '[]') INTO levels
    FROM (SELECT e.id, e.task_id, e.level_since, t.queue_name AS queue
          FROM escalations e
          CROSS JOIN LATERAL (
            SELECT min((p.levels::jsonb -> (e.level - 1) ->> 'delay_minutes')::int) AS delay FROM escalation_policies p
            WHERE (p.reason IS NULL OR p.reason = e.reason) AND jsonb_array_length(p.levels::jsonb) > e.level) earliest
          CROSS JOIN LATERAL (SELECT queue_name FROM tasks WHERE id = e.task_id OFFSET 0) t
          CROSS JOIN LATERAL (
            SELECT p.levels FROM escalation_policies p
            WHERE (p.queue_name IS NULL OR p.queue_name = t.queue_name) AND (p.reason IS NULL OR p.reason = e.reason)
            ORDER BY (p.reason IS NOT NULL)::int * 2 + (p.queue_name IS NOT NULL)::int DESC
            LIMIT 1) p
          WHERE e.status = 'OPEN' AND e.level < max_levels
            AND coalesce(e.level_since, e.created_at) <= p_at - min_delay * interval '1 minute'
            AND coalesce(e.level_since, e.created_at) + earliest.delay * interval '1 minute' <= p_at
            AND jsonb_array_length(p.levels::jsonb) > e.level
            AND coalesce(e.level_since, e.created_at)
                + (p.levels::jsonb -> (e.level - 1) ->> 'delay_minutes')::int * interval '1 minute' <= p_at
          ORDER BY e.level_since NULLS FIRST, e.id
          LIMIT p_levels_limit
          FOR UPDATE OF e SKIP LOCKED) e;
  END IF;

  RETURN jsonb_build_object('blocked', blocked, 'imminent', imminent, 'passed', passed, 'levels', levels);
END $$;

-- Open escalations by level and age: the levels rule's first bound (above) is a range of it.
CREATE INDEX "escalations_open_level_idx" ON "escalations" ("level", (coalesce("level_since", "created_at")))
  WHERE "status" = 'OPEN';

-- Blocked tasks by how long: the blocked rule reads the range past 24 h, not every blocked task.
CREATE INDEX "tasks_blocked_since_idx" ON "tasks" ("blocked_since")
  WHERE "state" = 'BLOCKED' AND "archived_at" IS NULL;
