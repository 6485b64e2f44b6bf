-- AlterTable
ALTER TABLE "escalations" ADD COLUMN     "level" INTEGER NOT NULL DEFAULT 1,
ADD COLUMN     "level_since" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "escalation_policies" (
    "id" SERIAL NOT NULL,
    "queue_name" TEXT,
    "reason" TEXT,
    "levels" JSONB NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "updated_by" TEXT NOT NULL,

    CONSTRAINT "escalation_policies_pkey" PRIMARY KEY ("id")
);

-- One policy per scope (queue, reason), nulls meaning "any".
CREATE UNIQUE INDEX "escalation_policies_scope" ON "escalation_policies" (COALESCE("queue_name", ''), COALESCE("reason", ''));

-- "tech lead" was never a role of the product: technical failures go to the operators.
UPDATE "escalations" SET "escalated_to" = 'operator' WHERE "escalated_to" = 'tech_lead';
UPDATE "escalations" SET "level_since" = "created_at" WHERE "level_since" IS NULL;

-- The default policy: whoever is first gets 60 min (15 min for an imminent SLA, 30 for a
-- technical failure) to acknowledge before the next level is called in.
INSERT INTO "escalation_policies" ("queue_name", "reason", "levels", "updated_at", "updated_by") VALUES
  (NULL, NULL, '[{"target":"account_manager","delay_minutes":60},{"target":"operator","delay_minutes":null}]', now(), 'migration'),
  (NULL, 'sla_breach_imminent', '[{"target":"operator","delay_minutes":15},{"target":"account_manager","delay_minutes":null}]', now(), 'migration'),
  (NULL, 'retries_exhausted', '[{"target":"operator","delay_minutes":30},{"target":"account_manager","delay_minutes":null}]', now(), 'migration'),
  (NULL, 'unrecoverable_error', '[{"target":"operator","delay_minutes":30},{"target":"account_manager","delay_minutes":null}]', now(), 'migration');
