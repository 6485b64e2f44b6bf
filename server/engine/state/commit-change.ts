import type { ChangeEvent } from "@/lib/events";
import type { TaskStateName } from "@/lib/states";
import type { Prisma, Task } from "../../db/generated/client";
import type { Actor, Tx } from "../context";
import { DomainError, notFound } from "../errors";
import { loadSeedTask } from "../format/seed-format";
import { writeAudit } from "../tracking/audit";
import { recordEvent } from "../tracking/events";

/** Locks the task row for the rest of the transaction, so concurrent commands on it serialise. */
export async function lockTask(tx: Tx, taskId: string): Promise<Task> {
  const locked = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM tasks WHERE id = ${taskId} FOR UPDATE`;
  if (locked.length === 0) throw notFound("Task", taskId);
  const task = await tx.task.findUnique({ where: { id: taskId } });
  if (!task) throw notFound("Task", taskId);
  return task;
}

/**
 * Locks the task and checks the version the caller's edit was based on. A stale edit never
 * overwrites: STALE_VERSION carries the current task in the seed format (`details.current`)
 * so the client can rebase without another round trip.
 */
export async function lockForChange(tx: Tx, taskId: string, expectedVersion?: number): Promise<Task> {
  const task = await lockTask(tx, taskId);
  if (expectedVersion !== undefined && expectedVersion !== task.version) {
    throw staleVersion(task, expectedVersion, await loadSeedTask(tx, taskId));
  }
  return task;
}

function staleVersion(task: Task, expectedVersion: number, current?: unknown): DomainError {
  return new DomainError(
    "STALE_VERSION",
    `Task ${task.id} is at version ${task.version}, not ${expectedVersion}: it changed since you loaded it`,
    { currentVersion: task.version, taskId: task.id, ...(current ? { current } : {}) },
  );
}

/** A stale edit never overwrites: the caller gets the current task to rebase on. */
export function assertVersion(task: Task, expectedVersion: number | undefined): void {
  if (expectedVersion !== undefined && expectedVersion !== task.version) {
    throw staleVersion(task, expectedVersion);
  }
}

export interface TaskChange {
  at: Date;
  actor: Actor;
  /** Audit action and event type, e.g. "task.transitioned", "task.reordered". */
  action: string;
  patch?: Prisma.TaskUncheckedUpdateInput;
  /** Set when the change moves the task to another state: appends state history. */
  toState?: TaskStateName;
  reason?: string | null;
  details?: Prisma.InputJsonValue;
}

/**
 * What leaving IN_PROGRESS implies, whoever takes the task out (its worker, an operator, an
 * inbox action, a cancel, a sweep): the executor's lease ends (lease_expires_at null), so a
 * worker can never heartbeat or complete a task that is no longer running — and the task comes
 * back to IN_PROGRESS (retry, resume) unleased, claimable. lease_owner stays as the last holder
 * (execution/leases.ts says why), so a parked parent stays parked.
 */
function stateChangeColumns(task: Task, change: TaskChange): Prisma.TaskUncheckedUpdateInput {
  if (!change.toState) return {};
  const leaves = task.state === "IN_PROGRESS" && change.toState !== "IN_PROGRESS";
  return {
    state: change.toState,
    previousState: task.state,
    stateChangedAt: change.at,
    ...(leaves ? { leaseExpiresAt: null } : {}),
  };
}

/**
 * The one door for changing a task: writes the patch, bumps metadata.version, appends history
 * for a state change (ending the lease of a task that leaves IN_PROGRESS), writes the audit row
 * and the event — all in the caller's transaction on a task it has locked.
 */
export async function commitTaskChange(
  tx: Tx,
  task: Task,
  change: TaskChange,
): Promise<{ task: Task; event: ChangeEvent }> {
  const version = task.version + 1;
  const stateChange = stateChangeColumns(task, change);
  const updated = await tx.task.update({
    where: { id: task.id },
    data: {
      ...change.patch,
      ...stateChange,
      version,
      updatedAt: change.at,
      updatedBy: change.actor.id,
    },
  });
  if (change.toState) {
    await tx.taskStateHistory.create({
      data: {
        taskId: task.id,
        state: change.toState,
        fromState: task.state,
        at: change.at,
        actor: change.actor.id,
        reason: change.reason ?? null,
        version,
      },
    });
  }
  await writeAudit(tx, {
    at: change.at,
    actor: change.actor,
    action: change.action,
    taskId: task.id,
    fromState: change.toState ? task.state : undefined,
    toState: change.toState,
    reason: change.reason,
    details: change.details,
  });
  const event = await recordEvent(tx, {
    at: change.at,
    type: change.action,
    taskId: task.id,
    version,
    queue: updated.queueName,
    ...(updated.queueName !== task.queueName ? { fromQueue: task.queueName } : {}),
    payload: change.toState ? { from: task.state, to: change.toState } : {},
  });
  return { task: updated, event };
}
