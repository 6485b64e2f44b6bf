-- CreateEnum
CREATE TYPE "TaskState" AS ENUM ('CREATED', 'QUEUED', 'ON_HOLD', 'SCHEDULED', 'IN_PROGRESS', 'COMPLETED', 'FAILED', 'BLOCKED', 'UNBLOCKED', 'CANCELLED');

-- CreateEnum
CREATE TYPE "EscalationStatus" AS ENUM ('OPEN', 'ACKNOWLEDGED', 'RESOLVED');

-- CreateTable
CREATE TABLE "queues" (
    "name" TEXT NOT NULL,
    "sla_minutes" INTEGER,
    "capacity" INTEGER,
    "description" TEXT NOT NULL DEFAULT '',
    "sort_order" INTEGER NOT NULL,

    CONSTRAINT "queues_pkey" PRIMARY KEY ("name")
);

-- CreateTable
CREATE TABLE "task_id_counters" (
    "year" INTEGER NOT NULL,
    "last_seq" INTEGER NOT NULL,

    CONSTRAINT "task_id_counters_pkey" PRIMARY KEY ("year")
);

-- CreateTable
CREATE TABLE "tasks" (
    "id" TEXT NOT NULL,
    "intake_id" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "title" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "type" TEXT NOT NULL DEFAULT 'generic',
    "skill_target" TEXT NOT NULL DEFAULT '',
    "entry_point" TEXT NOT NULL DEFAULT '',
    "state" "TaskState" NOT NULL,
    "previous_state" "TaskState",
    "state_changed_at" TIMESTAMPTZ(3) NOT NULL,
    "queue_name" TEXT NOT NULL,
    "queue_entered_at" TIMESTAMPTZ(3) NOT NULL,
    "sla_deadline" TIMESTAMPTZ(3),
    "rank" TEXT,
    "scheduled_for" TIMESTAMPTZ(3),
    "priority_score" INTEGER NOT NULL DEFAULT 50,
    "priority_factors" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "started_at" TIMESTAMPTZ(3),
    "estimated_duration_hours" DOUBLE PRECISION,
    "progress_percent" INTEGER NOT NULL DEFAULT 0,
    "current_step" TEXT,
    "assigned_to" TEXT,
    "completed_at" TIMESTAMPTZ(3),
    "blocker_reason" TEXT,
    "blocked_since" TIMESTAMPTZ(3),
    "retry_count" INTEGER NOT NULL DEFAULT 0,
    "next_retry_at" TIMESTAMPTZ(3),
    "last_error" TEXT,
    "lease_owner" TEXT,
    "lease_expires_at" TIMESTAMPTZ(3),
    "parent_task_id" TEXT,
    "client_name" TEXT,
    "client_contact" TEXT,
    "project_type" TEXT,
    "project_budget_range" TEXT,
    "project_deadline" TEXT,
    "deliverables" JSONB NOT NULL DEFAULT '[]',
    "notes" JSONB NOT NULL DEFAULT '[]',
    "next_actions" JSONB NOT NULL DEFAULT '[]',
    "version" INTEGER NOT NULL DEFAULT 1,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "updated_by" TEXT NOT NULL,
    "archived_at" TIMESTAMPTZ(3),

    CONSTRAINT "tasks_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "task_state_history" (
    "id" BIGSERIAL NOT NULL,
    "task_id" TEXT NOT NULL,
    "state" "TaskState" NOT NULL,
    "from_state" "TaskState",
    "at" TIMESTAMPTZ(3) NOT NULL,
    "actor" TEXT NOT NULL,
    "reason" TEXT,
    "version" INTEGER NOT NULL,

    CONSTRAINT "task_state_history_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "task_dependencies" (
    "blocker_id" TEXT NOT NULL,
    "dependent_id" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "task_dependencies_pkey" PRIMARY KEY ("blocker_id","dependent_id")
);

-- CreateTable
CREATE TABLE "audit_log" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "actor" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "task_id" TEXT,
    "from_state" "TaskState",
    "to_state" "TaskState",
    "reason" TEXT,
    "details" JSONB NOT NULL DEFAULT '{}',

    CONSTRAINT "audit_log_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "events" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "type" TEXT NOT NULL,
    "task_id" TEXT,
    "version" INTEGER,
    "payload" JSONB NOT NULL DEFAULT '{}',

    CONSTRAINT "events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "escalations" (
    "id" TEXT NOT NULL,
    "task_id" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "urgency" TEXT NOT NULL,
    "context" JSONB NOT NULL DEFAULT '{}',
    "suggested_action" TEXT NOT NULL,
    "escalated_to" TEXT NOT NULL,
    "deadline" TIMESTAMPTZ(3) NOT NULL,
    "status" "EscalationStatus" NOT NULL DEFAULT 'OPEN',
    "open_key" TEXT,
    "assignee" TEXT,
    "resolution" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "acknowledged_at" TIMESTAMPTZ(3),
    "resolved_at" TIMESTAMPTZ(3),
    "version" INTEGER NOT NULL DEFAULT 1,

    CONSTRAINT "escalations_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "tasks_state_idx" ON "tasks"("state");

-- CreateIndex
CREATE INDEX "tasks_queue_name_state_idx" ON "tasks"("queue_name", "state");

-- CreateIndex
CREATE INDEX "tasks_intake_id_idx" ON "tasks"("intake_id");

-- CreateIndex
CREATE INDEX "tasks_parent_task_id_idx" ON "tasks"("parent_task_id");

-- CreateIndex
CREATE INDEX "tasks_updated_at_idx" ON "tasks"("updated_at");

-- CreateIndex
CREATE INDEX "task_state_history_task_id_id_idx" ON "task_state_history"("task_id", "id");

-- CreateIndex
CREATE INDEX "task_dependencies_dependent_id_idx" ON "task_dependencies"("dependent_id");

-- CreateIndex
CREATE INDEX "audit_log_task_id_at_idx" ON "audit_log"("task_id", "at");

-- CreateIndex
CREATE INDEX "audit_log_actor_at_idx" ON "audit_log"("actor", "at");

-- CreateIndex
CREATE INDEX "audit_log_at_idx" ON "audit_log"("at");

-- CreateIndex
CREATE INDEX "events_task_id_idx" ON "events"("task_id");

-- CreateIndex
CREATE UNIQUE INDEX "escalations_open_key_key" ON "escalations"("open_key");

-- CreateIndex
CREATE INDEX "escalations_status_deadline_idx" ON "escalations"("status", "deadline");

-- CreateIndex
CREATE INDEX "escalations_task_id_idx" ON "escalations"("task_id");

-- AddForeignKey
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_queue_name_fkey" FOREIGN KEY ("queue_name") REFERENCES "queues"("name") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_parent_task_id_fkey" FOREIGN KEY ("parent_task_id") REFERENCES "tasks"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "task_state_history" ADD CONSTRAINT "task_state_history_task_id_fkey" FOREIGN KEY ("task_id") REFERENCES "tasks"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "task_dependencies" ADD CONSTRAINT "task_dependencies_blocker_id_fkey" FOREIGN KEY ("blocker_id") REFERENCES "tasks"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "task_dependencies" ADD CONSTRAINT "task_dependencies_dependent_id_fkey" FOREIGN KEY ("dependent_id") REFERENCES "tasks"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "escalations" ADD CONSTRAINT "escalations_task_id_fkey" FOREIGN KEY ("task_id") REFERENCES "tasks"("id") ON DELETE CASCADE ON UPDATE CASCADE;
