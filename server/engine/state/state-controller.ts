import { isTaskState, type TaskStateName } from "@/lib/states";
import { allowedTargets, findTransition, roleMayTake } from "@/lib/transitions";
import { firstStep } from "@/lib/workflows";
import type { Prisma, Task } from "../../db/generated/client";
import type { Actor, EngineContext, Tx } from "../context";
import { DomainError, validationError } from "../errors";
import { type DependencyConflict, recordDependencyConflicts } from "../escalation/dependency-conflicts";
import { assertSlotForTransition } from "../queue/capacity-monitor";
import { commitTaskChange, lockForChange } from "./commit-change";
import { parentReadyToComplete, pendingBlockers, releaseDependents } from "./eligibility";
import { inTransaction } from "./transaction";

// state-controller: every transition is validated against lib/transitions.ts, checked for the
// actor's role and the state's guards, then committed through the one door (version, history,
// audit, event) with its side effects, all in the caller's transaction.

export interface TransitionOptions {
  /** The metadata.version the caller's decision was based on; stale → STALE_VERSION. */
  expectedVersion?: number;
  /** Why: required to block and to cancel; kept in history and audit. */
  reason?: string | null;
}

export interface TransitionResult {
  task: Task;
  /** Dependents that became eligible because this task completed. */
  unblocked: string[];
  /** Dependents left waiting on a blocker that can no longer complete (cancelled / failed for good). */
  conflicts: DependencyConflict[];
  /** Parent whose subtasks are now all complete (hook for the parallel-executor), or null. */
  parentReady: string | null;
}

export interface ApplyOptions {
  reason?: string | null;
  /** Extra columns the named command sets with the transition (computed from the locked task). */
  patch?: Prisma.TaskUncheckedUpdateInput | ((task: Task) => Prisma.TaskUncheckedUpdateInput);
  details?: Record<string, Prisma.InputJsonValue>;
  /** For FAILED: the error-handler gave up, dependents get a conflict. */
  final?: boolean;
}

/** States a task waits in before it first starts: leaving them needs every blocker COMPLETED. */
const WAITING_STATES: readonly TaskStateName[] = ["QUEUED", "ON_HOLD", "SCHEDULED"];

function refuseIllegal(task: Task, to: TaskStateName): never {
  const allowed = allowedTargets(task.state);
  throw new DomainError(
    "ILLEGAL_TRANSITION",
    `Task ${task.id} cannot go from ${task.state} to ${to}; allowed from ${task.state}: ${allowed.join(", ") || "none"}`,
    { taskId: task.id, from: task.state, to, allowed },
  );
}

/** Refuses a start (or a schedule) while a blocker is not COMPLETED. */
export async function assertBlockersDone(tx: Tx, task: Task): Promise<void> {
  const waitingOn = await pendingBlockers(tx, task.id);
  if (waitingOn.length > 0) {
    throw new DomainError(
      "CONFLICT",
      `Task ${task.id} waits on ${waitingOn.join(", ")}: its blockers must complete first`,
      { taskId: task.id, waitingOn },
    );
  }
}

async function checkGuards(tx: Tx, task: Task, to: TaskStateName, reason: string | null): Promise<void> {
  if ((to === "BLOCKED" || to === "CANCELLED") && !reason) {
    const verb = to === "BLOCKED" ? "block" : "cancel";
    throw validationError([{ path: "reason", message: `A reason is required to ${verb} a task` }]);
  }
  const leavesWaiting = WAITING_STATES.includes(task.state) && (to === "SCHEDULED" || to === "IN_PROGRESS");
  if (leavesWaiting) await assertBlockersDone(tx, task);
  await assertSlotForTransition(tx, task.queueName, task.state, to);
}

/** The columns a target state implies (docs/engine.md, "State machine"). */
function statePatch(
  task: Task,
  to: TaskStateName,
  at: Date,
  reason: string | null,
): Prisma.TaskUncheckedUpdateInput {
  switch (to) {
    case "IN_PROGRESS": {
      const retry: Prisma.TaskUncheckedUpdateInput =
        task.state === "FAILED" ? { retryCount: { increment: 1 }, nextRetryAt: null } : {};
      if (task.startedAt) return retry;
      return { ...retry, startedAt: at, currentStep: task.currentStep ?? firstStep(task.type) };
    }
    case "COMPLETED":
      return { completedAt: at, progressPercent: 100 };
    case "BLOCKED":
      return { blockerReason: reason, blockedSince: at };
    case "UNBLOCKED":
      return { blockerReason: null, blockedSince: null };
    case "FAILED":
      return reason ? { lastError: reason } : {};
    default:
      return {};
  }
}

/**
 * Takes one transition on a task the caller has locked (and version-checked) in its
 * transaction: table, role, guards, columns, the one door, then side effects — dependents
 * released on COMPLETED, dependency conflicts on CANCELLED (and on a final FAILED).
 */
export async function applyTransition(
  tx: Tx,
  at: Date,
  task: Task,
  to: TaskStateName,
  actor: Actor,
  options: ApplyOptions = {},
): Promise<TransitionResult> {
  const rule = findTransition(task.state, to);
  if (!rule) refuseIllegal(task, to);
  if (!roleMayTake(actor.role, rule)) {
    throw new DomainError(
      "FORBIDDEN",
      `Role ${actor.role} may not take ${task.state} → ${to} (${rule.label}); allowed: ${rule.by.join(", ")}`,
      { taskId: task.id, from: task.state, to, role: actor.role, allowedRoles: [...rule.by] },
    );
  }
  const reason = options.reason?.trim() || null;
  await checkGuards(tx, task, to, reason);
  const extra = typeof options.patch === "function" ? options.patch(task) : options.patch;
  const { task: updated } = await commitTaskChange(tx, task, {
    at,
    actor,
    action: `task.${to.toLowerCase()}`,
    toState: to,
    reason,
    patch: { ...statePatch(task, to, at, reason), ...extra },
    details: options.details,
  });

  const result: TransitionResult = { task: updated, unblocked: [], conflicts: [], parentReady: null };
  if (to === "COMPLETED") {
    result.unblocked = await releaseDependents(tx, at, task.id, actor);
    result.parentReady = await parentReadyToComplete(tx, task.parentTaskId);
  } else if (to === "CANCELLED") {
    result.conflicts = await recordDependencyConflicts(tx, at, updated, "blocker_cancelled", actor, reason);
  } else if (to === "FAILED" && options.final) {
    result.conflicts = await recordDependencyConflicts(tx, at, updated, "blocker_failed", actor, reason);
  }
  return result;
}

/** Locks, version-checks and transitions in one transaction: the body of every transition command. */
export function runTransition(
  ctx: EngineContext,
  taskId: string,
  to: TaskStateName,
  actor: Actor,
  options: TransitionOptions & ApplyOptions,
): Promise<TransitionResult> {
  return inTransaction(ctx, async (tx, at) => {
    const task = await lockForChange(tx, taskId, options.expectedVersion);
    return applyTransition(tx, at, task, to, actor, options);
  });
}

/**
 * The generic command: move a task to `to` if the table, the actor's role and the guards
 * allow it, with the same side effects as the named commands.
 */
export async function transitionTask(
  ctx: EngineContext,
  taskId: string,
  to: string,
  actor: Actor,
  options: TransitionOptions = {},
): Promise<TransitionResult> {
  if (!isTaskState(to)) throw validationError([{ path: "to", message: `Unknown state ${to}` }]);
  return runTransition(ctx, taskId, to, actor, options);
}
