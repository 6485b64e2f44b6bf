import type { Prisma, Task } from "../../db/generated/client";
import type { Actor, EngineContext } from "../context";
import { runTransition, type TransitionOptions, type TransitionResult } from "./state-controller";

// The named lifecycle commands the dispatcher and the executors call. Each is one transition
// through state-controller, so the table, roles, guards and side effects always apply.

/** QUEUED → SCHEDULED: the dispatcher gives an eligible task a slot (blockers must be COMPLETED). */
export function scheduleTask(
  ctx: EngineContext,
  taskId: string,
  actor: Actor,
  options: TransitionOptions = {},
): Promise<TransitionResult> {
  return runTransition(ctx, taskId, "SCHEDULED", actor, options);
}

/**
 * → IN_PROGRESS from SCHEDULED (start), ON_HOLD (start now), FAILED (retry) or UNBLOCKED
 * (resume); checks the queue's capacity. The first start sets started_at and the workflow's
 * first step; a retry counts in retry_count.
 */
export function startTask(
  ctx: EngineContext,
  taskId: string,
  actor: Actor,
  options: TransitionOptions = {},
): Promise<TransitionResult> {
  return runTransition(ctx, taskId, "IN_PROGRESS", actor, options);
}

/** What an executor hands back; appended to the task's output lists. */
export interface TaskOutput {
  deliverables?: Prisma.InputJsonValue[];
  notes?: Prisma.InputJsonValue[];
  next_actions?: Prisma.InputJsonValue[];
}

const jsonArray = (value: unknown): Prisma.InputJsonValue[] =>
  Array.isArray(value) ? (value as Prisma.InputJsonValue[]) : [];

function appendOutput(task: Task, output: TaskOutput): Prisma.TaskUncheckedUpdateInput {
  return {
    deliverables: [...jsonArray(task.deliverables), ...(output.deliverables ?? [])],
    notes: [...jsonArray(task.notes), ...(output.notes ?? [])],
    nextActions: [...jsonArray(task.nextActions), ...(output.next_actions ?? [])],
  };
}

/**
 * IN_PROGRESS → COMPLETED: sets completed_at and progress 100, appends the output, then makes
 * every dependent whose blockers are now all complete eligible (`task.unblocked_by_dependency`),
 * and reports a parent whose subtasks are all complete (`parentReady`).
 */
export function completeTask(
  ctx: EngineContext,
  taskId: string,
  actor: Actor,
  options: TransitionOptions & { output?: TaskOutput } = {},
): Promise<TransitionResult> {
  const { output, ...rest } = options;
  return runTransition(ctx, taskId, "COMPLETED", actor, {
    ...rest,
    patch: output ? (task) => appendOutput(task, output) : undefined,
  });
}

/**
 * IN_PROGRESS → FAILED with the error (kept in last_error). `final` when the error-handler
 * gives up (3 retries failed, unrecoverable): each live dependent then has a dependency conflict.
 */
export function failTask(
  ctx: EngineContext,
  taskId: string,
  actor: Actor,
  options: TransitionOptions & { error?: string; final?: boolean } = {},
): Promise<TransitionResult> {
  const { error, final, ...rest } = options;
  return runTransition(ctx, taskId, "FAILED", actor, { ...rest, reason: error ?? rest.reason, final });
}
