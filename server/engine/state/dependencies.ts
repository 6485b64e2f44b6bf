import { isTerminal } from "@/lib/states";
import type { Task } from "../../db/generated/client";
import type { Actor, EngineContext, Tx } from "../context";
import { DomainError, notFound } from "../errors";
import { commitTaskChange, lockForChange, lockTask } from "./commit-change";
import { pendingBlockers } from "./eligibility";
import { inTransaction } from "./transaction";

// Dependencies: blocked_by / blocks (task_dependencies: the blocker must complete before the
// dependent may start) and parent / subtasks (tasks.parent_task_id). The graph is never loaded:
// cycle checks are recursive CTEs, and edits serialise on one advisory lock so two concurrent
// edges can never close a cycle together.

export interface DependencyOptions {
  /** The dependent's (or, for setParentTask, the task's) version the edit was based on. */
  expectedVersion?: number;
}

async function lockGraph(tx: Tx): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('task-dependencies'))`;
}

/** Locks tasks in id order (one order for everyone, so two commands never wait on each other). */
async function lockInOrder(tx: Tx, ids: string[]): Promise<Map<string, Task>> {
  const locked = new Map<string, Task>();
  for (const id of [...new Set(ids)].sort()) locked.set(id, await lockTask(tx, id));
  return locked;
}

/**
 * A path `from → … → to` following "blocks" edges (blocker → dependent), or null. Adding
 * "`dependent` blocked_by `blocker`" closes a cycle exactly when such a path runs from the
 * dependent to the blocker.
 */
export async function findDependencyPath(tx: Tx, from: string, to: string): Promise<string[] | null> {
  const reachable = await tx.$queryRaw<{ hit: number }[]>`
    WITH RECURSIVE reach(id) AS (
      SELECT dependent_id FROM task_dependencies WHERE blocker_id = ${from}
      UNION
      SELECT d.dependent_id FROM task_dependencies d JOIN reach r ON d.blocker_id = r.id
    )
    SELECT 1 AS hit FROM reach WHERE id = ${to} LIMIT 1`;
  if (reachable.length === 0) return null;
  // Only on refusal: the reachable edges (not the graph) to name the cycle in the message.
  const edges = await tx.$queryRaw<{ id: string; via: string }[]>`
    WITH RECURSIVE reach(id, via) AS (
      SELECT dependent_id, blocker_id FROM task_dependencies WHERE blocker_id = ${from}
      UNION
      SELECT d.dependent_id, d.blocker_id FROM task_dependencies d JOIN reach r ON d.blocker_id = r.id
    )
    SELECT id, via FROM reach`;
  const cameFrom = new Map<string, string>();
  for (const e of edges) if (!cameFrom.has(e.id)) cameFrom.set(e.id, e.via);
  const path = [to];
  for (let at = to; at !== from && path.length <= edges.length + 1; ) {
    at = cameFrom.get(at) ?? from;
    path.unshift(at);
  }
  return path;
}

function refuseSelf(taskId: string, what: string): never {
  throw new DomainError("DEPENDENCY_CONFLICT", `Task ${taskId} cannot ${what} itself`, {
    taskId,
    cycle: [taskId],
  });
}

/**
 * Makes `dependentId` wait for `blockerId`. Refused: a self-dependency or a cycle
 * (DEPENDENCY_CONFLICT with `details.cycle`), a cancelled blocker (DEPENDENCY_CONFLICT), a
 * finished dependent (CONFLICT). Adding an existing edge changes nothing. Both tasks get a
 * new version (their seed-format `dependencies` changed).
 */
export async function addDependency(
  ctx: EngineContext,
  dependentId: string,
  blockerId: string,
  actor: Actor,
  options: DependencyOptions = {},
): Promise<Task> {
  if (dependentId === blockerId) refuseSelf(dependentId, "depend on");
  return inTransaction(ctx, async (tx, at) => {
    await lockGraph(tx);
    const locked = await lockInOrder(tx, [dependentId, blockerId]);
    const dependent = await lockForChange(tx, dependentId, options.expectedVersion);
    const blocker = locked.get(blockerId) as Task;
    if (isTerminal(dependent.state)) {
      throw new DomainError(
        "CONFLICT",
        `Task ${dependentId} is ${dependent.state}: its dependencies are final`,
        {
          taskId: dependentId,
        },
      );
    }
    if (blocker.state === "CANCELLED") {
      throw new DomainError(
        "DEPENDENCY_CONFLICT",
        `Task ${blockerId} is cancelled: nothing can wait for it`,
        {
          taskId: dependentId,
          blocker: blockerId,
        },
      );
    }
    const existing = await tx.taskDependency.findUnique({
      where: { blockerId_dependentId: { blockerId, dependentId } },
    });
    if (existing) return dependent;
    const path = await findDependencyPath(tx, dependentId, blockerId);
    if (path) {
      const cycle = [blockerId, ...path];
      throw new DomainError(
        "DEPENDENCY_CONFLICT",
        `${dependentId} blocked_by ${blockerId} would make a cycle: ${cycle.join(" → ")}`,
        { taskId: dependentId, blocker: blockerId, cycle },
      );
    }
    await tx.taskDependency.create({ data: { blockerId, dependentId, createdAt: at } });
    await commitTaskChange(tx, blocker, {
      at,
      actor,
      action: "task.dependency_added",
      details: { blocks: dependentId },
    });
    const { task } = await commitTaskChange(tx, dependent, {
      at,
      actor,
      action: "task.dependency_added",
      details: { blocked_by: blockerId },
    });
    return task;
  });
}

/**
 * Removes "`dependentId` blocked_by `blockerId`" (NOT_FOUND when absent). When it was the last
 * unfinished blocker, the dependent becomes eligible (`details.eligible` in the audit row).
 */
export async function removeDependency(
  ctx: EngineContext,
  dependentId: string,
  blockerId: string,
  actor: Actor,
  options: DependencyOptions = {},
): Promise<Task> {
  return inTransaction(ctx, async (tx, at) => {
    await lockGraph(tx);
    const locked = await lockInOrder(tx, [dependentId, blockerId]);
    const dependent = await lockForChange(tx, dependentId, options.expectedVersion);
    const { count } = await tx.taskDependency.deleteMany({ where: { blockerId, dependentId } });
    if (count === 0) throw notFound("Dependency", `${dependentId} blocked_by ${blockerId}`);
    await commitTaskChange(tx, locked.get(blockerId) as Task, {
      at,
      actor,
      action: "task.dependency_removed",
      details: { blocks: dependentId },
    });
    const eligible = (await pendingBlockers(tx, dependentId)).length === 0;
    const { task } = await commitTaskChange(tx, dependent, {
      at,
      actor,
      action: "task.dependency_removed",
      details: { blocked_by: blockerId, eligible },
    });
    return task;
  });
}

/**
 * Makes `taskId` a subtask of `parentId` (or detaches it with null). Refused: itself, or a
 * parent that is one of its own descendants (DEPENDENCY_CONFLICT); a finished parent (CONFLICT).
 */
export async function setParentTask(
  ctx: EngineContext,
  taskId: string,
  parentId: string | null,
  actor: Actor,
  options: DependencyOptions = {},
): Promise<Task> {
  if (parentId === taskId) refuseSelf(taskId, "be the parent of");
  return inTransaction(ctx, async (tx, at) => {
    await lockGraph(tx);
    const current = await lockTask(tx, taskId);
    const ids = [taskId, parentId, current.parentTaskId].filter((id): id is string => id !== null);
    const locked = await lockInOrder(tx, ids);
    const task = await lockForChange(tx, taskId, options.expectedVersion);
    if (task.parentTaskId === parentId) return task;
    if (parentId !== null) {
      const parent = locked.get(parentId) as Task;
      if (isTerminal(parent.state)) {
        throw new DomainError("CONFLICT", `Task ${parentId} is ${parent.state}: it takes no new subtasks`, {
          taskId: parentId,
        });
      }
      const loop = await tx.$queryRaw<{ id: string }[]>`
        WITH RECURSIVE up(id, parent) AS (
          SELECT id, parent_task_id FROM tasks WHERE id = ${parentId}
          UNION
          SELECT t.id, t.parent_task_id FROM tasks t JOIN up ON t.id = up.parent
        )
        SELECT id FROM up WHERE id = ${taskId} LIMIT 1`;
      if (loop.length > 0) {
        throw new DomainError(
          "DEPENDENCY_CONFLICT",
          `Task ${parentId} is a subtask of ${taskId}: it cannot be its parent`,
          { taskId, parent: parentId },
        );
      }
    }
    if (task.parentTaskId) {
      await commitTaskChange(tx, locked.get(task.parentTaskId) as Task, {
        at,
        actor,
        action: "task.subtask_removed",
        details: { subtask: taskId },
      });
    }
    if (parentId) {
      await commitTaskChange(tx, locked.get(parentId) as Task, {
        at,
        actor,
        action: "task.subtask_added",
        details: { subtask: taskId },
      });
    }
    const { task: updated } = await commitTaskChange(tx, task, {
      at,
      actor,
      action: "task.parent_changed",
      patch: { parentTaskId: parentId },
      details: { from: task.parentTaskId, to: parentId },
    });
    return updated;
  });
}
