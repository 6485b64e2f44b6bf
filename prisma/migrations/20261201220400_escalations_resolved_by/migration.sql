-- AlterTable
ALTER TABLE "escalations" ADD COLUMN     "resolved_by" TEXT;

-- Never two open escalations for one task and reason, whichever code path writes them (open_key
-- already says so for raiseEscalation; this holds for any UPDATE too, e.g. an upgrade of an
-- imminent SLA escalation to "breached"). Also the index the auto-resolution reads by task.
CREATE UNIQUE INDEX "escalations_one_open_per_task_reason" ON "escalations" ("task_id", "reason")
  WHERE "status" <> 'RESOLVED';

-- Escalations resolved before auto-resolution existed were resolved by whoever acted last.
UPDATE "escalations" SET "resolved_by" = 'unknown' WHERE "status" = 'RESOLVED' AND "resolved_by" IS NULL;
