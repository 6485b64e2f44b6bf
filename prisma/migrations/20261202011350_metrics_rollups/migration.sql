-- CreateTable
CREATE TABLE "task_rollups_hourly" (
    "id" BIGSERIAL NOT NULL,
    "grain" CHAR(1) NOT NULL,
    "key" TEXT NOT NULL,
    "hour" TIMESTAMPTZ(3) NOT NULL,
    "cycle_bucket" SMALLINT NOT NULL DEFAULT -1,
    "compacted" BOOLEAN NOT NULL DEFAULT false,
    "started" INTEGER NOT NULL DEFAULT 0,
    "queue_ms" BIGINT NOT NULL DEFAULT 0,
    "completed" INTEGER NOT NULL DEFAULT 0,
    "cycle_ms" BIGINT NOT NULL DEFAULT 0,
    "sla_total" INTEGER NOT NULL DEFAULT 0,
    "sla_met" INTEGER NOT NULL DEFAULT 0,
    "active" INTEGER NOT NULL DEFAULT 0,
    "failed" INTEGER NOT NULL DEFAULT 0,
    "retried" INTEGER NOT NULL DEFAULT 0,
    "blocked" INTEGER NOT NULL DEFAULT 0,
    "failures" INTEGER NOT NULL DEFAULT 0,
    "n_created" INTEGER NOT NULL DEFAULT 0,
    "n_queued" INTEGER NOT NULL DEFAULT 0,
    "n_on_hold" INTEGER NOT NULL DEFAULT 0,
    "n_scheduled" INTEGER NOT NULL DEFAULT 0,
    "n_in_progress" INTEGER NOT NULL DEFAULT 0,
    "n_completed" INTEGER NOT NULL DEFAULT 0,
    "n_failed" INTEGER NOT NULL DEFAULT 0,
    "n_blocked" INTEGER NOT NULL DEFAULT 0,
    "n_unblocked" INTEGER NOT NULL DEFAULT 0,
    "n_cancelled" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "task_rollups_hourly_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "task_rollup_state" (
    "task_id" TEXT NOT NULL,
    "queue_name" TEXT NOT NULL,
    "skill_target" TEXT NOT NULL,
    "client_name" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "queue_entered_at" TIMESTAMPTZ(3) NOT NULL,
    "sla_deadline" TIMESTAMPTZ(3),
    "last_history_id" BIGINT NOT NULL,

    CONSTRAINT "task_rollup_state_pkey" PRIMARY KEY ("task_id")
);

-- CreateIndex
CREATE INDEX "task_rollups_hourly_grain_hour_idx" ON "task_rollups_hourly"("grain", "hour");

-- Metrics and reports from rollups (docs/scale.md, "Metrics and reports"). A task's contribution
-- to the counters is a pure function of its attributes and its state history
-- (task_rollup_parts); triggers keep task_rollups_hourly equal to the sum of every task's
-- contribution by writing, on each change, the difference between the task's new contribution
-- and the one recorded in task_rollup_state. Rows are append-only deltas (no row lock shared by
-- concurrent transactions, no deadlock); task_rollups_compact() folds them per key.

CREATE INDEX "task_rollups_hourly_uncompacted_idx" ON "task_rollups_hourly" ("grain", "key", "hour", "cycle_bucket")
  WHERE NOT "compacted";

-- The UTC hour of a moment.
CREATE FUNCTION task_rollup_hour(at timestamptz) RETURNS timestamptz
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT date_trunc('hour', at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' $$;

-- The cycle-time histogram's bucket of a duration: 0 below 1 s, then 8 buckets per doubling
-- (bucket b covers [1 s x 2^((b-1)/8), 1 s x 2^(b/8)): its middle is within 4.4 % of any of them).
CREATE FUNCTION task_cycle_bucket(ms bigint) RETURNS smallint
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN ms < 1000 THEN 0 ELSE 1 + floor(8 * ln(ms / 1000.0) / ln(2.0))::int END::smallint
$$;

-- What one task adds to the rollups (the KPI definitions are in metrics-collector.ts):
-- - per history row, +1 to n_<state> and -1 to n_<previous state> in the row's hour; failures +1
--   for each entry into FAILED;
-- - its first IN_PROGRESS: started, queue_ms = first IN_PROGRESS - queue entry (first QUEUED, or
--   queue_entered_at);
-- - its first COMPLETED: completed, cycle_ms = COMPLETED - created_at, and the histogram row;
-- - its SLA once decided: met at the first start when at or before the deadline, breached at the
--   deadline when started later, or finished (completed, cancelled) at or after it unstarted.
--   A live task never started is pending: the reads add its breach once its deadline is past;
-- - its first entry into an execution state (IN_PROGRESS, FAILED, BLOCKED, UNBLOCKED): active,
--   and failed / retried / blocked if it ever was (the rates' cohort).
-- Each counter goes to the task's queue (grain q), skill (s) and client (c; by UTC day, not hour:
-- with a thousand clients an hour row would hold about one task); '' when none.
CREATE FUNCTION task_rollup_parts(
  p_queue text, p_skill text, p_client text, p_created timestamptz, p_entered timestamptz,
  p_deadline timestamptz, hs task_state_history[])
RETURNS TABLE (grain char(1), key text, hour timestamptz, cycle_bucket smallint,
  started int,
  queue_ms bigint,
  completed int,
  cycle_ms bigint,
  sla_total int,
  sla_met int,
  active int,
  failed int,
  retried int,
  blocked int,
  failures int,
  n_created int,
  n_queued int,
  n_on_hold int,
  n_scheduled int,
  n_in_progress int,
  n_completed int,
  n_failed int,
  n_blocked int,
  n_unblocked int,
  n_cancelled int)
LANGUAGE sql STABLE AS $$
WITH h AS (
  SELECT x.state::text AS state, x.from_state::text AS from_state, x.at,
         LAG(x.state::text) OVER (ORDER BY x.at, x.id) AS prev
  FROM unnest(hs) AS x
),
f AS (
  SELECT min(at) FILTER (WHERE state = 'QUEUED') AS queued_at,
         min(at) FILTER (WHERE state = 'IN_PROGRESS') AS started_at,
         min(at) FILTER (WHERE state = 'COMPLETED') AS completed_at,
         min(at) FILTER (WHERE state IN ('COMPLETED', 'CANCELLED')) AS finished_at,
         min(at) FILTER (WHERE state IN ('IN_PROGRESS', 'FAILED', 'BLOCKED', 'UNBLOCKED')) AS exec_at,
         COALESCE(bool_or(state = 'FAILED'), false) AS ever_failed,
         COALESCE(bool_or(state = 'IN_PROGRESS' AND from_state = 'FAILED'), false) AS ever_retried,
         COALESCE(bool_or(state = 'BLOCKED'), false) AS ever_blocked
  FROM h
),
sla AS (
  SELECT CASE WHEN p_deadline IS NULL THEN NULL
              WHEN f.started_at IS NOT NULL THEN LEAST(f.started_at, p_deadline)
              WHEN f.finished_at >= p_deadline THEN p_deadline
         END AS at,
         COALESCE(f.started_at <= p_deadline, false) AS met
  FROM f
),
moments (at, kind, st, v) AS (
  SELECT h.at, 'in', h.state, 0::bigint FROM h
  UNION ALL SELECT h.at, 'out', h.prev, 0 FROM h WHERE h.prev IS NOT NULL
  UNION ALL SELECT f.started_at, 'start', NULL,
                   (EXTRACT(EPOCH FROM f.started_at - COALESCE(f.queued_at, p_entered)) * 1000)::bigint
            FROM f WHERE f.started_at IS NOT NULL
  UNION ALL SELECT f.completed_at, 'complete', NULL, (EXTRACT(EPOCH FROM f.completed_at - p_created) * 1000)::bigint
            FROM f WHERE f.completed_at IS NOT NULL
  UNION ALL SELECT sla.at, 'sla', NULL, CASE WHEN sla.met THEN 1 ELSE 0 END FROM sla WHERE sla.at IS NOT NULL
  UNION ALL SELECT f.exec_at, 'active', NULL,
                   (CASE WHEN f.ever_failed THEN 1 ELSE 0 END) + (CASE WHEN f.ever_retried THEN 2 ELSE 0 END)
                   + (CASE WHEN f.ever_blocked THEN 4 ELSE 0 END)
            FROM f WHERE f.exec_at IS NOT NULL
),
base AS (
  SELECT task_rollup_hour(m.at) AS hour,
         count(*) FILTER (WHERE kind = 'start')::int AS started,
         COALESCE(sum(v) FILTER (WHERE kind = 'start'), 0)::bigint AS queue_ms,
         count(*) FILTER (WHERE kind = 'complete')::int AS completed,
         COALESCE(sum(v) FILTER (WHERE kind = 'complete'), 0)::bigint AS cycle_ms,
         count(*) FILTER (WHERE kind = 'sla')::int AS sla_total,
         count(*) FILTER (WHERE kind = 'sla' AND v = 1)::int AS sla_met,
         count(*) FILTER (WHERE kind = 'active')::int AS active,
         count(*) FILTER (WHERE kind = 'active' AND v & 1 = 1)::int AS failed,
         count(*) FILTER (WHERE kind = 'active' AND v & 2 = 2)::int AS retried,
         count(*) FILTER (WHERE kind = 'active' AND v & 4 = 4)::int AS blocked,
         count(*) FILTER (WHERE kind = 'in' AND st = 'FAILED')::int AS failures,
         (count(*) FILTER (WHERE kind = 'in' AND st = 'CREATED') - count(*) FILTER (WHERE kind = 'out' AND st = 'CREATED'))::int AS n_created,
         (count(*) FILTER (WHERE kind = 'in' AND st = 'QUEUED') - count(*) FILTER (WHERE kind = 'out' AND st = 'QUEUED'))::int AS n_queued,
         (count(*) FILTER (WHERE kind = 'in' AND st = 'ON_HOLD') - count(*) FILTER (WHERE kind = 'out' AND st = 'ON_HOLD'))::int AS n_on_hold,
         (count(*) FILTER (WHERE kind = 'in' AND st = 'SCHEDULED') - count(*) FILTER (WHERE kind = 'out' AND st = 'SCHEDULED'))::int AS n_scheduled,
         (count(*) FILTER (WHERE kind = 'in' AND st = 'IN_PROGRESS') - count(*) FILTER (WHERE kind = 'out' AND st = 'IN_PROGRESS'))::int AS n_in_progress,
         (count(*) FILTER (WHERE kind = 'in' AND st = 'COMPLETED') - count(*) FILTER (WHERE kind = 'out' AND st = 'COMPLETED'))::int AS n_completed,
         (count(*) FILTER (WHERE kind = 'in' AND st = 'FAILED') - count(*) FILTER (WHERE kind = 'out' AND st = 'FAILED'))::int AS n_failed,
         (count(*) FILTER (WHERE kind = 'in' AND st = 'BLOCKED') - count(*) FILTER (WHERE kind = 'out' AND st = 'BLOCKED'))::int AS n_blocked,
         (count(*) FILTER (WHERE kind = 'in' AND st = 'UNBLOCKED') - count(*) FILTER (WHERE kind = 'out' AND st = 'UNBLOCKED'))::int AS n_unblocked,
         (count(*) FILTER (WHERE kind = 'in' AND st = 'CANCELLED') - count(*) FILTER (WHERE kind = 'out' AND st = 'CANCELLED'))::int AS n_cancelled
  FROM moments m GROUP BY 1
)
SELECT g.grain, g.key,
       CASE WHEN g.grain = 'c' THEN date_trunc('day', b.hour AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' ELSE b.hour END,
       (-1)::smallint, b.started, b.queue_ms, b.completed, b.cycle_ms, b.sla_total, b.sla_met, b.active, b.failed, b.retried, b.blocked, b.failures, b.n_created, b.n_queued, b.n_on_hold, b.n_scheduled, b.n_in_progress, b.n_completed, b.n_failed, b.n_blocked, b.n_unblocked, b.n_cancelled
FROM base b CROSS JOIN (VALUES ('q'::char(1), p_queue), ('s', p_skill), ('c', p_client)) AS g(grain, key)
UNION ALL
SELECT 'h', p_queue, task_rollup_hour(f.completed_at),
       task_cycle_bucket((EXTRACT(EPOCH FROM f.completed_at - p_created) * 1000)::bigint),
       0, 0, 1, (EXTRACT(EPOCH FROM f.completed_at - p_created) * 1000)::bigint, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
FROM f WHERE f.completed_at IS NOT NULL
$$;

-- Brings these tasks' contributions up to date, in one statement whatever their number (a
-- batch claim writes 50 history rows at once): adds (new contribution - recorded one) as delta
-- rows, and records what each was computed with. `deleting`: the tasks are going, take them out.
-- Two transactions resyncing the same task wait on its task_rollup_state row (locked first, in
-- id order); a brand-new task's first rows come from the one transaction that created it.
CREATE FUNCTION task_rollups_resync(p_ids text[], p_deleting boolean DEFAULT false) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM 1 FROM task_rollup_state s WHERE s.task_id = ANY (p_ids) ORDER BY s.task_id FOR UPDATE;
  WITH cur AS (
    SELECT t.id, t.queue_name, COALESCE(t.skill_target, '') AS skill, COALESCE(t.client_name, '') AS client,
           t.created_at, t.queue_entered_at, t.sla_deadline, x.hs, COALESCE(x.last_id, 0) AS last_id
    FROM tasks t
    LEFT JOIN LATERAL (
      SELECT array_agg(h ORDER BY h.at, h.id) AS hs, max(h.id) AS last_id
      FROM task_state_history h WHERE h.task_id = t.id
    ) x ON true
    WHERE t.id = ANY (p_ids)
  ),
  pair AS (
    SELECT c.*, s.task_id AS s_id, s.queue_name AS s_queue, s.skill_target AS s_skill, s.client_name AS s_client,
           s.created_at AS s_created, s.queue_entered_at AS s_entered, s.sla_deadline AS s_deadline,
           ARRAY(SELECT y FROM unnest(c.hs) y WHERE y.id <= s.last_history_id) AS old_hs,
           -- only the deadline moved (the SLA clock's refresh) on a task neither started nor
           -- finished: its SLA is pending, no counter changes
           NOT (s.task_id IS NOT NULL AND s.last_history_id = c.last_id
                AND (s.queue_name, s.skill_target, s.client_name, s.created_at, s.queue_entered_at)
                    = (c.queue_name, c.skill, c.client, c.created_at, c.queue_entered_at)
                AND NOT EXISTS (SELECT 1 FROM unnest(c.hs) z WHERE z.state IN ('IN_PROGRESS', 'COMPLETED', 'CANCELLED')))
             OR p_deleting AS counts
    FROM cur c LEFT JOIN task_rollup_state s ON s.task_id = c.id
    WHERE p_deleting OR s.task_id IS NULL OR s.last_history_id <> c.last_id
       OR (s.queue_name, s.skill_target, s.client_name, s.created_at, s.queue_entered_at)
          IS DISTINCT FROM (c.queue_name, c.skill, c.client, c.created_at, c.queue_entered_at)
       OR s.sla_deadline IS DISTINCT FROM c.sla_deadline
  ),
  d AS (
    SELECT 1 AS sign, p.*
    FROM pair c CROSS JOIN LATERAL task_rollup_parts(c.queue_name, c.skill, c.client, c.created_at,
                                                     c.queue_entered_at, c.sla_deadline, c.hs) p
    WHERE c.counts AND NOT p_deleting
    UNION ALL
    SELECT -1, p.*
    FROM pair c CROSS JOIN LATERAL task_rollup_parts(c.s_queue, c.s_skill, c.s_client, c.s_created,
                                                     c.s_entered, c.s_deadline, c.old_hs) p
    WHERE c.counts AND c.s_id IS NOT NULL
  ),
  written AS (
    INSERT INTO task_rollups_hourly (grain, key, hour, cycle_bucket, started, queue_ms, completed, cycle_ms, sla_total, sla_met, active, failed, retried, blocked, failures, n_created, n_queued, n_on_hold, n_scheduled, n_in_progress, n_completed, n_failed, n_blocked, n_unblocked, n_cancelled)
    SELECT d.grain, d.key, d.hour, d.cycle_bucket,
         sum(d.sign * d.started)::int,
         sum(d.sign * d.queue_ms)::bigint,
         sum(d.sign * d.completed)::int,
         sum(d.sign * d.cycle_ms)::bigint,
         sum(d.sign * d.sla_total)::int,
         sum(d.sign * d.sla_met)::int,
         sum(d.sign * d.active)::int,
         sum(d.sign * d.failed)::int,
         sum(d.sign * d.retried)::int,
         sum(d.sign * d.blocked)::int,
         sum(d.sign * d.failures)::int,
         sum(d.sign * d.n_created)::int,
         sum(d.sign * d.n_queued)::int,
         sum(d.sign * d.n_on_hold)::int,
         sum(d.sign * d.n_scheduled)::int,
         sum(d.sign * d.n_in_progress)::int,
         sum(d.sign * d.n_completed)::int,
         sum(d.sign * d.n_failed)::int,
         sum(d.sign * d.n_blocked)::int,
         sum(d.sign * d.n_unblocked)::int,
         sum(d.sign * d.n_cancelled)::int
    FROM d
    GROUP BY d.grain, d.key, d.hour, d.cycle_bucket
    HAVING sum(d.sign * d.started) <> 0 OR sum(d.sign * d.queue_ms) <> 0 OR sum(d.sign * d.completed) <> 0 OR sum(d.sign * d.cycle_ms) <> 0 OR sum(d.sign * d.sla_total) <> 0 OR sum(d.sign * d.sla_met) <> 0 OR sum(d.sign * d.active) <> 0 OR sum(d.sign * d.failed) <> 0 OR sum(d.sign * d.retried) <> 0 OR sum(d.sign * d.blocked) <> 0 OR sum(d.sign * d.failures) <> 0 OR sum(d.sign * d.n_created) <> 0 OR sum(d.sign * d.n_queued) <> 0 OR sum(d.sign * d.n_on_hold) <> 0 OR sum(d.sign * d.n_scheduled) <> 0 OR sum(d.sign * d.n_in_progress) <> 0 OR sum(d.sign * d.n_completed) <> 0 OR sum(d.sign * d.n_failed) <> 0 OR sum(d.sign * d.n_blocked) <> 0 OR sum(d.sign * d.n_unblocked) <> 0 OR sum(d.sign * d.n_cancelled) <> 0
    RETURNING 1
  ),
  gone AS (
    DELETE FROM task_rollup_state s USING pair c WHERE p_deleting AND s.task_id = c.id RETURNING 1
  )
  INSERT INTO task_rollup_state (task_id, queue_name, skill_target, client_name, created_at, queue_entered_at,
                                 sla_deadline, last_history_id)
  SELECT c.id, c.queue_name, c.skill, c.client, c.created_at, c.queue_entered_at, c.sla_deadline, c.last_id
  FROM pair c WHERE NOT p_deleting
  ON CONFLICT (task_id) DO UPDATE SET queue_name = EXCLUDED.queue_name, skill_target = EXCLUDED.skill_target,
    client_name = EXCLUDED.client_name, created_at = EXCLUDED.created_at,
    queue_entered_at = EXCLUDED.queue_entered_at, sla_deadline = EXCLUDED.sla_deadline,
    last_history_id = EXCLUDED.last_history_id;
END $$
-- one plan for every call: planning the inlined parts afresh each time would cost more than
-- running them
SET plan_cache_mode = force_generic_plan;

CREATE FUNCTION task_rollups_on_history() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM task_rollups_resync(ARRAY(SELECT DISTINCT n.task_id FROM new_rows n));
  RETURN NULL;
END $$;

CREATE FUNCTION task_rollups_on_task() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    PERFORM task_rollups_resync(ARRAY[OLD.id], true);
    RETURN OLD;
  END IF;
  -- Only the deadline moved (the SLA clock's refresh walks every live task) on a task neither
  -- started nor finished: its SLA is pending, no counter changes; record the deadline, done.
  IF (OLD.queue_name, OLD.skill_target, OLD.client_name, OLD.created_at, OLD.queue_entered_at)
       IS NOT DISTINCT FROM (NEW.queue_name, NEW.skill_target, NEW.client_name, NEW.created_at, NEW.queue_entered_at)
     AND NOT EXISTS (SELECT 1 FROM task_state_history h
                     WHERE h.task_id = NEW.id AND h.state IN ('IN_PROGRESS', 'COMPLETED', 'CANCELLED')) THEN
    UPDATE task_rollup_state SET sla_deadline = NEW.sla_deadline WHERE task_id = NEW.id;
    IF FOUND THEN
      RETURN NULL;
    END IF;
  END IF;
  PERFORM task_rollups_resync(ARRAY[NEW.id]);
  RETURN NULL;
END $$;

CREATE FUNCTION task_rollups_on_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM task_rollups_hourly;
  DELETE FROM task_rollup_state;
  RETURN NULL;
END $$;

-- Every path that writes history (the PL/pgSQL hot path, commitTaskChange, imports, the demo)
-- goes through these triggers; so does any change of what a task is counted under.
CREATE TRIGGER task_rollups_history AFTER INSERT ON task_state_history
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION task_rollups_on_history();
CREATE TRIGGER task_rollups_task_change AFTER UPDATE OF queue_name, skill_target, client_name, created_at,
    queue_entered_at, sla_deadline ON tasks
  FOR EACH ROW
  WHEN ((OLD.queue_name, OLD.skill_target, OLD.client_name, OLD.created_at, OLD.queue_entered_at, OLD.sla_deadline)
        IS DISTINCT FROM (NEW.queue_name, NEW.skill_target, NEW.client_name, NEW.created_at, NEW.queue_entered_at, NEW.sla_deadline))
  EXECUTE FUNCTION task_rollups_on_task();
CREATE TRIGGER task_rollups_task_delete BEFORE DELETE ON tasks
  FOR EACH ROW EXECUTE FUNCTION task_rollups_on_task();
CREATE TRIGGER task_rollups_task_truncate AFTER TRUNCATE ON tasks
  FOR EACH STATEMENT EXECUTE FUNCTION task_rollups_on_truncate();

-- The rollups recomputed from the raw rows, set-based: every task's contribution, summed per key.
CREATE FUNCTION task_rollups_recompute()
RETURNS TABLE (grain char(1), key text, hour timestamptz, cycle_bucket smallint, started int,
  queue_ms bigint,
  completed int,
  cycle_ms bigint,
  sla_total int,
  sla_met int,
  active int,
  failed int,
  retried int,
  blocked int,
  failures int,
  n_created int,
  n_queued int,
  n_on_hold int,
  n_scheduled int,
  n_in_progress int,
  n_completed int,
  n_failed int,
  n_blocked int,
  n_unblocked int,
  n_cancelled int)
LANGUAGE sql STABLE AS $$
  SELECT p.grain, p.key, p.hour, p.cycle_bucket,
         sum(p.started)::int,
         sum(p.queue_ms)::bigint,
         sum(p.completed)::int,
         sum(p.cycle_ms)::bigint,
         sum(p.sla_total)::int,
         sum(p.sla_met)::int,
         sum(p.active)::int,
         sum(p.failed)::int,
         sum(p.retried)::int,
         sum(p.blocked)::int,
         sum(p.failures)::int,
         sum(p.n_created)::int,
         sum(p.n_queued)::int,
         sum(p.n_on_hold)::int,
         sum(p.n_scheduled)::int,
         sum(p.n_in_progress)::int,
         sum(p.n_completed)::int,
         sum(p.n_failed)::int,
         sum(p.n_blocked)::int,
         sum(p.n_unblocked)::int,
         sum(p.n_cancelled)::int
  FROM tasks t
  JOIN (SELECT h.task_id, array_agg(h ORDER BY h.at, h.id) AS hs FROM task_state_history h GROUP BY h.task_id) x
    ON x.task_id = t.id
  CROSS JOIN LATERAL task_rollup_parts(t.queue_name, COALESCE(t.skill_target, ''), COALESCE(t.client_name, ''),
                                       t.created_at, t.queue_entered_at, t.sla_deadline, x.hs) p
  GROUP BY p.grain, p.key, p.hour, p.cycle_bucket
  HAVING sum(p.started) <> 0 OR sum(p.queue_ms) <> 0 OR sum(p.completed) <> 0 OR sum(p.cycle_ms) <> 0 OR sum(p.sla_total) <> 0 OR sum(p.sla_met) <> 0 OR sum(p.active) <> 0 OR sum(p.failed) <> 0 OR sum(p.retried) <> 0 OR sum(p.blocked) <> 0 OR sum(p.failures) <> 0 OR sum(p.n_created) <> 0 OR sum(p.n_queued) <> 0 OR sum(p.n_on_hold) <> 0 OR sum(p.n_scheduled) <> 0 OR sum(p.n_in_progress) <> 0 OR sum(p.n_completed) <> 0 OR sum(p.n_failed) <> 0 OR sum(p.n_blocked) <> 0 OR sum(p.n_unblocked) <> 0 OR sum(p.n_cancelled) <> 0
$$;

-- Rebuilds the rollups from the raw rows (this migration's backfill; the bench loader after a
-- bulk load made with the triggers off).
CREATE FUNCTION task_rollups_rebuild() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM task_rollups_hourly;
  DELETE FROM task_rollup_state;
  INSERT INTO task_rollups_hourly (grain, key, hour, cycle_bucket, compacted, started, queue_ms, completed, cycle_ms, sla_total, sla_met, active, failed, retried, blocked, failures, n_created, n_queued, n_on_hold, n_scheduled, n_in_progress, n_completed, n_failed, n_blocked, n_unblocked, n_cancelled)
  SELECT r.grain, r.key, r.hour, r.cycle_bucket, true, r.started, r.queue_ms, r.completed, r.cycle_ms, r.sla_total, r.sla_met, r.active, r.failed, r.retried, r.blocked, r.failures, r.n_created, r.n_queued, r.n_on_hold, r.n_scheduled, r.n_in_progress, r.n_completed, r.n_failed, r.n_blocked, r.n_unblocked, r.n_cancelled
  FROM task_rollups_recompute() r;
  INSERT INTO task_rollup_state (task_id, queue_name, skill_target, client_name, created_at, queue_entered_at,
                                 sla_deadline, last_history_id)
  SELECT t.id, t.queue_name, COALESCE(t.skill_target, ''), COALESCE(t.client_name, ''), t.created_at,
         t.queue_entered_at, t.sla_deadline, COALESCE(x.last_id, 0)
  FROM tasks t
  LEFT JOIN (SELECT h.task_id, max(h.id) AS last_id FROM task_state_history h GROUP BY h.task_id) x ON x.task_id = t.id;
END $$;

-- Folds the delta rows of up to p_keys keys into one row each (dropping all-zero ones); returns
-- the number of keys folded. Safe beside writers and another compaction: it sums exactly the
-- rows its DELETE removed, and rows written meanwhile stay for the next pass.
CREATE FUNCTION task_rollups_compact(p_keys int) RETURNS int LANGUAGE sql AS $$
  WITH keys AS (
    SELECT DISTINCT r.grain, r.key, r.hour, r.cycle_bucket FROM task_rollups_hourly r WHERE NOT r.compacted LIMIT p_keys
  ),
  gone AS (
    DELETE FROM task_rollups_hourly r USING keys k
    WHERE r.grain = k.grain AND r.key = k.key AND r.hour = k.hour AND r.cycle_bucket = k.cycle_bucket
    RETURNING r.*
  ),
  folded AS (
    INSERT INTO task_rollups_hourly (grain, key, hour, cycle_bucket, compacted, started, queue_ms, completed, cycle_ms, sla_total, sla_met, active, failed, retried, blocked, failures, n_created, n_queued, n_on_hold, n_scheduled, n_in_progress, n_completed, n_failed, n_blocked, n_unblocked, n_cancelled)
    SELECT g.grain, g.key, g.hour, g.cycle_bucket, true, sum(g.started)::int,
         sum(g.queue_ms)::bigint,
         sum(g.completed)::int,
         sum(g.cycle_ms)::bigint,
         sum(g.sla_total)::int,
         sum(g.sla_met)::int,
         sum(g.active)::int,
         sum(g.failed)::int,
         sum(g.retried)::int,
         sum(g.blocked)::int,
         sum(g.failures)::int,
         sum(g.n_created)::int,
         sum(g.n_queued)::int,
         sum(g.n_on_hold)::int,
         sum(g.n_scheduled)::int,
         sum(g.n_in_progress)::int,
         sum(g.n_completed)::int,
         sum(g.n_failed)::int,
         sum(g.n_blocked)::int,
         sum(g.n_unblocked)::int,
         sum(g.n_cancelled)::int
    FROM gone g GROUP BY g.grain, g.key, g.hour, g.cycle_bucket
    HAVING sum(g.started) <> 0 OR sum(g.queue_ms) <> 0 OR sum(g.completed) <> 0 OR sum(g.cycle_ms) <> 0 OR sum(g.sla_total) <> 0 OR sum(g.sla_met) <> 0 OR sum(g.active) <> 0 OR sum(g.failed) <> 0 OR sum(g.retried) <> 0 OR sum(g.blocked) <> 0 OR sum(g.failures) <> 0 OR sum(g.n_created) <> 0 OR sum(g.n_queued) <> 0 OR sum(g.n_on_hold) <> 0 OR sum(g.n_scheduled) <> 0 OR sum(g.n_in_progress) <> 0 OR sum(g.n_completed) <> 0 OR sum(g.n_failed) <> 0 OR sum(g.n_blocked) <> 0 OR sum(g.n_unblocked) <> 0 OR sum(g.n_cancelled) <> 0
    RETURNING 1
  )
  SELECT count(*)::int FROM keys
$$;

SELECT task_rollups_rebuild();

