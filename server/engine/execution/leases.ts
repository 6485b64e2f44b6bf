import type { Task } from "../../db/generated/client";
import type { Actor, Tx } from "../context";
import { DomainError } from "../errors";

// Executor leases (DESIGN rule 5). What the lease columns of a task mean:
//
//   state IN_PROGRESS, lease_expires_at set          held by lease_owner until lease_expires_at
//                                                    (expired when lease_expires_at ≤ now: the
//                                                    lease sweep fails the task, then it retries)
//   state IN_PROGRESS, lease_expires_at null         waiting for an executor of its skill to claim
//                                                    it (after a retry, a resume, a "start now")
//   …and lease_owner = AWAITING_SUBTASKS             a parent whose own work is done, parked until
//                                                    its subtasks complete (parallel-executor.ts)
//   any other state                                  lease_expires_at null; lease_owner = last holder
//
// Every exit from IN_PROGRESS, whoever takes it (the worker, an operator, an inbox action, a
// cancel, a sweep), clears lease_expires_at: the one door does it (state/commit-change.ts).

export const DEFAULT_LEASE_MS = 60_000;
export const MIN_LEASE_MS = 5_000;
export const MAX_LEASE_MS = 3_600_000;

/** lease_owner of a parent whose executor finished its part; no lease, never expires. */
export const AWAITING_SUBTASKS = "task-orchestrator/awaiting-subtasks";

/** last_error of a task whose executor stopped heartbeating. */
export const LEASE_EXPIRED_ERROR = "lease expired: executor died";

/** How an executor appears in history and the audit log. */
export function workerActor(workerId: string): Actor {
  return { id: `worker:${workerId}`, role: "executor" };
}

/**
 * Why a worker's call on a task is refused; the HTTP layer answers 409 with this as the code.
 * lease-holder.ts decides which (its header has the table).
 */
export type WorkerErrorCode =
  | "LEASE_NOT_HELD"
  | "LEASE_EXPIRED"
  | "LEASE_REVOKED"
  | "TASK_FINISHED"
  | "TASK_NOT_RUNNING";

export function workerConflict(
  code: WorkerErrorCode,
  task: Task,
  workerId: string,
  message: string,
): DomainError {
  return new DomainError("CONFLICT", message, {
    workerError: code,
    taskId: task.id,
    state: task.state,
    workerId,
  });
}

/** The worker error code carried by a DomainError, if any. */
export function workerErrorCode(error: { details?: Record<string, unknown> }): WorkerErrorCode | null {
  const code = error.details?.workerError;
  return typeof code === "string" ? (code as WorkerErrorCode) : null;
}

export function leaseIsLive(task: Task, at: Date): boolean {
  return task.leaseExpiresAt !== null && task.leaseExpiresAt.getTime() > at.getTime();
}

export function clampLeaseMs(ms: number | undefined): number {
  if (ms === undefined || !Number.isFinite(ms)) return DEFAULT_LEASE_MS;
  return Math.min(MAX_LEASE_MS, Math.max(MIN_LEASE_MS, Math.round(ms)));
}

/** Reads a task whose row this transaction already locked (FOR UPDATE … SKIP LOCKED pick). */
export function loadLocked(tx: Tx, taskId: string): Promise<Task> {
  return tx.task.findUniqueOrThrow({ where: { id: taskId } });
}
