// Shared by the escalation tests (not used at run time).
import type { QueueName } from "@/lib/queues";
import type { Task } from "../../db/generated/client";
import type { EngineContext } from "../context";
import { blockTask } from "../state/blocker-handler";
import { failTask, scheduleTask, startTask } from "../state/lifecycle";
import { EXECUTOR, MANAGER, newTask, SYSTEM } from "../state/test-support";
import { inTransaction } from "../state/transaction";
import { ESCALATION_ACTOR, raiseEscalation } from "./raise";

/** Empties the task and escalation tables, so sweeps and counts see only the test's own rows. */
export async function resetTables(ctx: EngineContext): Promise<void> {
  await ctx.prisma.$executeRawUnsafe(
    "TRUNCATE tasks, task_dependencies, task_state_history, escalations, audit_log, events RESTART IDENTITY CASCADE",
  );
}

export async function runningTask(ctx: EngineContext, queue: QueueName = "normal"): Promise<Task> {
  const task = await newTask(ctx, { queue: { name: queue } });
  await scheduleTask(ctx, task.id, SYSTEM);
  return (await startTask(ctx, task.id, EXECUTOR)).task;
}

export async function blockedTask(
  ctx: EngineContext,
  options: { queue?: QueueName; reason?: string } = {},
): Promise<Task> {
  const task = await runningTask(ctx, options.queue);
  const reason = options.reason ?? "Attente validation client";
  return (await blockTask(ctx, task.id, MANAGER, { reason })).task;
}

/** A task the error-handler gave up on: FAILED for good. */
export async function failedTask(ctx: EngineContext, queue: QueueName = "normal"): Promise<Task> {
  const task = await runningTask(ctx, queue);
  return (await failTask(ctx, task.id, SYSTEM, { error: "Executor crashed", final: true })).task;
}

export const escalationsOf = (ctx: EngineContext, taskId: string, reason?: string) =>
  ctx.prisma.escalation.findMany({
    where: { taskId, ...(reason ? { reason } : {}) },
    orderBy: { createdAt: "asc" },
  });

/**
 * An open escalation that stands until a person decides (a cycle conflict: no auto-resolution
 * gets in the way), on a new task of `queue`.
 */
export async function standingEscalation(ctx: EngineContext, queue: QueueName = "normal") {
  const task = await newTask(ctx, { queue: { name: queue } });
  const { escalation } = await inTransaction(ctx, (tx, at) =>
    raiseEscalation(
      tx,
      at,
      { task, reason: "dependency_conflict", context: { conflict: "cycle" } },
      ESCALATION_ACTOR,
    ),
  );
  return escalation;
}
