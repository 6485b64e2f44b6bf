import { isTerminal } from "@/lib/states";
import type { Task } from "../../db/generated/client";
import type { Actor, EngineContext } from "../context";
import { DomainError, validationError } from "../errors";
import { commitTaskChange, lockForChange } from "../state/commit-change";
import { inTransaction } from "../state/transaction";
import { assertFreeSlot, holdsSlot } from "./capacity-monitor";
import { slaDeadlineFor } from "./sla";

export interface MoveOptions {
  queue: string;
  expectedVersion?: number;
  reason?: string | null;
  /** Required when moving to the `scheduled` queue: the planned date (also its SLA deadline). */
  scheduledFor?: Date | string;
}

/**
 * queue-manager: moves a task to another queue. Re-entry resets the SLA clock (entered_at =
 * now, deadline = now + the new queue's SLA) and drops the manual rank (ranks are per queue).
 * Refused for a running task and a finished one. A SCHEDULED task takes its slot with it: the
 * new queue must have one free (capacity-monitor.ts).
 */
export function moveTask(
  ctx: EngineContext,
  taskId: string,
  actor: Actor,
  options: MoveOptions,
): Promise<Task> {
  return inTransaction(ctx, async (tx, at) => {
    const queue = await tx.queue.findUnique({ where: { name: options.queue } });
    if (!queue) throw validationError([{ path: "queue", message: `Unknown queue ${options.queue}` }]);
    const scheduledFor = options.scheduledFor ? new Date(options.scheduledFor) : null;
    if (scheduledFor && Number.isNaN(scheduledFor.getTime())) {
      throw validationError([{ path: "scheduled_for", message: "Not a date" }]);
    }
    if (queue.name === "scheduled" && !scheduledFor) {
      throw validationError([{ path: "scheduled_for", message: "Required for the scheduled queue" }]);
    }
    const task = await lockForChange(tx, taskId, options.expectedVersion);
    if (isTerminal(task.state) || task.state === "IN_PROGRESS") {
      throw new DomainError("CONFLICT", `Task ${taskId} is ${task.state}: it cannot change queue`, {
        taskId,
        state: task.state,
      });
    }
    if (task.queueName === queue.name) {
      throw new DomainError("CONFLICT", `Task ${taskId} is already in queue ${queue.name}`, { taskId });
    }
    if (holdsSlot(task.state)) await assertFreeSlot(tx, queue.name);
    const slaDeadline = slaDeadlineFor(queue, at, scheduledFor);
    const { task: updated } = await commitTaskChange(tx, task, {
      at,
      actor,
      action: "task.moved",
      reason: options.reason?.trim() || null,
      patch: {
        queueName: queue.name,
        queueEnteredAt: at,
        slaDeadline,
        rank: null,
        scheduledFor: queue.name === "scheduled" ? scheduledFor : null,
      },
      details: { from: task.queueName, to: queue.name, sla_deadline: slaDeadline?.toISOString() ?? null },
    });
    return updated;
  });
}
