import type { UpdateTaskInput } from "@/lib/schemas/task-input";
import type { Prisma, Task } from "../../db/generated/client";
import type { Actor, EngineContext } from "../context";
import { DomainError } from "../errors";
import { commitTaskChange, lockForChange } from "./commit-change";
import { inTransaction } from "./transaction";

interface FieldChange {
  /** Seed-format path, e.g. `context.client.name`. */
  path: string;
  column: keyof Task;
  value: unknown;
}

/** The writable definition / execution / context fields the input sets (undefined = untouched). */
function requestedChanges(input: UpdateTaskInput): FieldChange[] {
  const d = input.definition;
  const e = input.execution;
  const client = input.context?.client;
  const project = input.context?.project;
  const entries: [string, keyof Task, unknown][] = [
    ["definition.title", "title", d?.title],
    ["definition.description", "description", d?.description],
    ["definition.type", "type", d?.type],
    ["definition.skill_target", "skillTarget", d?.skill_target],
    ["definition.entry_point", "entryPoint", d?.entry_point],
    ["execution.estimated_duration_hours", "estimatedDurationHours", e?.estimated_duration_hours],
    ["execution.assigned_to", "assignedTo", e?.assigned_to],
    ["context.client.name", "clientName", client?.name],
    ["context.client.contact", "clientContact", client?.contact],
    ["context.project.type", "projectType", project?.type],
    ["context.project.budget_range", "projectBudgetRange", project?.budget_range],
    ["context.project.deadline", "projectDeadline", project?.deadline],
  ];
  return entries
    .filter(([, , value]) => value !== undefined)
    .map(([path, column, value]) => ({ path, column, value }));
}

/**
 * PATCH of definition / context / execution fields (lib/schemas/task-input.ts `updateTaskInput`),
 * based on `expected_version`. Only fields that really change are written; nothing changing
 * leaves the task (and its version) as it is. The type (hence the workflow) is fixed once the
 * task has started.
 */
export function updateTask(
  ctx: EngineContext,
  taskId: string,
  input: UpdateTaskInput,
  actor: Actor,
): Promise<Task> {
  return inTransaction(ctx, async (tx, at) => {
    const task = await lockForChange(tx, taskId, input.expected_version);
    const patch: Record<string, unknown> = {};
    const changed: string[] = [];
    for (const { path, column, value } of requestedChanges(input)) {
      if (task[column] === value) continue;
      patch[column] = value;
      changed.push(path);
    }
    if (changed.length === 0) return task;
    if (patch.type !== undefined && task.startedAt) {
      throw new DomainError("CONFLICT", `Task ${taskId} has started: its type (and workflow) is fixed`, {
        taskId,
        fields: [{ path: "definition.type", message: "Fixed once the task has started" }],
      });
    }
    const { task: updated } = await commitTaskChange(tx, task, {
      at,
      actor,
      action: "task.updated",
      patch: patch as Prisma.TaskUncheckedUpdateInput,
      details: { fields: changed },
    });
    return updated;
  });
}
