-- Search that scales (docs/scale.md): `GET /tasks?q=` matches a substring of the task's id,
-- title, client, project type and intake id through one trigram index, instead of a sequential
-- ILIKE over every task. pg_trgm is a trusted contrib extension (PostgreSQL 13+); the embedded
-- PGlite loads its build of it (server/db/client.ts).
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- The same expression as TASK_SEARCH_SQL in server/engine/presenters/task-search.ts.
CREATE INDEX "tasks_search_trgm_idx" ON "tasks" USING gin (
  lower("id" || ' ' || "title" || ' ' || coalesce("client_name", '') || ' ' || coalesce("project_type", '') || ' ' || coalesce("intake_id", ''))
  gin_trgm_ops
);
