import type { Task } from "../../db/generated/client";
import type { Tx } from "../context";
import { LEASE_EXPIRED_ERROR, leaseIsLive, workerConflict } from "./leases";

// Only the holder of a live lease on a running task may heartbeat, complete, fail or block it.
// Everyone else gets a 409 whose code says why (first match wins):
//
//   TASK_FINISHED     the task is COMPLETED or CANCELLED: it takes no more work
//   LEASE_EXPIRED     your lease ran out (before the sweep, or the sweep failed the task for it)
//   LEASE_REVOKED     your lease was taken away: someone else (an operator, an inbox action, the
//                     engine failing a subtask…) moved the task out of IN_PROGRESS while you held
//                     it; it may since have come back to IN_PROGRESS, unleased. Stop working on it.
//   TASK_NOT_RUNNING  you ended your lease yourself (block, fail) and the task is not running
//   LEASE_NOT_HELD    you do not hold the lease: someone else's, or nobody's
//
// "Yours" is read from lease_owner, which keeps the last holder once the lease has ended
// (leases.ts), and from the history row that last took the task out of IN_PROGRESS (who, why).

interface LastExit {
  actor: string;
  reason: string | null;
}

async function lastExitFromInProgress(tx: Tx, taskId: string): Promise<LastExit | null> {
  const rows = await tx.$queryRaw<LastExit[]>`
    SELECT actor, reason FROM task_state_history
    WHERE task_id = ${taskId} AND from_state = 'IN_PROGRESS'
    ORDER BY id DESC LIMIT 1`;
  return rows[0] ?? null;
}

/**
 * Who acts on a lease: the worker process's id, and the credential (API key) it came with. A
 * lease claimed with a credential belongs to that credential and that worker id together, so
 * another key cannot act on it by sending the same worker_id; a lease the engine granted (a
 * webhook push) has no credential and is matched on the worker id alone.
 */
export interface WorkerRef {
  workerId: string;
  credential?: string | null;
}

export const workerRef = (worker: string | WorkerRef): WorkerRef =>
  typeof worker === "string" ? { workerId: worker } : worker;

/** Throws the worker conflict that fits (see above) unless `worker` holds a live lease. */
export async function assertLeaseHolder(
  tx: Tx,
  task: Task,
  worker: string | WorkerRef,
  at: Date,
): Promise<void> {
  const { workerId, credential } = workerRef(worker);
  const mine =
    task.leaseOwner === workerId &&
    (task.leaseCredential === null || task.leaseCredential === (credential ?? null));
  if (mine && task.state === "IN_PROGRESS" && leaseIsLive(task, at)) return;
  if (task.state === "COMPLETED" || task.state === "CANCELLED") {
    throw workerConflict(
      "TASK_FINISHED",
      task,
      workerId,
      `Task ${task.id} is ${task.state}: it takes no more work`,
    );
  }
  if (!mine) {
    const sameIdOtherKey = task.leaseOwner === workerId;
    const held = sameIdOtherKey
      ? " (held by that worker id under another credential)"
      : task.leaseExpiresAt !== null && task.leaseOwner
        ? ` (held by ${task.leaseOwner})`
        : "";
    throw workerConflict(
      "LEASE_NOT_HELD",
      task,
      workerId,
      `Worker ${workerId} does not hold the lease on ${task.id}${held}`,
    );
  }
  if (task.leaseExpiresAt !== null) {
    throw workerConflict(
      "LEASE_EXPIRED",
      task,
      workerId,
      `Your lease on ${task.id} ran out at ${task.leaseExpiresAt.toISOString()}; claim work again`,
    );
  }
  const exit = await lastExitFromInProgress(tx, task.id);
  if (exit?.reason === LEASE_EXPIRED_ERROR) {
    throw workerConflict(
      "LEASE_EXPIRED",
      task,
      workerId,
      `Your lease on ${task.id} ran out and the task was sent to retry; claim work again`,
    );
  }
  if (exit && exit.actor !== `worker:${workerId}`) {
    throw workerConflict(
      "LEASE_REVOKED",
      task,
      workerId,
      `Your lease on ${task.id} was taken away: ${exit.actor} moved it out of IN_PROGRESS` +
        `${exit.reason ? ` (${exit.reason})` : ""}; it is ${task.state} now. Stop working on it`,
    );
  }
  if (task.state !== "IN_PROGRESS") {
    throw workerConflict("TASK_NOT_RUNNING", task, workerId, `Task ${task.id} is ${task.state}, not running`);
  }
  throw workerConflict(
    "LEASE_NOT_HELD",
    task,
    workerId,
    `Worker ${workerId} does not hold a lease on ${task.id}`,
  );
}
