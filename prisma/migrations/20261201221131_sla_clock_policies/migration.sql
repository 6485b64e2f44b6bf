-- AlterTable
ALTER TABLE "tasks" ADD COLUMN     "sla_clock_at" TIMESTAMPTZ(3),
ADD COLUMN     "sla_elapsed_ms" DOUBLE PRECISION,
ADD COLUMN     "sla_paused" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "sla_policies" (
    "queue_name" TEXT NOT NULL,
    "pause_states" TEXT[] DEFAULT ARRAY['ON_HOLD']::TEXT[],
    "pause_on_client_block" BOOLEAN NOT NULL DEFAULT true,
    "client_blocker_keywords" TEXT[] DEFAULT ARRAY['client', 'customer']::TEXT[],
    "pause_while_waiting_on_blockers" BOOLEAN NOT NULL DEFAULT true,
    "clock_starts" TEXT NOT NULL DEFAULT 'entry',
    "calendar" JSONB,
    "version" INTEGER NOT NULL DEFAULT 1,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "updated_by" TEXT NOT NULL,

    CONSTRAINT "sla_policies_pkey" PRIMARY KEY ("queue_name")
);

-- AddForeignKey
ALTER TABLE "sla_policies" ADD CONSTRAINT "sla_policies_queue_name_fkey" FOREIGN KEY ("queue_name") REFERENCES "queues"("name") ON DELETE CASCADE ON UPDATE CASCADE;
