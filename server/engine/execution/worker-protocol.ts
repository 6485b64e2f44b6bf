import { workflowSteps } from "@/lib/workflows";
import { Prisma, type Task } from "../../db/generated/client";
import type { EngineContext, Tx } from "../context";
import { type FieldError, isDomainError, validationError } from "../errors";
import { commitTaskChange, lockTask } from "../state/commit-change";
import type { TaskOutput } from "../state/lifecycle";
import { applyTransition } from "../state/state-controller";
import { inTransaction } from "../state/transaction";
import { type Failure, type FailureOutcome, handleFailure } from "./error-handler";
import { assertLeaseHolder, type WorkerRef, workerRef } from "./lease-holder";
import { AWAITING_SUBTASKS, clampLeaseMs, loadLocked, workerActor } from "./leases";
import { appendOutput, completeParents, lockParent, parkParent, pendingSubtasks } from "./parallel-executor";
import type { Random, RetryPolicy } from "./retry-policy";
import { servedByPushOrPeopleSql } from "./skill-executors";

// The worker protocol (result-collector + the executor side of the dispatcher): executors pull
// work for their skills, hold a lease while they run it, report progress, and hand back a result
// or an error. The HTTP routes (app/api/v1/workers/**), the in-process simulator and tests all
// call these functions; each is one transaction through the one door.
//
// - claim: SCHEDULED tasks of the worker's skills (most urgent queue first, then score, then
//   dispatch time), and IN_PROGRESS tasks waiting for an executor (a retry or a resume, no
//   lease; taken first), picked FOR UPDATE SKIP LOCKED so two workers never get the same task.
//   SCHEDULED → IN_PROGRESS (the capacity guard holds: the dispatcher reserved the slot).
//   lease_owner = worker, lease_expires_at = now + lease (default 60 s).
// - heartbeat: extends the lease; reports progress_percent (0–100) and current_step (a step of
//   the task type's workflow when it has one).
// - complete: output appended; IN_PROGRESS → COMPLETED, dependents released, a parked parent
//   completed when this was its last subtask. A parent with pending subtasks is parked instead.
// - fail: error-handler (retry with backoff, or give up and escalate).
// - block: IN_PROGRESS → BLOCKED with a reason; the lease ends.
// Only the holder of a live lease may heartbeat, complete, fail or block (lease-holder.ts, with
// the 409 codes the others get).
// The skill "*" matches every skill_target (the simulator's).
// Tasks of skills whose executor is a webhook or a human team (skill-executors.ts) are never
// claimed, whatever the skills asked for: the dispatcher pushes the former, people take the latter.

export const ANY_SKILL = "*";

const SERVED_BY_PUSH_OR_PEOPLE = Prisma.raw(servedByPushOrPeopleSql("t"));
export const MAX_CLAIM = 50;

export interface ClaimRequest {
  workerId: string;
  /** The credential (API key) claiming: the lease is bound to it (lease-holder.ts). */
  credential?: string | null;
  skills: readonly string[];
  /** How many tasks at most (default 1, at most 50). */
  max?: number;
  leaseMs?: number;
}

export interface ClaimResult {
  tasks: Task[];
  leaseExpiresAt: Date;
  leaseMs: number;
}

function checkWorkerId(workerId: string): void {
  const trimmed = workerId.trim();
  if (!trimmed || trimmed.length > 128) {
    throw validationError([{ path: "worker_id", message: "A worker id of 1 to 128 characters is required" }]);
  }
}

interface Candidate {
  id: string;
}

class SkipCandidate extends Error {
  constructor(
    readonly taskId: string,
    override readonly cause: unknown,
  ) {
    super(`skip ${taskId}`);
  }
}

async function nextCandidate(
  tx: Tx,
  skills: readonly string[],
  skip: readonly string[],
): Promise<string | null> {
  const any = skills.includes(ANY_SKILL);
  const rows = await tx.$queryRaw<Candidate[]>`
    SELECT t.id FROM tasks t JOIN queues q ON q.name = t.queue_name
    WHERE t.archived_at IS NULL
      AND (t.state = 'SCHEDULED'
           OR (t.state = 'IN_PROGRESS' AND t.lease_expires_at IS NULL
               AND t.lease_owner IS DISTINCT FROM ${AWAITING_SUBTASKS}))
      AND (${any} OR t.skill_target = ANY(${[...skills]}::text[]))
      AND NOT ${SERVED_BY_PUSH_OR_PEOPLE}
      AND NOT (t.id = ANY(${[...skip]}::text[]))
    ORDER BY (t.state = 'IN_PROGRESS') DESC, q.sort_order, t.priority_score DESC, t.state_changed_at, t.id
    LIMIT 1
    FOR UPDATE OF t SKIP LOCKED`;
  return rows[0]?.id ?? null;
}

async function claimOne(
  ctx: EngineContext,
  request: ClaimRequest,
  leaseMs: number,
  skip: readonly string[],
): Promise<Task | null> {
  return inTransaction(ctx, async (tx, at) => {
    const id = await nextCandidate(tx, request.skills, skip);
    if (!id) return null;
    const task = await loadLocked(tx, id);
    const actor = workerActor(request.workerId);
    const leaseExpiresAt = new Date(at.getTime() + leaseMs);
    const lease = {
      leaseOwner: request.workerId,
      leaseCredential: request.credential ?? null,
      leaseExpiresAt,
      assignedTo:
        task.assignedTo === null || task.assignedTo === task.leaseOwner ? request.workerId : task.assignedTo,
    };
    const details = { worker_id: request.workerId, lease_expires_at: leaseExpiresAt.toISOString() };
    if (task.state === "SCHEDULED") {
      try {
        const result = await applyTransition(tx, at, task, "IN_PROGRESS", actor, { patch: lease, details });
        return result.task;
      } catch (error) {
        if (isDomainError(error) && error.code === "CONFLICT") throw new SkipCandidate(task.id, error);
        throw error;
      }
    }
    const { task: claimed } = await commitTaskChange(tx, task, {
      at,
      actor,
      action: "task.claimed",
      patch: lease,
      details,
    });
    return claimed;
  });
}

/** Gives the worker up to `max` tasks of its skills, each under a lease (see above). */
export async function claimTasks(ctx: EngineContext, request: ClaimRequest): Promise<ClaimResult> {
  checkWorkerId(request.workerId);
  const skills = request.skills.map((s) => s.trim()).filter(Boolean);
  if (skills.length === 0) throw validationError([{ path: "skills", message: "Name at least one skill" }]);
  const max = Math.min(MAX_CLAIM, Math.max(1, Math.floor(request.max ?? 1)));
  const leaseMs = clampLeaseMs(request.leaseMs);
  const tasks: Task[] = [];
  const skip: string[] = [];
  while (tasks.length < max) {
    let task: Task | null;
    try {
      task = await claimOne(ctx, { ...request, skills }, leaseMs, skip);
    } catch (error) {
      // A start refused by a guard (e.g. a queue over capacity after a manual "start now"):
      // leave that task for later and take the next one.
      if (error instanceof SkipCandidate && !skip.includes(error.taskId)) {
        skip.push(error.taskId);
        continue;
      }
      throw error instanceof SkipCandidate ? error.cause : error;
    }
    if (!task) break;
    tasks.push(task);
  }
  const leaseExpiresAt = tasks.reduce<Date>(
    (latest, t) => (t.leaseExpiresAt && t.leaseExpiresAt > latest ? t.leaseExpiresAt : latest),
    new Date(ctx.clock.now().getTime() + leaseMs),
  );
  return { tasks, leaseExpiresAt, leaseMs };
}

export interface ProgressReport {
  progressPercent?: number;
  currentStep?: string | null;
  leaseMs?: number;
}

function checkReport(task: Task, report: ProgressReport): void {
  const fields: FieldError[] = [];
  const p = report.progressPercent;
  if (p !== undefined && (!Number.isInteger(p) || p < 0 || p > 100)) {
    fields.push({ path: "progress_percent", message: "An integer from 0 to 100" });
  }
  const step = report.currentStep;
  if (step !== undefined && step !== null) {
    const steps = workflowSteps(task.type);
    if (!step.trim() || step.length > 128) {
      fields.push({ path: "current_step", message: "1 to 128 characters" });
    } else if (steps.length > 0 && !steps.includes(step)) {
      fields.push({
        path: "current_step",
        message: `Not a step of the ${task.type} workflow: ${steps.join(", ")}`,
      });
    }
  }
  if (fields.length > 0) throw validationError(fields);
}

/** Extends the worker's lease and records its progress. */
export async function heartbeat(
  ctx: EngineContext,
  taskId: string,
  worker: string | WorkerRef,
  report: ProgressReport = {},
): Promise<Task> {
  const { workerId } = workerRef(worker);
  checkWorkerId(workerId);
  return inTransaction(ctx, async (tx, at) => {
    const task = await lockTask(tx, taskId);
    await assertLeaseHolder(tx, task, worker, at);
    checkReport(task, report);
    const leaseExpiresAt = new Date(at.getTime() + clampLeaseMs(report.leaseMs));
    const progress = report.progressPercent;
    const step = report.currentStep ?? undefined;
    const changed =
      (progress !== undefined && progress !== task.progressPercent) ||
      (step !== undefined && step !== task.currentStep);
    const { task: updated } = await commitTaskChange(tx, task, {
      at,
      actor: workerActor(workerId),
      action: changed ? "task.progress" : "task.heartbeat",
      patch: {
        leaseExpiresAt,
        ...(progress !== undefined ? { progressPercent: progress } : {}),
        ...(step !== undefined ? { currentStep: step } : {}),
      },
      details: {
        lease_expires_at: leaseExpiresAt.toISOString(),
        ...(progress !== undefined ? { progress_percent: progress } : {}),
        ...(step !== undefined ? { current_step: step } : {}),
      },
    });
    return updated;
  });
}

export interface CompleteOutcome {
  task: Task;
  /** The task is a parent whose subtasks are not all done: its own part is recorded, it waits. */
  parked: boolean;
  pendingSubtasks: string[];
  /** Dependents released by the completion. */
  unblocked: string[];
  /** Parked parents completed because this was their last subtask (nearest first). */
  completedParents: string[];
}

/** The worker's result: completes the task (or parks a parent with pending subtasks). */
export async function completeWork(
  ctx: EngineContext,
  taskId: string,
  worker: string | WorkerRef,
  output?: TaskOutput,
): Promise<CompleteOutcome> {
  const { workerId } = workerRef(worker);
  checkWorkerId(workerId);
  return inTransaction(ctx, async (tx, at) => {
    const task = await lockTask(tx, taskId);
    await assertLeaseHolder(tx, task, worker, at);
    const actor = workerActor(workerId);
    const pending = await pendingSubtasks(tx, task.id);
    if (pending.length > 0) {
      const parked = await parkParent(tx, at, task, actor, output, pending);
      return { task: parked, parked: true, pendingSubtasks: pending, unblocked: [], completedParents: [] };
    }
    await lockParent(tx, task);
    const result = await applyTransition(tx, at, task, "COMPLETED", actor, {
      patch: appendOutput(task, output),
      details: { worker_id: workerId },
    });
    const completedParents = await completeParents(tx, at, result.parentReady);
    return {
      task: result.task,
      parked: false,
      pendingSubtasks: [],
      unblocked: result.unblocked,
      completedParents,
    };
  });
}

export interface FailOptions {
  policy?: RetryPolicy;
  random?: Random;
}

/** The worker's error: retried with backoff when recoverable and retries remain, else given up. */
export async function failWork(
  ctx: EngineContext,
  taskId: string,
  worker: string | WorkerRef,
  failure: Failure,
  options: FailOptions = {},
): Promise<FailureOutcome> {
  const { workerId } = workerRef(worker);
  checkWorkerId(workerId);
  if (!failure.error.trim()) throw validationError([{ path: "error", message: "Describe the error" }]);
  return inTransaction(ctx, async (tx, at) => {
    const task = await lockTask(tx, taskId);
    await assertLeaseHolder(tx, task, worker, at);
    return handleFailure(tx, at, task, failure, workerActor(workerId), options);
  });
}

/** The worker cannot go on until something outside happens (e.g. the client's validation). */
export async function blockWork(
  ctx: EngineContext,
  taskId: string,
  worker: string | WorkerRef,
  reason: string,
): Promise<Task> {
  const { workerId } = workerRef(worker);
  checkWorkerId(workerId);
  if (!reason.trim())
    throw validationError([{ path: "reason", message: "A reason is required to block a task" }]);
  return inTransaction(ctx, async (tx, at) => {
    const task = await lockTask(tx, taskId);
    await assertLeaseHolder(tx, task, worker, at);
    const result = await applyTransition(tx, at, task, "BLOCKED", workerActor(workerId), { reason });
    return result.task;
  });
}
