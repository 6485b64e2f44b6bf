-- CreateEnum
CREATE TYPE "SkillExecutorKind" AS ENUM ('worker', 'webhook', 'human');

-- CreateTable
CREATE TABLE "skill_executors" (
    "skill" TEXT NOT NULL,
    "kind" "SkillExecutorKind" NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "url" TEXT,
    "secret" TEXT,
    "lease_seconds" INTEGER,
    "team" TEXT,
    "subscription_id" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "created_by" TEXT NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "updated_by" TEXT NOT NULL,

    CONSTRAINT "skill_executors_pkey" PRIMARY KEY ("skill")
);

-- CreateIndex
CREATE UNIQUE INDEX "skill_executors_subscription_id_key" ON "skill_executors"("subscription_id");

-- AddForeignKey
ALTER TABLE "skill_executors" ADD CONSTRAINT "skill_executors_subscription_id_fkey" FOREIGN KEY ("subscription_id") REFERENCES "webhook_subscriptions"("id") ON DELETE SET NULL ON UPDATE CASCADE;
