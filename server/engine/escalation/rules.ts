import type { Prisma, Task } from "../../db/generated/client";
import { type Actor, type EngineContext, SYSTEM_ACTOR, type Tx } from "../context";
import { type DomainError, isDomainError, notFound } from "../errors";
import { inTransaction } from "../state/transaction";
import { SUGGESTED_ACTIONS } from "./policy";
import { type RaisedEscalation, raiseEscalation } from "./raise";

// The five automatic escalation conditions of SPEC §7. Two are found by the sweeps (time
// passing: blocked > 24 h here, the SLA in sla-rules.ts); the others are raised by the code that meets them, in
// its own transaction: the error-handler when it gives up, dependency-conflicts.ts when a
// blocker can no longer complete, and automation whose dependency edit made a cycle.

/** A BLOCKED task is escalated once it has been blocked this long (seed: "Tâche bloquée > 24h"). */
export const BLOCKED_ESCALATION_MS = 24 * 3_600_000;

// --- blocked > 24 h --------------------------------------------------------------------------

export type BlockedTask = Pick<Task, "id" | "queueName" | "state" | "blockerReason" | "blockedSince">;

/**
 * Blocked for 24 h or more: reason "blocked_over_24h", context exactly as the seed's example
 * ({current_state, blocker, blocked_since}). `blocked_since` identifies the blocking episode:
 * the sweep raises once per episode, even after the escalation is resolved.
 */
export function escalateBlockedTask(
  tx: Tx,
  at: Date,
  task: BlockedTask,
  actor: Actor,
): Promise<RaisedEscalation> {
  return raiseEscalation(
    tx,
    at,
    {
      task,
      reason: "blocked_over_24h",
      context: {
        current_state: task.state,
        blocker: task.blockerReason ?? null,
        blocked_since: task.blockedSince?.toISOString() ?? null,
      },
    },
    actor,
  );
}

// --- 3 retries failed, unrecoverable error (called by execution/error-handler) -----------------

type FailedTask = Pick<Task, "id" | "queueName" | "state" | "retryCount" | "skillTarget" | "leaseOwner">;

function failureContext(task: FailedTask, error: string): Prisma.InputJsonObject {
  return {
    current_state: task.state,
    last_error: error,
    retry_count: task.retryCount,
    queue: task.queueName,
    skill_target: task.skillTarget,
    ...(task.leaseOwner ? { last_executor: task.leaseOwner } : {}),
  };
}

/** The task is FAILED for good: one escalation to the tech lead, with the last error as context. */
function escalateFailure(reason: "retries_exhausted" | "unrecoverable_error") {
  return (
    tx: Tx,
    at: Date,
    task: FailedTask,
    error: string,
    actor: Actor = SYSTEM_ACTOR,
  ): Promise<RaisedEscalation> =>
    raiseEscalation(tx, at, { task, reason, context: failureContext(task, error) }, actor);
}

/** The 3rd retry failed too: "retries_exhausted". */
export const escalateRetriesExhausted = escalateFailure("retries_exhausted");

/** An error no retry can fix: "unrecoverable_error". */
export const escalateUnrecoverable = escalateFailure("unrecoverable_error");

// --- dependency conflicts ------------------------------------------------------------------

export interface DependencyCycle {
  /** The task that was to wait (`dependent blocked_by blocker`). */
  dependent: Pick<Task, "id" | "queueName" | "state">;
  blockerId: string;
  /** The cycle the edge would have closed, as addDependency names it (`details.cycle`). */
  cycle: string[];
}

/**
 * Automation (a template, an intake, a workflow) tried to add a dependency that would make a
 * cycle, and addDependency refused it: the dependent cannot be ordered as asked, a person must
 * decide. Reason "dependency_conflict" (one open per task, like a cancelled or failed blocker),
 * context.conflict = "cycle". People editing dependencies get the refusal directly instead.
 */
export function escalateDependencyCycle(
  tx: Tx,
  at: Date,
  { dependent, blockerId, cycle }: DependencyCycle,
  actor: Actor = SYSTEM_ACTOR,
): Promise<RaisedEscalation> {
  return raiseEscalation(
    tx,
    at,
    {
      task: dependent,
      reason: "dependency_conflict",
      context: { current_state: dependent.state, blocker: blockerId, conflict: "cycle", cycle },
      suggestedAction: SUGGESTED_ACTIONS.cycle,
    },
    actor,
  );
}

/**
 * For automation that caught addDependency's refusal: escalates it in a new transaction when it
 * is a cycle (DEPENDENCY_CONFLICT with `details.cycle`), else returns null.
 */
export async function escalateDependencyCycleError(
  ctx: EngineContext,
  error: unknown,
  actor: Actor = SYSTEM_ACTOR,
): Promise<RaisedEscalation | null> {
  if (!isDomainError(error) || error.code !== "DEPENDENCY_CONFLICT") return null;
  const { taskId, blocker, cycle } = (error as DomainError).details;
  if (typeof taskId !== "string" || !Array.isArray(cycle)) return null;
  return inTransaction(ctx, async (tx, at) => {
    const dependent = await tx.task.findUnique({
      where: { id: taskId },
      select: { id: true, queueName: true, state: true },
    });
    if (!dependent) throw notFound("Task", taskId);
    return escalateDependencyCycle(
      tx,
      at,
      { dependent, blockerId: typeof blocker === "string" ? blocker : taskId, cycle: cycle.map(String) },
      actor,
    );
  });
}
