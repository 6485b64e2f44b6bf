-- A lease is held only while a task is IN_PROGRESS: every exit from IN_PROGRESS ends it
-- (server/engine/state/commit-change.ts). Clear the leases older code left on tasks moved out of
-- IN_PROGRESS by a person (block, cancel, inbox actions). (A CHECK constraint would say the same,
-- but Prisma's WASM schema engine, which `migrate:check` replays migrations with, panics on it.)
UPDATE "tasks" SET "lease_expires_at" = NULL
WHERE "state" <> 'IN_PROGRESS' AND "lease_expires_at" IS NOT NULL;
