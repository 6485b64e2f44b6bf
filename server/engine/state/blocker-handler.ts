import type { Actor, EngineContext } from "../context";
import { runTransition, type TransitionOptions, type TransitionResult } from "./state-controller";

// blocker-handler: BLOCKED / UNBLOCKED with a blocker reason, ON_HOLD and release. (Waiting on
// dependencies is not a state: such a task stays QUEUED and is not eligible, see eligibility.ts.)

/** IN_PROGRESS → BLOCKED; sets blocker_reason and blocked_since (the 24 h escalation counts from it). */
export function blockTask(
  ctx: EngineContext,
  taskId: string,
  actor: Actor,
  options: TransitionOptions & { reason: string },
): Promise<TransitionResult> {
  return runTransition(ctx, taskId, "BLOCKED", actor, options);
}

/** BLOCKED → UNBLOCKED; clears blocker_reason and blocked_since. resumeTask then goes back to work. */
export function unblockTask(
  ctx: EngineContext,
  taskId: string,
  actor: Actor,
  options: TransitionOptions = {},
): Promise<TransitionResult> {
  return runTransition(ctx, taskId, "UNBLOCKED", actor, options);
}

/** UNBLOCKED → IN_PROGRESS (subject to the queue's capacity). */
export function resumeTask(
  ctx: EngineContext,
  taskId: string,
  actor: Actor,
  options: TransitionOptions = {},
): Promise<TransitionResult> {
  return runTransition(ctx, taskId, "IN_PROGRESS", actor, options);
}

/** QUEUED → ON_HOLD: the task keeps its queue, entry time and SLA deadline. */
export function holdTask(
  ctx: EngineContext,
  taskId: string,
  actor: Actor,
  options: TransitionOptions = {},
): Promise<TransitionResult> {
  return runTransition(ctx, taskId, "ON_HOLD", actor, options);
}

/** ON_HOLD → QUEUED: back to waiting at its previous place (rank, score and entry time unchanged). */
export function releaseTask(
  ctx: EngineContext,
  taskId: string,
  actor: Actor,
  options: TransitionOptions = {},
): Promise<TransitionResult> {
  return runTransition(ctx, taskId, "QUEUED", actor, options);
}
