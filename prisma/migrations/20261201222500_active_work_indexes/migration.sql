-- Cost follows active work (docs/scale.md): every hot read names the live predicate, and these
-- partial indexes hold only live rows, so they stay the size of today's work after a year of history.

-- Live tasks (not finished, not archived) by queue and state: board, queue gauges, dispatcher summary.
CREATE INDEX "tasks_live_queue_state_idx" ON "tasks" ("queue_name", "state")
  WHERE "state" NOT IN ('COMPLETED', 'CANCELLED') AND "archived_at" IS NULL;

-- Live SLA deadlines: the SLA sweep and the at-risk gauges.
CREATE INDEX "tasks_live_sla_deadline_idx" ON "tasks" ("sla_deadline")
  WHERE "state" NOT IN ('COMPLETED', 'CANCELLED') AND "archived_at" IS NULL AND "sla_deadline" IS NOT NULL;

-- Waiting rows in dispatch order: "tasks_waiting_order_idx" (migration 20261201220327_hot_path,
-- state = 'QUEUED' AND archived_at IS NULL), which positions and waiting lists use too.

-- Recent finished, not archived: the board's terminal columns.
CREATE INDEX "tasks_recent_finished_idx" ON "tasks" ("state", "updated_at" DESC)
  WHERE "state" IN ('COMPLETED', 'CANCELLED') AND "archived_at" IS NULL;

-- The default task list (archived left out), newest id first, and its cursor pages.
CREATE INDEX "tasks_unarchived_id_idx" ON "tasks" ("id") WHERE "archived_at" IS NULL;

-- Escalations not resolved yet: the sweep closing those of finished tasks, the inbox badge.
CREATE INDEX "escalations_unresolved_task_idx" ON "escalations" ("task_id")
  WHERE "status" <> 'RESOLVED';

-- Pending deliveries by event: the outbox pruning keeps an event while one is pending.
CREATE INDEX "webhook_deliveries_pending_event_idx" ON "webhook_deliveries" ("event_id")
  WHERE "status" = 'pending';
