-- CreateTable
CREATE TABLE "task_rollup_blocks" (
    "grain" CHAR(1) NOT NULL,
    "key" TEXT NOT NULL,
    "level" SMALLINT NOT NULL,
    "start" TIMESTAMPTZ(3) NOT NULL,
    "cycle_bucket" SMALLINT NOT NULL DEFAULT -1,
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

    CONSTRAINT "task_rollup_blocks_pkey" PRIMARY KEY ("grain","level","start","key","cycle_bucket")
);

-- ---------------------------------------------------------------------------------------------
-- Hand-written: coarse rollup rows (docs/scale.md, "Metrics and reports"). A 90-day read of the
-- hourly rows took every hour of every queue (2,160 per queue) and every client-day (~90,000 for
-- a thousand clients). task_rollup_blocks holds the same counters for whole UTC days (level 0)
-- and for blocks of 2^level days (level 1..8: up to 256 days) aligned on 1970-01-01, so any run
-- of whole days is at most two blocks per level. Invariant: a block row is the sum of the
-- *folded* (compacted) hourly rows inside it; the compaction, which turns delta rows into folded
-- ones, adds what it folds to the blocks in the same statement. A reader takes the blocks for
-- the whole days of its window, the hourly rows not folded yet inside those days, and every
-- hourly row of the partial days at the window's two edges (server/engine/tracking/rollups.ts,
-- rollupCover): each counter once. Days are UTC days: the reports' days and ISO weeks are UTC.
-- ---------------------------------------------------------------------------------------------

-- The start of the block of 2^p_level UTC days holding a moment (blocks aligned on 1970-01-01).
-- Epoch seconds, not interval arithmetic: adding days to a timestamptz follows the session's
-- time zone (DST), these are UTC days.
CREATE FUNCTION task_rollup_block(at timestamptz, p_level int) RETURNS timestamptz
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT to_timestamp((((floor(EXTRACT(EPOCH FROM at) / 86400)::bigint >> p_level) << p_level) * 86400)::float8)
$$;

-- Folds the delta rows of up to p_keys keys into one row each (dropping all-zero ones), and adds
-- the deltas it folded to the blocks (levels 0..8) holding their hour; returns the number of
-- keys folded. Safe beside writers and another compaction: it sums exactly the rows its DELETE
-- removed, a delta goes into the blocks through the one compaction that deleted it, and rows
-- written meanwhile stay for the next pass. The blocks are upserted in one order (grain, level,
-- start, key), so two compactions at once take their row locks in the same order.
CREATE OR REPLACE FUNCTION task_rollups_compact(p_keys int) RETURNS int LANGUAGE sql AS $$
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
    SELECT g.grain, g.key, g.hour, g.cycle_bucket, true, sum(g.started)::int, sum(g.queue_ms)::bigint, sum(g.completed)::int, sum(g.cycle_ms)::bigint, sum(g.sla_total)::int, sum(g.sla_met)::int, sum(g.active)::int, sum(g.failed)::int, sum(g.retried)::int, sum(g.blocked)::int, sum(g.failures)::int, sum(g.n_created)::int, sum(g.n_queued)::int, sum(g.n_on_hold)::int, sum(g.n_scheduled)::int, sum(g.n_in_progress)::int, sum(g.n_completed)::int, sum(g.n_failed)::int, sum(g.n_blocked)::int, sum(g.n_unblocked)::int, sum(g.n_cancelled)::int
    FROM gone g GROUP BY g.grain, g.key, g.hour, g.cycle_bucket
    HAVING sum(g.started) <> 0 OR sum(g.queue_ms) <> 0 OR sum(g.completed) <> 0 OR sum(g.cycle_ms) <> 0 OR sum(g.sla_total) <> 0 OR sum(g.sla_met) <> 0 OR sum(g.active) <> 0 OR sum(g.failed) <> 0 OR sum(g.retried) <> 0 OR sum(g.blocked) <> 0 OR sum(g.failures) <> 0 OR sum(g.n_created) <> 0 OR sum(g.n_queued) <> 0 OR sum(g.n_on_hold) <> 0 OR sum(g.n_scheduled) <> 0 OR sum(g.n_in_progress) <> 0 OR sum(g.n_completed) <> 0 OR sum(g.n_failed) <> 0 OR sum(g.n_blocked) <> 0 OR sum(g.n_unblocked) <> 0 OR sum(g.n_cancelled) <> 0
    RETURNING 1
  ),
  blocks AS (
    INSERT INTO task_rollup_blocks AS b (grain, key, level, start, cycle_bucket, started, queue_ms, completed, cycle_ms, sla_total, sla_met, active, failed, retried, blocked, failures, n_created, n_queued, n_on_hold, n_scheduled, n_in_progress, n_completed, n_failed, n_blocked, n_unblocked, n_cancelled)
    SELECT g.grain, g.key, l.level, task_rollup_block(g.hour, l.level), g.cycle_bucket, sum(g.started)::int, sum(g.queue_ms)::bigint, sum(g.completed)::int, sum(g.cycle_ms)::bigint, sum(g.sla_total)::int, sum(g.sla_met)::int, sum(g.active)::int, sum(g.failed)::int, sum(g.retried)::int, sum(g.blocked)::int, sum(g.failures)::int, sum(g.n_created)::int, sum(g.n_queued)::int, sum(g.n_on_hold)::int, sum(g.n_scheduled)::int, sum(g.n_in_progress)::int, sum(g.n_completed)::int, sum(g.n_failed)::int, sum(g.n_blocked)::int, sum(g.n_unblocked)::int, sum(g.n_cancelled)::int
    FROM gone g CROSS JOIN generate_series(0, 8) AS l(level)
    WHERE NOT g.compacted
    GROUP BY 1, 2, 3, 4, 5
    HAVING sum(g.started) <> 0 OR sum(g.queue_ms) <> 0 OR sum(g.completed) <> 0 OR sum(g.cycle_ms) <> 0 OR sum(g.sla_total) <> 0 OR sum(g.sla_met) <> 0 OR sum(g.active) <> 0 OR sum(g.failed) <> 0 OR sum(g.retried) <> 0 OR sum(g.blocked) <> 0 OR sum(g.failures) <> 0 OR sum(g.n_created) <> 0 OR sum(g.n_queued) <> 0 OR sum(g.n_on_hold) <> 0 OR sum(g.n_scheduled) <> 0 OR sum(g.n_in_progress) <> 0 OR sum(g.n_completed) <> 0 OR sum(g.n_failed) <> 0 OR sum(g.n_blocked) <> 0 OR sum(g.n_unblocked) <> 0 OR sum(g.n_cancelled) <> 0
    ORDER BY 1, 3, 4, 2, 5
    ON CONFLICT (grain, level, start, key, cycle_bucket) DO UPDATE SET
      started = b.started + EXCLUDED.started,
      queue_ms = b.queue_ms + EXCLUDED.queue_ms,
      completed = b.completed + EXCLUDED.completed,
      cycle_ms = b.cycle_ms + EXCLUDED.cycle_ms,
      sla_total = b.sla_total + EXCLUDED.sla_total,
      sla_met = b.sla_met + EXCLUDED.sla_met,
      active = b.active + EXCLUDED.active,
      failed = b.failed + EXCLUDED.failed,
      retried = b.retried + EXCLUDED.retried,
      blocked = b.blocked + EXCLUDED.blocked,
      failures = b.failures + EXCLUDED.failures,
      n_created = b.n_created + EXCLUDED.n_created,
      n_queued = b.n_queued + EXCLUDED.n_queued,
      n_on_hold = b.n_on_hold + EXCLUDED.n_on_hold,
      n_scheduled = b.n_scheduled + EXCLUDED.n_scheduled,
      n_in_progress = b.n_in_progress + EXCLUDED.n_in_progress,
      n_completed = b.n_completed + EXCLUDED.n_completed,
      n_failed = b.n_failed + EXCLUDED.n_failed,
      n_blocked = b.n_blocked + EXCLUDED.n_blocked,
      n_unblocked = b.n_unblocked + EXCLUDED.n_unblocked,
      n_cancelled = b.n_cancelled + EXCLUDED.n_cancelled
    RETURNING 1
  )
  SELECT count(*)::int FROM keys
$$;

-- The blocks from the folded hourly rows (after task_rollups_rebuild, and this migration's
-- backfill): level 0 from the hours, each level above from the one below.
CREATE FUNCTION task_rollup_blocks_rebuild() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM task_rollup_blocks;
  INSERT INTO task_rollup_blocks (grain, key, level, start, cycle_bucket, started, queue_ms, completed, cycle_ms, sla_total, sla_met, active, failed, retried, blocked, failures, n_created, n_queued, n_on_hold, n_scheduled, n_in_progress, n_completed, n_failed, n_blocked, n_unblocked, n_cancelled)
  SELECT g.grain, g.key, 0, task_rollup_block(g.hour, 0), g.cycle_bucket, sum(g.started)::int, sum(g.queue_ms)::bigint, sum(g.completed)::int, sum(g.cycle_ms)::bigint, sum(g.sla_total)::int, sum(g.sla_met)::int, sum(g.active)::int, sum(g.failed)::int, sum(g.retried)::int, sum(g.blocked)::int, sum(g.failures)::int, sum(g.n_created)::int, sum(g.n_queued)::int, sum(g.n_on_hold)::int, sum(g.n_scheduled)::int, sum(g.n_in_progress)::int, sum(g.n_completed)::int, sum(g.n_failed)::int, sum(g.n_blocked)::int, sum(g.n_unblocked)::int, sum(g.n_cancelled)::int
  FROM task_rollups_hourly g WHERE g.compacted
  GROUP BY 1, 2, 3, 4, 5
  HAVING sum(g.started) <> 0 OR sum(g.queue_ms) <> 0 OR sum(g.completed) <> 0 OR sum(g.cycle_ms) <> 0 OR sum(g.sla_total) <> 0 OR sum(g.sla_met) <> 0 OR sum(g.active) <> 0 OR sum(g.failed) <> 0 OR sum(g.retried) <> 0 OR sum(g.blocked) <> 0 OR sum(g.failures) <> 0 OR sum(g.n_created) <> 0 OR sum(g.n_queued) <> 0 OR sum(g.n_on_hold) <> 0 OR sum(g.n_scheduled) <> 0 OR sum(g.n_in_progress) <> 0 OR sum(g.n_completed) <> 0 OR sum(g.n_failed) <> 0 OR sum(g.n_blocked) <> 0 OR sum(g.n_unblocked) <> 0 OR sum(g.n_cancelled) <> 0;
  FOR lvl IN 1..8 LOOP
    INSERT INTO task_rollup_blocks (grain, key, level, start, cycle_bucket, started, queue_ms, completed, cycle_ms, sla_total, sla_met, active, failed, retried, blocked, failures, n_created, n_queued, n_on_hold, n_scheduled, n_in_progress, n_completed, n_failed, n_blocked, n_unblocked, n_cancelled)
    SELECT g.grain, g.key, lvl, task_rollup_block(g.start, lvl), g.cycle_bucket, sum(g.started)::int, sum(g.queue_ms)::bigint, sum(g.completed)::int, sum(g.cycle_ms)::bigint, sum(g.sla_total)::int, sum(g.sla_met)::int, sum(g.active)::int, sum(g.failed)::int, sum(g.retried)::int, sum(g.blocked)::int, sum(g.failures)::int, sum(g.n_created)::int, sum(g.n_queued)::int, sum(g.n_on_hold)::int, sum(g.n_scheduled)::int, sum(g.n_in_progress)::int, sum(g.n_completed)::int, sum(g.n_failed)::int, sum(g.n_blocked)::int, sum(g.n_unblocked)::int, sum(g.n_cancelled)::int
    FROM task_rollup_blocks g WHERE g.level = lvl - 1
    GROUP BY 1, 2, 3, 4, 5
    HAVING sum(g.started) <> 0 OR sum(g.queue_ms) <> 0 OR sum(g.completed) <> 0 OR sum(g.cycle_ms) <> 0 OR sum(g.sla_total) <> 0 OR sum(g.sla_met) <> 0 OR sum(g.active) <> 0 OR sum(g.failed) <> 0 OR sum(g.retried) <> 0 OR sum(g.blocked) <> 0 OR sum(g.failures) <> 0 OR sum(g.n_created) <> 0 OR sum(g.n_queued) <> 0 OR sum(g.n_on_hold) <> 0 OR sum(g.n_scheduled) <> 0 OR sum(g.n_in_progress) <> 0 OR sum(g.n_completed) <> 0 OR sum(g.n_failed) <> 0 OR sum(g.n_blocked) <> 0 OR sum(g.n_unblocked) <> 0 OR sum(g.n_cancelled) <> 0;
  END LOOP;
END $$;

-- Rebuilds the rollups from the raw rows (the bench loader after a bulk load made with the
-- triggers off): the hourly rows, all folded, then the blocks.
CREATE OR REPLACE FUNCTION task_rollups_rebuild() RETURNS void LANGUAGE plpgsql AS $$
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
  PERFORM task_rollup_blocks_rebuild();
END $$;

CREATE OR REPLACE FUNCTION task_rollups_on_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM task_rollups_hourly;
  DELETE FROM task_rollup_state;
  DELETE FROM task_rollups_pending;
  DELETE FROM task_rollup_blocks;
  RETURN NULL;
END $$;

SELECT task_rollup_blocks_rebuild();
