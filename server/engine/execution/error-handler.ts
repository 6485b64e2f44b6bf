import type { Task } from "../../db/generated/client";
import type { Actor, Tx } from "../context";
import { applyTransition, type TransitionResult } from "../state/state-controller";
import { type GiveUpReason, recordGiveUp } from "./give-up";
import { blockParentOfFailedSubtask } from "./parallel-executor";
import { backoffMs, DEFAULT_RETRY_POLICY, type Random, type RetryPolicy, shouldGiveUp } from "./retry-policy";

// error-handler, part 2: what a failure of running work does. Called inside the transaction
// that holds the task's row lock, for an executor's failure (worker-protocol.failWork) and for
// a lease that ran out (leases sweep).
//
// - Recoverable, retries left: IN_PROGRESS → FAILED with last_error and next_retry_at = now +
//   backoff (retry-policy.ts). The dispatcher retries it when due and its queue has a free slot:
//   FAILED → IN_PROGRESS (the table's "retry", retry_count + 1) with no lease, so any executor
//   of the skill claims it (worker-protocol.claimTasks).
// - Unrecoverable, or the 3rd retry failed too: IN_PROGRESS → FAILED "final" (next_retry_at
//   null: never retried automatically; dependents get a dependency conflict), an escalation
//   (give-up.ts), and a running parent is blocked (parallel-executor.ts).

export interface Failure {
  error: string;
  recoverable: boolean;
}

export interface FailureOptions {
  policy?: RetryPolicy;
  random?: Random;
}

export interface FailureOutcome {
  result: TransitionResult;
  /** When the dispatcher will retry it, or null when the engine gave up. */
  nextRetryAt: Date | null;
  /** Which retry comes next (1-based), or null when given up. */
  nextAttempt: number | null;
  gaveUp: GiveUpReason | null;
  escalationId: string | null;
  /** The parent blocked because this subtask failed for good. */
  blockedParent: string | null;
}

/** The error as kept in last_error and the history. */
export const failureMessage = (failure: Failure): string =>
  failure.error.trim().slice(0, 2_000) || "unknown error";

/** What a retried failure answers, whichever path (this one or hot-path.failFast) wrote it. */
export function retryOutcome(result: TransitionResult, nextRetryAt: Date): FailureOutcome {
  return {
    result,
    nextRetryAt,
    nextAttempt: result.task.retryCount + 1,
    gaveUp: null,
    escalationId: null,
    blockedParent: null,
  };
}

/** Fails the locked IN_PROGRESS task and decides retry or give-up (see above). */
export async function handleFailure(
  tx: Tx,
  at: Date,
  task: Task,
  failure: Failure,
  actor: Actor,
  options: FailureOptions = {},
): Promise<FailureOutcome> {
  const policy = options.policy ?? DEFAULT_RETRY_POLICY;
  const error = failureMessage(failure);
  const giveUp = shouldGiveUp(task.retryCount, failure.recoverable, policy);

  if (!giveUp) {
    const nextRetryAt = new Date(at.getTime() + backoffMs(task.retryCount, policy, options.random));
    const result = await applyTransition(tx, at, task, "FAILED", actor, {
      reason: error,
      patch: { nextRetryAt },
      details: {
        recoverable: true,
        retry_count: task.retryCount,
        next_attempt: task.retryCount + 1,
        next_retry_at: nextRetryAt.toISOString(),
      },
    });
    return retryOutcome(result, nextRetryAt);
  }

  const reason: GiveUpReason = failure.recoverable ? "retries_exhausted" : "unrecoverable_error";
  const result = await applyTransition(tx, at, task, "FAILED", actor, {
    reason: error,
    final: true,
    patch: { nextRetryAt: null },
    details: { recoverable: failure.recoverable, retry_count: task.retryCount, gave_up: reason },
  });
  const { escalationId } = await recordGiveUp(tx, at, result.task, reason, actor, error);
  const blockedParent = await blockParentOfFailedSubtask(tx, at, result.task, error);
  return { result, nextRetryAt: null, nextAttempt: null, gaveUp: reason, escalationId, blockedParent };
}
