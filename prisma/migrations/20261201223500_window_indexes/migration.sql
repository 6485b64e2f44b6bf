-- Metrics and reports over a window read that window's tasks and history, not the whole table
-- (SCOPE_WHERE and TASK_FACTS_CTES in server/engine/tracking/metrics-collector.ts):
-- live tasks by creation time, any task by its last state change, history by time.
CREATE INDEX "tasks_live_created_at_idx" ON "tasks" ("created_at")
  WHERE "state" NOT IN ('COMPLETED', 'CANCELLED');
CREATE INDEX "tasks_state_changed_at_idx" ON "tasks" ("state_changed_at");
CREATE INDEX "task_state_history_at_idx" ON "task_state_history" ("at");
