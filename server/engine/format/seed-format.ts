import type { QueueName } from "@/lib/queues";
import type { SeedTask } from "@/lib/seed-format";
import type { PrismaClient } from "../../db/client";
import type { Task } from "../../db/generated/client";
import type { Tx } from "../context";

/** Everything the seed format shows that is not a column of the task row. */
export interface TaskRelations {
  history: { state: Task["state"]; at: Date }[];
  blockedBy: string[];
  blocks: string[];
  subtasks: string[];
  position: number | null;
}

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);
const jsonArray = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/** Renders a task exactly in the seed's JSON shape: snake_case, ISO-8601 UTC timestamps. */
export function toSeedTask(task: Task, rel: TaskRelations): SeedTask {
  return {
    id: task.id,
    intake_id: task.intakeId,
    created_at: task.createdAt.toISOString(),
    definition: {
      title: task.title,
      description: task.description,
      type: task.type,
      skill_target: task.skillTarget,
      entry_point: task.entryPoint,
    },
    state: {
      current: task.state,
      previous: task.previousState,
      changed_at: task.stateChangedAt.toISOString(),
      history: rel.history.map((h) => ({ state: h.state, at: h.at.toISOString() })),
    },
    queue: {
      name: task.queueName as QueueName,
      position: rel.position,
      entered_at: task.queueEnteredAt.toISOString(),
      sla_deadline: iso(task.slaDeadline),
    },
    priority: { score: task.priorityScore, factors: task.priorityFactors },
    execution: {
      started_at: iso(task.startedAt),
      estimated_duration_hours: task.estimatedDurationHours,
      progress_percent: task.progressPercent,
      current_step: task.currentStep,
      assigned_to: task.assignedTo,
    },
    dependencies: {
      blocked_by: rel.blockedBy,
      blocks: rel.blocks,
      parent_task: task.parentTaskId,
      subtasks: rel.subtasks,
    },
    context: {
      client: { name: task.clientName, contact: task.clientContact },
      project: {
        type: task.projectType,
        budget_range: task.projectBudgetRange,
        deadline: task.projectDeadline,
      },
    },
    output: {
      deliverables: jsonArray(task.deliverables),
      notes: jsonArray(task.notes),
      next_actions: jsonArray(task.nextActions),
    },
    metadata: {
      version: task.version,
      last_updated: task.updatedAt.toISOString(),
      updated_by: task.updatedBy,
    },
  };
}

/**
 * Live rank among the queue's waiting (QUEUED) tasks: manual position first (a fractional
 * index, compared byte-wise whatever the database's locale), then score, then entry time.
 * The same ORDER BY as the queue presenter and the dispatcher.
 */
export const WAITING_ORDER_SQL =
  'rank COLLATE "C" ASC NULLS LAST, priority_score DESC, queue_entered_at ASC, id ASC';

const SEED_RELATIONS = {
  history: { select: { state: true, at: true }, orderBy: { id: "asc" } },
  blockedBy: { select: { blockerId: true }, orderBy: { blockerId: "asc" } },
  blocks: { select: { dependentId: true }, orderBy: { dependentId: "asc" } },
  subtasks: { select: { id: true }, orderBy: { id: "asc" } },
} as const;

/** Live positions of the given tasks among their queues' waiting tasks, in one query. */
async function queuePositions(db: Tx | PrismaClient, tasks: Task[]): Promise<Map<string, number>> {
  const waiting = tasks.filter((t) => t.state === "QUEUED");
  if (waiting.length === 0) return new Map();
  const queues = [...new Set(waiting.map((t) => t.queueName))];
  const rows = await db.$queryRawUnsafe<{ id: string; position: number }[]>(
    `SELECT id, position FROM (
       SELECT id, (ROW_NUMBER() OVER (PARTITION BY queue_name ORDER BY ${WAITING_ORDER_SQL}) - 1)::int AS position
       FROM tasks WHERE queue_name = ANY($1::text[]) AND state = 'QUEUED' AND archived_at IS NULL
     ) ranked WHERE id = ANY($2::text[])`,
    queues,
    waiting.map((t) => t.id),
  );
  return new Map(rows.map((r) => [r.id, r.position]));
}

/** Loads tasks with everything the seed format shows, in the order of `taskIds` (missing ones skipped). */
export async function loadSeedTasks(db: Tx | PrismaClient, taskIds: readonly string[]): Promise<SeedTask[]> {
  if (taskIds.length === 0) return [];
  const tasks = await db.task.findMany({ where: { id: { in: [...taskIds] } }, include: SEED_RELATIONS });
  const positions = await queuePositions(db, tasks);
  const byId = new Map(tasks.map((task) => [task.id, task]));
  return taskIds.flatMap((id) => {
    const task = byId.get(id);
    if (!task) return [];
    return [
      toSeedTask(task, {
        history: task.history,
        blockedBy: task.blockedBy.map((d) => d.blockerId),
        blocks: task.blocks.map((d) => d.dependentId),
        subtasks: task.subtasks.map((s) => s.id),
        position: positions.get(task.id) ?? null,
      }),
    ];
  });
}

/** Loads a task with everything the seed format shows. */
export async function loadSeedTask(db: Tx | PrismaClient, taskId: string): Promise<SeedTask | null> {
  return (await loadSeedTasks(db, [taskId]))[0] ?? null;
}
