import { normalizeFactors, queueForScore, scoreFromFactors } from "@/lib/priority";
import type { CreateTaskInput } from "@/lib/schemas/task-input";
import type { Task } from "../../db/generated/client";
import type { Actor, EngineContext, Tx } from "../context";
import { type FieldError, validationError } from "../errors";
import { commitTaskChange } from "../state/commit-change";
import { allocateTaskId } from "../state/task-ids";
import { inTransaction } from "../state/transaction";
import { writeAudit } from "../tracking/audit";
import { slaDeadlineFor } from "./sla";

interface ExistingTask {
  id: string;
  state: string;
}

/** Locks the referenced tasks (so none is cancelled under us) and reports each bad reference at its field path. */
async function checkReferences(tx: Tx, input: CreateTaskInput): Promise<void> {
  const blockedBy = input.dependencies?.blocked_by ?? [];
  const parent = input.dependencies?.parent_task ?? null;
  const ids = [...new Set([...blockedBy, ...(parent ? [parent] : [])])].sort();
  if (ids.length === 0) return;
  const rows = await tx.$queryRaw<ExistingTask[]>`
    SELECT id, state::text AS state FROM tasks WHERE id = ANY(${ids}::text[]) ORDER BY id FOR UPDATE`;
  const found = new Map(rows.map((r) => [r.id, r]));
  const fields: FieldError[] = [];
  blockedBy.forEach((id, n) => {
    const path = `dependencies.blocked_by.${n}`;
    const row = found.get(id);
    if (!row) fields.push({ path, message: `Task ${id} does not exist` });
    else if (row.state === "CANCELLED")
      fields.push({ path, message: `Task ${id} is cancelled: nothing can wait for it` });
  });
  if (parent) {
    const row = found.get(parent);
    const path = "dependencies.parent_task";
    if (!row) fields.push({ path, message: `Task ${parent} does not exist` });
    else if (row.state === "COMPLETED" || row.state === "CANCELLED") {
      fields.push({ path, message: `Task ${parent} is ${row.state}: it takes no new subtasks` });
    }
  }
  if (fields.length > 0) throw validationError(fields);
}

/** Queue and priority (docs/engine.md): an explicit score wins, else the factors' formula; no queue name → from the score. */
function placement(input: CreateTaskInput, now: Date) {
  const given = input.priority?.factors ?? [];
  const explicit = input.priority?.score;
  const factors =
    explicit === undefined ? normalizeFactors(given, input.context?.project?.deadline, now) : given;
  const score = explicit ?? scoreFromFactors(factors);
  const scheduledFor = input.queue?.scheduled_for ? new Date(input.queue.scheduled_for) : null;
  const queueName = input.queue?.name ?? (scheduledFor ? "scheduled" : queueForScore(score));
  return { factors, score, queueName, scheduledFor };
}

/**
 * queue-manager: creates a task (CREATED), puts it in its queue and moves it to QUEUED, links
 * its blockers and parent — inside the caller's transaction. Blockers and the parent get a new
 * version too (their `blocks` / `subtasks` changed).
 */
export async function createTaskInTx(tx: Tx, now: Date, input: CreateTaskInput, actor: Actor): Promise<Task> {
  const { factors, score, queueName, scheduledFor } = placement(input, now);
  const queue = await tx.queue.findUnique({ where: { name: queueName } });
  if (!queue) throw validationError([{ path: "queue.name", message: `Unknown queue ${queueName}` }]);
  if (queueName === "scheduled" && !scheduledFor) {
    throw validationError([{ path: "queue.scheduled_for", message: "Required for the scheduled queue" }]);
  }
  await checkReferences(tx, input);

  const id = await allocateTaskId(tx, now);
  const parentTaskId = input.dependencies?.parent_task ?? null;
  const created = await tx.task.create({
    data: {
      id,
      intakeId: input.intake_id ?? null,
      createdAt: now,
      title: input.definition.title,
      description: input.definition.description ?? "",
      type: input.definition.type ?? "generic",
      skillTarget: input.definition.skill_target ?? "",
      entryPoint: input.definition.entry_point ?? "",
      state: "CREATED",
      stateChangedAt: now,
      queueName,
      queueEnteredAt: now,
      slaDeadline: slaDeadlineFor(queue, now, scheduledFor),
      scheduledFor: queueName === "scheduled" ? scheduledFor : null,
      priorityScore: score,
      priorityFactors: factors,
      estimatedDurationHours: input.execution?.estimated_duration_hours ?? null,
      assignedTo: input.execution?.assigned_to ?? null,
      parentTaskId,
      clientName: input.context?.client?.name ?? null,
      clientContact: input.context?.client?.contact ?? null,
      projectType: input.context?.project?.type ?? null,
      projectBudgetRange: input.context?.project?.budget_range ?? null,
      projectDeadline: input.context?.project?.deadline ?? null,
      version: 1,
      updatedAt: now,
      updatedBy: actor.id,
      history: { create: { state: "CREATED", at: now, actor: actor.id, version: 1 } },
    },
  });
  await writeAudit(tx, { at: now, actor, action: "task.created", taskId: id, toState: "CREATED" });

  const blockedBy = [...new Set(input.dependencies?.blocked_by ?? [])];
  if (blockedBy.length > 0) {
    await tx.taskDependency.createMany({
      data: blockedBy.map((blockerId) => ({ blockerId, dependentId: id, createdAt: now })),
    });
  }
  for (const blockerId of blockedBy.sort()) {
    const blocker = await tx.task.findUniqueOrThrow({ where: { id: blockerId } });
    await commitTaskChange(tx, blocker, {
      at: now,
      actor,
      action: "task.dependency_added",
      details: { blocks: id },
    });
  }
  if (parentTaskId) {
    const parent = await tx.task.findUniqueOrThrow({ where: { id: parentTaskId } });
    await commitTaskChange(tx, parent, {
      at: now,
      actor,
      action: "task.subtask_added",
      details: { subtask: id },
    });
  }

  const { task } = await commitTaskChange(tx, created, {
    at: now,
    actor,
    action: "task.queued",
    toState: "QUEUED",
    details: { queue: queueName, score, factors },
  });
  return task;
}

/** Creates one task in its own transaction (see createTaskInTx). */
export function createTask(ctx: EngineContext, input: CreateTaskInput, actor: Actor): Promise<Task> {
  return inTransaction(ctx, (tx, now) => createTaskInTx(tx, now, input, actor));
}
