import type { SeedTask } from "@/lib/seed-format";
import type { Task } from "../db/generated/client";
import type { EngineContext } from "../engine/context";
import { loadSeedTask, loadSeedTasks } from "../engine/format/seed-format";
import type { TransitionResult } from "../engine/state/state-controller";

/** A command's answer: the task as it is after the change, in the seed format. */
export async function taskResponse(ctx: EngineContext, task: Pick<Task, "id">): Promise<{ task: SeedTask }> {
  const seed = await loadSeedTask(ctx.prisma, task.id);
  if (!seed) throw new Error(`task ${task.id} vanished after a committed change`);
  return { task: seed };
}

export async function transitionResponse(ctx: EngineContext, result: TransitionResult) {
  return {
    ...(await taskResponse(ctx, result.task)),
    unblocked: result.unblocked,
    conflicts: result.conflicts.map((c) => ({
      task_id: c.dependentId,
      blocker_id: c.blockerId,
      reason: c.kind,
      escalation_id: c.escalationId,
    })),
  };
}

export async function tasksResponse(
  ctx: EngineContext,
  tasks: Pick<Task, "id">[],
): Promise<{ tasks: SeedTask[] }> {
  return {
    tasks: await loadSeedTasks(
      ctx.prisma,
      tasks.map((t) => t.id),
    ),
  };
}
