import type { Prisma, Task } from "../../db/generated/client";
import { type Actor, type EngineContext, SYSTEM_ACTOR, type Tx } from "../context";
import { commitTaskChange, lockTask } from "../state/commit-change";
import { parentReadyToComplete } from "../state/eligibility";
import type { TaskOutput } from "../state/lifecycle";
import { applyTransition } from "../state/state-controller";
import { inTransaction } from "../state/transaction";
import { AWAITING_SUBTASKS } from "./leases";

// parallel-executor: independent tasks and subtasks run concurrently (each is dispatched on its
// own, up to its queue's capacity); a parent completes when its subtasks do.
//
// A parent's life:
// - It is dispatched and claimed like any task: its executor does the parent's own part
//   (coordination, synthesis …).
// - When that executor completes it while some subtask is not COMPLETED, the parent stays
//   IN_PROGRESS, "parked": its output is kept, lease_owner = AWAITING_SUBTASKS, no lease (so it
//   neither expires nor can be claimed again).
// - The parent COMPLETES when its own part is done and every subtask is COMPLETED, whichever
//   comes last, in the same transaction: either its executor completes it with all subtasks
//   done, or the last subtask completes while it is parked. A sweep (completeReadyParents)
//   catches parents whose last subtask was completed by another path (e.g. a human).
// - A subtask the error-handler gives up on (FAILED for good) blocks a running parent:
//   IN_PROGRESS → BLOCKED "Subtask X failed: …" (the subtask's escalation tells a human). Once
//   the subtask is retried and done, unblocking the parent resumes it (still parked when its own
//   part was done) and it completes. A parent not yet started is left alone: it cannot complete
//   while the subtask is not COMPLETED.
//
// Concurrency: whoever completes a subtask locks the parent row BEFORE completing it, so two
// last subtasks completing at once serialise and the second sees the first (no write skew).

/** The parallel-executor acts as the parent's executor when it blocks it (executors may block). */
export const PARALLEL_EXECUTOR_ACTOR: Actor = { id: "task-orchestrator/parallel-executor", role: "executor" };

const jsonArray = (value: unknown): Prisma.InputJsonValue[] =>
  Array.isArray(value) ? (value as Prisma.InputJsonValue[]) : [];

/** The task's output lists with `output` appended (as lifecycle.completeTask does). */
export function appendOutput(task: Task, output: TaskOutput | undefined): Prisma.TaskUncheckedUpdateInput {
  if (!output) return {};
  return {
    deliverables: [...jsonArray(task.deliverables), ...(output.deliverables ?? [])],
    notes: [...jsonArray(task.notes), ...(output.notes ?? [])],
    nextActions: [...jsonArray(task.nextActions), ...(output.next_actions ?? [])],
  };
}

/** Locks the parent row (if any) so the subtask's completion and the parent's check serialise. */
export async function lockParent(tx: Tx, task: Pick<Task, "parentTaskId">): Promise<void> {
  if (!task.parentTaskId) return;
  await tx.$queryRaw`SELECT id FROM tasks WHERE id = ${task.parentTaskId} FOR UPDATE`;
}

export async function pendingSubtasks(tx: Tx, taskId: string): Promise<string[]> {
  const rows = await tx.$queryRaw<{ id: string }[]>`
    SELECT id FROM tasks WHERE parent_task_id = ${taskId} AND state <> 'COMPLETED' ORDER BY id`;
  return rows.map((r) => r.id);
}

export function isParked(task: Task): boolean {
  return (
    task.state === "IN_PROGRESS" && task.leaseOwner === AWAITING_SUBTASKS && task.leaseExpiresAt === null
  );
}

/** The executor finished the parent's own part but subtasks are pending: park it (see above). */
export async function parkParent(
  tx: Tx,
  at: Date,
  task: Task,
  actor: Actor,
  output: TaskOutput | undefined,
  pending: string[],
): Promise<Task> {
  const { task: parked } = await commitTaskChange(tx, task, {
    at,
    actor,
    action: "task.awaiting_subtasks",
    patch: { ...appendOutput(task, output), leaseOwner: AWAITING_SUBTASKS, leaseExpiresAt: null },
    details: { pending_subtasks: pending },
  });
  return parked;
}

/**
 * After a subtask completed (`parentId` = TransitionResult.parentReady): completes the parked
 * parent, then its parked parent, and so on up. Returns the ids completed.
 */
export async function completeParents(tx: Tx, at: Date, parentId: string | null): Promise<string[]> {
  const completed: string[] = [];
  let next = parentId;
  while (next) {
    const parent = await lockTask(tx, next);
    if (!isParked(parent) || (await parentReadyToComplete(tx, parent.id)) === null) break;
    await lockParent(tx, parent);
    const result = await applyTransition(tx, at, parent, "COMPLETED", SYSTEM_ACTOR, {
      reason: "all subtasks completed",
    });
    completed.push(parent.id);
    next = result.parentReady;
  }
  return completed;
}

/** A subtask failed for good: block its running parent. Returns the parent's id when blocked. */
export async function blockParentOfFailedSubtask(
  tx: Tx,
  at: Date,
  subtask: Task,
  error: string,
): Promise<string | null> {
  if (!subtask.parentTaskId) return null;
  const parent = await lockTask(tx, subtask.parentTaskId);
  if (parent.state !== "IN_PROGRESS") return null;
  await applyTransition(tx, at, parent, "BLOCKED", PARALLEL_EXECUTOR_ACTOR, {
    reason: `Subtask ${subtask.id} failed: ${error}`.slice(0, 1_000),
    details: { subtask: subtask.id },
  });
  return parent.id;
}

/**
 * Safety net run by the engine's sweep: parked parents whose subtasks are all COMPLETED (the
 * last one completed by a path that does not know about parents) are completed.
 */
export async function completeReadyParents(ctx: EngineContext, limit = 100): Promise<string[]> {
  return inTransaction(ctx, async (tx, at) => {
    const rows = await tx.$queryRaw<{ id: string }[]>`
      SELECT p.id FROM tasks p
      WHERE p.state = 'IN_PROGRESS' AND p.lease_owner = ${AWAITING_SUBTASKS} AND p.lease_expires_at IS NULL
        AND NOT EXISTS (SELECT 1 FROM tasks s WHERE s.parent_task_id = p.id AND s.state <> 'COMPLETED')
      ORDER BY p.id LIMIT ${limit} FOR UPDATE OF p SKIP LOCKED`;
    const completed: string[] = [];
    for (const { id } of rows) completed.push(...(await completeParents(tx, at, id)));
    return completed;
  });
}
