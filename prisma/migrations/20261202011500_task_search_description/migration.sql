-- Search finds a client's request by its words ("Refonte site e-commerce…"): they are kept in the
-- tasks' description, so the trigram index now covers its first 1000 characters too. The same
-- expression as taskSearchSql in server/engine/presenters/task-search.ts.
DROP INDEX IF EXISTS "tasks_search_trgm_idx";
CREATE INDEX "tasks_search_trgm_idx" ON "tasks" USING gin (
  lower("id" || ' ' || "title" || ' ' || coalesce("client_name", '') || ' ' || coalesce("project_type", '') || ' ' || coalesce("intake_id", '') || ' ' || left("description", 1000))
  gin_trgm_ops
);
