import type { Task } from "../../db/generated/client";
import { type EngineContext, SYSTEM_ACTOR, type Tx } from "../context";
import { isDomainError } from "../errors";
import { WAITING_ORDER_SQL } from "../format/seed-format";
import { holdsSlotSql, lockQueueSlots } from "../queue/capacity-monitor";
import { eligibleSql } from "../state/eligibility";
import { applyTransition } from "../state/state-controller";
import { inTransaction } from "../state/transaction";
import { dispatchQueueRound } from "./hot-path";
import { loadLocked } from "./leases";
import { completeParents, isParked } from "./parallel-executor";
import { type ActiveExecutor, activeExecutors } from "./skill-executors";
import { type PushOptions, pushToWebhook, pushWaitingWork } from "./webhook-push";

// task-dispatcher: when a queue has a free slot, its highest-ranked eligible task is handed to
// its skill_target.
//
// What SCHEDULED means: "handed to the skill, slot reserved". Dispatch is QUEUED → SCHEDULED
// (system); the executor's claim is SCHEDULED → IN_PROGRESS (worker-protocol.claimTasks). In an
// unbounded queue a claim that runs out of SCHEDULED tasks dispatches waiting ones itself, both
// moves in one write (hot-path.ts claimBatch): the rounds here still schedule each new task.
//
// Capacity (queue/capacity-monitor.ts, the one definition): a slot is held by each of the
// queue's SCHEDULED and IN_PROGRESS tasks; the dispatcher fills the free slots, and the
// state-controller's guard refuses any move into a slot state from one that holds none past
// capacity (so a dispatched task can always be started). BLOCKED / UNBLOCKED / FAILED / ON_HOLD
// tasks hold no slot.
//
// Eligible (state/eligibility.ts eligibleSql): QUEUED (so not on hold), not archived, every
// blocker COMPLETED, and for a planned task scheduled_for ≤ now. Order: the queue's waiting
// order (WAITING_ORDER_SQL: manual rank, score, entry time).
//
// Restarts, before new work, with the same slots: FAILED tasks whose retry is due
// (next_retry_at ≤ now, error-handler.ts) and UNBLOCKED tasks go back to IN_PROGRESS (the
// table's "retry" and "resume") with no lease, for any executor of the skill to claim. A parked
// parent (own part done) resumes parked, and completes at once if its subtasks are done.
//
// Concurrency, with any number of processes on one database: one transaction per queue takes
// the queue's slot lock (capacity-monitor lockQueueSlots, an advisory lock that every command
// taking a slot also takes), counts the slots in use, and picks at most the free slots' worth
// of candidates with FOR UPDATE SKIP LOCKED in waiting order. Each goes through applyTransition
// with SYSTEM_ACTOR (table, role, guards, the one door), so no task is dispatched twice and
// capacity is never exceeded.
//
// Executors (skill-executors.ts): a task whose skill has a webhook executor is pushed in the
// same transaction as its dispatch or restart (SCHEDULED / restarted → IN_PROGRESS under the
// executor's lease, and a signed "task.dispatched" delivery, webhook-push.ts); a task whose
// skill has a human executor is assigned to the team on dispatch (unless already assigned) and
// waits SCHEDULED for a person to start it. After the queues, a round pushes webhook skills'
// tasks that wait for an executor by any other path (pushWaitingWork).

export interface DispatchOptions {
  /** Most tasks dispatched (or restarted) per queue per call; more work → `more: true`. */
  batchLimit?: number;
  /** Only these queues. */
  queues?: string[];
  /** The public base URL for the callback URLs of webhook pushes (webhook-push.ts). */
  publicUrl?: string;
}

export interface QueueDispatch {
  queue: string;
  scheduled: string[];
  restarted: string[];
  /** Parked parents that completed when resumed. */
  completedParents: string[];
}

export interface DispatchResult {
  scheduled: string[];
  restarted: string[];
  /** Tasks pushed to webhook executors by the catch-up round (not those pushed on dispatch). */
  pushed: string[];
  perQueue: QueueDispatch[];
  /** A queue hit the batch limit with work left: call again. */
  more: boolean;
  /** The next moment something becomes due (a planned date, a retry), if any. */
  nextDueAt: Date | null;
}

/** Per queue and call on the TypeScript path: each task there is a transition of its own. */
const DEFAULT_BATCH_LIMIT = 100;
/**
 * Per queue and call on the one-statement path (hot-path.ts dispatchQueueRound): rounds are one
 * at a time per queue, so an unbounded queue is dispatched no faster than this many per round.
 * Workers claim up to 50 each: at 100 a round, ten of them drained it and waited, empty-handed,
 * for the next (the bench's lifecycle: 147 claims for 2,000 tasks; 58 at 500, and a third more
 * tasks per second). A bounded queue's round is its free slots anyway.
 */
const DEFAULT_ROUND_LIMIT = 500;

interface QueueWork {
  queue_name: string;
  capacity: number | null;
  active: number;
  has_waiting: boolean;
  has_restart: boolean;
  next_scheduled: Date | null;
  next_retry: Date | null;
}

/**
 * Cheap unlocked look at where there may be work (a queue that looks full is skipped: the
 * completion that frees its slot commits an event that wakes the dispatcher again), and when
 * the next planned date / retry falls due.
 */
async function pendingWork(ctx: EngineContext, at: Date): Promise<QueueWork[]> {
  return ctx.prisma.$queryRawUnsafe<QueueWork[]>(
    `SELECT t.queue_name, q.capacity,
            count(*) FILTER (WHERE ${holdsSlotSql("t")})::int AS active,
            bool_or(t.state = 'QUEUED' AND (t.scheduled_for IS NULL OR t.scheduled_for <= $1)) AS has_waiting,
            bool_or(t.state = 'UNBLOCKED' OR (t.state = 'FAILED' AND t.next_retry_at <= $1)) AS has_restart,
            min(t.scheduled_for) FILTER (WHERE t.state = 'QUEUED' AND t.scheduled_for > $1) AS next_scheduled,
            min(t.next_retry_at) FILTER (WHERE t.state = 'FAILED' AND t.next_retry_at > $1) AS next_retry
     FROM tasks t JOIN queues q ON q.name = t.queue_name
     WHERE t.archived_at IS NULL
       AND (t.state IN ('QUEUED', 'UNBLOCKED', 'SCHEDULED', 'IN_PROGRESS')
            OR (t.state = 'FAILED' AND t.next_retry_at IS NOT NULL))
     GROUP BY t.queue_name, q.capacity, q.sort_order
     ORDER BY q.sort_order`,
    at,
  );
}

async function restartCandidates(tx: Tx, queueName: string, at: Date, limit: number): Promise<string[]> {
  const rows = await tx.$queryRaw<{ id: string }[]>`
    SELECT t.id FROM tasks t
    WHERE t.queue_name = ${queueName} AND t.archived_at IS NULL
      AND (t.state = 'UNBLOCKED' OR (t.state = 'FAILED' AND t.next_retry_at IS NOT NULL AND t.next_retry_at <= ${at}))
    ORDER BY COALESCE(t.next_retry_at, t.state_changed_at), t.id
    LIMIT ${limit}
    FOR UPDATE OF t SKIP LOCKED`;
  return rows.map((r) => r.id);
}

async function dispatchCandidates(tx: Tx, queueName: string, at: Date, limit: number): Promise<string[]> {
  const rows = await tx.$queryRawUnsafe<{ id: string }[]>(
    `SELECT t.id FROM tasks t
     WHERE t.queue_name = $1 AND ${eligibleSql("t", "$2")}
     ORDER BY ${WAITING_ORDER_SQL}
     LIMIT $3
     FOR UPDATE OF t SKIP LOCKED`,
    queueName,
    at,
    limit,
  );
  return rows.map((r) => r.id);
}

/**
 * FAILED (retry due) or UNBLOCKED → IN_PROGRESS with no lease; a parked parent stays parked.
 * A webhook skill's task is pushed to it again at once.
 */
async function restart(
  tx: Tx,
  at: Date,
  task: Task,
  executor: ActiveExecutor | undefined,
  push: PushOptions,
): Promise<string[]> {
  const retry = task.state === "FAILED";
  const result = await applyTransition(tx, at, task, "IN_PROGRESS", SYSTEM_ACTOR, {
    reason: retry ? `retry ${task.retryCount + 1}` : "resumed after unblock",
    details: retry ? { retry: task.retryCount + 1, last_error: task.lastError ?? "" } : { resumed: true },
  });
  if (isParked(result.task)) return completeParents(tx, at, result.task.id);
  if (executor?.kind === "webhook") await pushToWebhook(tx, at, result.task, executor, push);
  return [];
}

/** QUEUED → SCHEDULED, then as the skill's executor wants: pushed (webhook) or assigned (human). */
async function dispatch(
  tx: Tx,
  at: Date,
  task: Task,
  queueName: string,
  executor: ActiveExecutor | undefined,
  push: PushOptions,
): Promise<void> {
  const human = executor?.kind === "human" ? executor : undefined;
  const { task: scheduled } = await applyTransition(tx, at, task, "SCHEDULED", SYSTEM_ACTOR, {
    ...(human?.team && task.assignedTo === null ? { patch: { assignedTo: human.team } } : {}),
    details: {
      skill_target: task.skillTarget,
      entry_point: task.entryPoint,
      queue: queueName,
      ...(executor ? { executor: executor.kind } : {}),
      ...(human?.team ? { team: human.team } : {}),
    },
  });
  if (executor?.kind !== "webhook") return;
  try {
    await pushToWebhook(tx, at, scheduled, executor, push);
  } catch (error) {
    // A start guard refused (it writes nothing first): the task stays SCHEDULED, its slot
    // reserved, and pushWaitingWork tries again on a later round.
    if (!isDomainError(error) || error.code !== "CONFLICT") throw error;
  }
}

/**
 * One queue, one transaction: restarts first, then new dispatches, within the free slots. With
 * no restart due, the hot path schedules in one statement (hot-path.ts dispatchQueueRound); it
 * stops before a task that a webhook or a team serves, and this path goes on from there.
 */
export async function dispatchQueue(
  ctx: EngineContext,
  queueName: string,
  batchLimit?: number,
  push: PushOptions = {},
  restartDue = true,
): Promise<QueueDispatch & { more: boolean }> {
  let early: string[] = [];
  if (!restartDue) {
    const roundLimit = batchLimit ?? DEFAULT_ROUND_LIMIT;
    const round = await dispatchQueueRound(ctx, queueName, ctx.clock.now(), roundLimit);
    if (!round.stopped) {
      const more = round.scheduled.length >= roundLimit;
      return { queue: queueName, scheduled: round.scheduled, restarted: [], completedParents: [], more };
    }
    early = round.scheduled;
  }
  // Restarts, or what the round left (it stopped before a task a webhook or a team serves, so
  // it dispatched fewer than its limit), task by task; a limit given is for both together.
  const limit = batchLimit === undefined ? DEFAULT_BATCH_LIMIT : batchLimit - early.length;
  const rest = await dispatchInTransaction(ctx, queueName, limit, push);
  return { ...rest, scheduled: [...early, ...rest.scheduled] };
}

function dispatchInTransaction(
  ctx: EngineContext,
  queueName: string,
  batchLimit: number,
  push: PushOptions,
): Promise<QueueDispatch & { more: boolean }> {
  return inTransaction(ctx, async (tx, at) => {
    const outcome = {
      queue: queueName,
      scheduled: [] as string[],
      restarted: [] as string[],
      completedParents: [] as string[],
      more: false,
    };
    const { free } = await lockQueueSlots(tx, queueName);
    let budget = free === null ? batchLimit : Math.min(free, batchLimit);
    if (budget <= 0) return outcome;

    let executors: Map<string, ActiveExecutor> | undefined;
    const executorOf = async (task: Task) => {
      executors ??= await activeExecutors(tx);
      return executors.get(task.skillTarget);
    };

    for (const id of await restartCandidates(tx, queueName, at, budget)) {
      const task = await loadLocked(tx, id);
      outcome.completedParents.push(...(await restart(tx, at, task, await executorOf(task), push)));
      outcome.restarted.push(id);
    }
    budget -= outcome.restarted.length;

    if (budget > 0) {
      for (const id of await dispatchCandidates(tx, queueName, at, budget)) {
        const task = await loadLocked(tx, id);
        await dispatch(tx, at, task, queueName, await executorOf(task), push);
        outcome.scheduled.push(id);
      }
    }
    const used = outcome.restarted.length + outcome.scheduled.length;
    outcome.more = used >= batchLimit && (free === null || free > batchLimit);
    return outcome;
  });
}

/** One dispatch round over every queue with pending work, most urgent queue first. */
export async function dispatchOnce(
  ctx: EngineContext,
  options: DispatchOptions = {},
): Promise<DispatchResult> {
  const at = ctx.clock.now();
  const work = await pendingWork(ctx, at);
  const result: DispatchResult = {
    scheduled: [],
    restarted: [],
    pushed: [],
    perQueue: [],
    more: false,
    nextDueAt: null,
  };
  const push: PushOptions = { publicUrl: options.publicUrl };
  for (const queue of work) {
    for (const due of [queue.next_scheduled, queue.next_retry]) {
      if (due && (!result.nextDueAt || due < result.nextDueAt)) result.nextDueAt = due;
    }
    if (!queue.has_waiting && !queue.has_restart) continue;
    if (queue.capacity !== null && queue.active >= queue.capacity) continue;
    if (options.queues && !options.queues.includes(queue.queue_name)) continue;
    const { more, ...outcome } = await dispatchQueue(
      ctx,
      queue.queue_name,
      options.batchLimit,
      push,
      queue.has_restart,
    );
    result.perQueue.push(outcome);
    result.scheduled.push(...outcome.scheduled);
    result.restarted.push(...outcome.restarted);
    result.more ||= more;
  }
  if (!options.queues) {
    const limit = options.batchLimit ?? DEFAULT_BATCH_LIMIT;
    result.pushed = await pushWaitingWork(ctx, { ...push, limit });
    result.more ||= result.pushed.length >= limit;
  }
  return result;
}
