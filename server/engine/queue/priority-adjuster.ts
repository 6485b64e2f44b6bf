import { BUMP_POINTS, clampScore } from "@/lib/priority";
import { isTerminal } from "@/lib/states";
import type { Task } from "../../db/generated/client";
import type { Actor, EngineContext, Tx } from "../context";
import { DomainError, notFound, validationError } from "../errors";
import { WAITING_ORDER_SQL } from "../format/seed-format";
import { commitTaskChange, lockForChange, lockTask } from "../state/commit-change";
import { inTransaction } from "../state/transaction";
import { planRank } from "./fractional-index";

// priority-adjuster: the stored score is authoritative (the factors explain it); bump and
// set-score change it directly. Order inside a queue: manual rank, then score, then entry time.

export interface VersionOption {
  expectedVersion?: number;
}

function refuseFinished(task: Task, what: string): void {
  if (isTerminal(task.state)) {
    throw new DomainError("CONFLICT", `Task ${task.id} is ${task.state}: its ${what} no longer changes`, {
      taskId: task.id,
      state: task.state,
    });
  }
}

/** Adds BUMP_POINTS (capped at 100) and records the `manual_bump` factor. */
export function bumpTask(
  ctx: EngineContext,
  taskId: string,
  actor: Actor,
  options: VersionOption = {},
): Promise<Task> {
  return inTransaction(ctx, async (tx, at) => {
    const task = await lockForChange(tx, taskId, options.expectedVersion);
    refuseFinished(task, "priority");
    const score = clampScore(task.priorityScore + BUMP_POINTS);
    const factors = task.priorityFactors.includes("manual_bump")
      ? task.priorityFactors
      : [...task.priorityFactors, "manual_bump"];
    const { task: updated } = await commitTaskChange(tx, task, {
      at,
      actor,
      action: "task.bumped",
      patch: { priorityScore: score, priorityFactors: factors },
      details: { from: task.priorityScore, to: score },
    });
    return updated;
  });
}

/** Sets the score (an integer 0-100, else VALIDATION at `score`); the factors stay as they are. */
export async function setScore(
  ctx: EngineContext,
  taskId: string,
  actor: Actor,
  options: VersionOption & { score: number },
): Promise<Task> {
  const { score } = options;
  if (!Number.isInteger(score) || score < 0 || score > 100) {
    throw validationError([{ path: "score", message: `Score must be an integer 0-100, not ${score}` }]);
  }
  return inTransaction(ctx, async (tx, at) => {
    const task = await lockForChange(tx, taskId, options.expectedVersion);
    refuseFinished(task, "priority");
    const { task: updated } = await commitTaskChange(tx, task, {
      at,
      actor,
      action: "task.rescored",
      patch: { priorityScore: score },
      details: { from: task.priorityScore, to: score },
    });
    return updated;
  });
}

/** Reorders in one queue serialise on this lock, so two drags never compute the same rank. */
export async function lockQueueOrder(tx: Tx, queueName: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`queue-order:${queueName}`}))`;
}

export interface ReorderOptions extends VersionOption {
  /** Put the task right before this one… */
  before?: string;
  /** …or right after this one (exactly one of the two). */
  after?: string;
}

function refuseNotWaiting(task: Task): void {
  if (task.state !== "QUEUED") {
    throw new DomainError(
      "CONFLICT",
      `Task ${task.id} is ${task.state}: only waiting (QUEUED) tasks have a position`,
      {
        taskId: task.id,
        state: task.state,
      },
    );
  }
}

/**
 * Drag-and-drop: puts a waiting task right before or after another waiting task of the same
 * queue, with a fractional rank between its new neighbours (nobody is renumbered). When the
 * target lies among unranked tasks, those before it get ranks too, so the resulting order is
 * exactly the requested one.
 */
export async function reorderTask(
  ctx: EngineContext,
  taskId: string,
  actor: Actor,
  options: ReorderOptions,
): Promise<Task> {
  const neighbourId = options.before ?? options.after;
  const side = options.before !== undefined ? "before" : "after";
  if (neighbourId === undefined || (options.before !== undefined && options.after !== undefined)) {
    throw validationError([{ path: "before", message: "Give exactly one of before, after" }]);
  }
  if (neighbourId === taskId)
    throw validationError([{ path: side, message: "A task cannot be placed next to itself" }]);
  return inTransaction(ctx, async (tx, at) => {
    const peek = await tx.task.findUnique({ where: { id: taskId }, select: { queueName: true } });
    if (!peek) throw notFound("Task", taskId);
    await lockQueueOrder(tx, peek.queueName);
    const task = await lockForChange(tx, taskId, options.expectedVersion);
    refuseNotWaiting(task);
    const neighbour = await tx.task.findUnique({ where: { id: neighbourId } });
    if (!neighbour) throw notFound("Task", neighbourId);
    if (neighbour.queueName !== task.queueName) {
      throw validationError([
        {
          path: side,
          message: `Task ${neighbourId} is in queue ${neighbour.queueName}, not ${task.queueName}`,
        },
      ]);
    }
    refuseNotWaiting(neighbour);

    const list = await tx.$queryRawUnsafe<{ id: string; rank: string | null }[]>(
      `SELECT id, rank FROM tasks WHERE queue_name = $1 AND state = 'QUEUED' AND id <> $2 ORDER BY ${WAITING_ORDER_SQL}`,
      task.queueName,
      task.id,
    );
    const index = list.findIndex((t) => t.id === neighbourId) + (side === "after" ? 1 : 0);
    const plan = planRank(list, index);
    for (const { id, rank } of [...plan.assign].sort((a, b) => a.id.localeCompare(b.id))) {
      const other = await lockTask(tx, id);
      await commitTaskChange(tx, other, {
        at,
        actor,
        action: "task.rank_assigned",
        patch: { rank },
        details: { rank, because: task.id },
      });
    }
    const { task: updated } = await commitTaskChange(tx, task, {
      at,
      actor,
      action: "task.reordered",
      patch: { rank: plan.rank },
      details: { [side]: neighbourId, rank: plan.rank },
    });
    return updated;
  });
}
