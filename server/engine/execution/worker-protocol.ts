import { workflowSteps } from "@/lib/workflows";
import type { Task } from "../../db/generated/client";
import type { EngineContext } from "../context";
import { type DomainError, type FieldError, isDomainError, validationError } from "../errors";
import { commitTaskChange, lockTask } from "../state/commit-change";
import type { TaskOutput } from "../state/lifecycle";
import { applyTransition } from "../state/state-controller";
import { inTransaction } from "../state/transaction";
import {
  type Failure,
  type FailureOutcome,
  failureMessage,
  handleFailure,
  retryOutcome,
} from "./error-handler";
import {
  blockFast,
  claimBatch,
  completeFast,
  completeThenClaim,
  failFast,
  type HotClaim,
  type HotCompletion,
  heartbeatFast,
} from "./hot-path";
import { assertLeaseHolder, type WorkerRef, workerRef } from "./lease-holder";
import { clampLeaseMs, workerActor } from "./leases";
import { appendOutput, completeParents, lockParent, parkParent, pendingSubtasks } from "./parallel-executor";
import { type Random, type RetryPolicy, retryDelaysMs } from "./retry-policy";
import type { WorkSignal } from "./work-signal";

// The worker protocol (result-collector + the executor side of the dispatcher): executors pull
// work for their skills, hold a lease while they run it, report progress, and hand back a result
// or an error. The HTTP routes (app/api/v1/workers/**), the in-process simulator and tests all
// call these functions; each is one transaction through the one door. Claim, heartbeat,
// complete and block go the hot path first (hot-path.ts: one statement each, up to 50 tasks at once for
// claim and complete), and the TypeScript path below when it declines.
//
// - claim: SCHEDULED tasks of the worker's skills (most urgent queue first, then score, then
//   dispatch time), and IN_PROGRESS tasks waiting for an executor (a retry or a resume, no
//   lease; taken first), picked FOR UPDATE SKIP LOCKED so two workers never get the same task.
//   SCHEDULED → IN_PROGRESS (the capacity guard holds: the dispatcher reserved the slot; the
//   blockers guard skips a task whose blockers are not all COMPLETED).
//   lease_owner = worker, lease_expires_at = now + lease (default 60 s). With nothing to claim,
//   waits up to waitMs for a claimable change (work-signal.ts) instead of the caller polling.
// - heartbeat: extends the lease; reports progress_percent (0–100) and current_step (a step of
//   the task type's workflow when it has one).
// - complete: output appended; IN_PROGRESS → COMPLETED, dependents released, a parked parent
//   completed when this was its last subtask. A parent with pending subtasks is parked instead.
//   completeAndClaim adds the worker's next claim to the batch's statement (docs/engine.md).
// - fail: error-handler (retry with backoff, or give up and escalate).
// - block: IN_PROGRESS → BLOCKED with a reason; the lease ends.
// Only the holder of a live lease may heartbeat, complete, fail or block (lease-holder.ts, with
// the 409 codes the others get).
// The skill "*" matches every skill_target (the simulator's).
// Tasks of skills whose executor is a webhook or a human team (skill-executors.ts) are never
// claimed, whatever the skills asked for: the dispatcher pushes the former, people take the latter.

export const ANY_SKILL = "*";

export const MAX_CLAIM = 50;

export interface ClaimRequest {
  workerId: string;
  /** The credential (API key) claiming: the lease is bound to it (lease-holder.ts). */
  credential?: string | null;
  skills: readonly string[];
  /** How many tasks at most (default 1, at most 50). */
  max?: number;
  leaseMs?: number;
  /** With a signal: when nothing is claimable, wait up to this long for work (long-poll). */
  waitMs?: number;
  signal?: WorkSignal;
  /** Stops the wait (the HTTP client went away): it must not be handed tasks it cannot hear of. */
  abort?: AbortSignal;
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

/** The claim's request checked and clamped (worker id, skills, max, lease). */
function claimTerms(request: Pick<ClaimRequest, "workerId" | "skills" | "max" | "leaseMs">) {
  checkWorkerId(request.workerId);
  const skills = request.skills.map((s) => s.trim()).filter(Boolean);
  if (skills.length === 0) throw validationError([{ path: "skills", message: "Name at least one skill" }]);
  const max = Math.min(MAX_CLAIM, Math.max(1, Math.floor(request.max ?? 1)));
  return { skills, any: skills.includes(ANY_SKILL), max, leaseMs: clampLeaseMs(request.leaseMs) };
}

function hotClaim(
  ctx: EngineContext,
  workerId: string,
  credential: string | null | undefined,
  terms: ReturnType<typeof claimTerms>,
): HotClaim {
  const at = ctx.clock.now();
  return {
    workerId,
    skills: terms.skills,
    any: terms.any,
    max: terms.max,
    leaseExpiresAt: new Date(at.getTime() + terms.leaseMs),
    at,
    // Bound in the claim's own statement: only that key with that worker_id may act on them.
    credential: credential ?? null,
  };
}

function claimResult(ctx: EngineContext, tasks: Task[], leaseMs: number): ClaimResult {
  const leaseExpiresAt = tasks.reduce<Date>(
    (latest, t) => (t.leaseExpiresAt && t.leaseExpiresAt > latest ? t.leaseExpiresAt : latest),
    new Date(ctx.clock.now().getTime() + leaseMs),
  );
  return { tasks, leaseExpiresAt, leaseMs };
}

/** Gives the worker up to `max` tasks of its skills, each under a lease (see above). */
export async function claimTasks(ctx: EngineContext, request: ClaimRequest): Promise<ClaimResult> {
  const terms = claimTerms(request);
  const deadline = Date.now() + Math.max(0, request.waitMs ?? 0);
  let tasks: Task[];
  for (;;) {
    const seen = request.signal?.generation ?? 0;
    tasks = await claimBatch(ctx, hotClaim(ctx, request.workerId, request.credential, terms));
    const left = deadline - Date.now();
    if (tasks.length > 0 || !request.signal || left <= 0 || request.abort?.aborted) break;
    await request.signal.changedSince(seen, left, request.abort);
    if (request.abort?.aborted) break;
  }
  return claimResult(ctx, tasks, terms.leaseMs);
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

/** Whether the report may go the hot path (which checks the step against the workflow itself). */
function plausibleReport(report: ProgressReport): boolean {
  const p = report.progressPercent;
  const step = report.currentStep;
  return (
    (p === undefined || (Number.isInteger(p) && p >= 0 && p <= 100)) &&
    (step === undefined || step === null || (step.trim() !== "" && step.length <= 128))
  );
}

/** Extends the worker's lease and records its progress (hot path first, hot-path.ts). */
export async function heartbeat(
  ctx: EngineContext,
  taskId: string,
  worker: string | WorkerRef,
  report: ProgressReport = {},
): Promise<Task> {
  const { workerId, credential } = workerRef(worker);
  checkWorkerId(workerId);
  const now = ctx.clock.now();
  if (plausibleReport(report)) {
    const leaseUntil = new Date(now.getTime() + clampLeaseMs(report.leaseMs));
    const fast = await heartbeatFast(ctx, taskId, workerId, credential ?? null, now, leaseUntil, report);
    if (fast) return fast;
  }
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
  const ref = workerRef(worker);
  checkWorkerId(ref.workerId);
  const at = ctx.clock.now();
  const fast = (await completeFast(ctx, ref.workerId, ref.credential ?? null, at, [{ taskId, output }])).get(
    taskId,
  );
  if (fast?.done && fast.task) return fastOutcome(fast.task, fast.unblocked);
  return completeInTransaction(ctx, taskId, worker, output);
}

function fastOutcome(task: Task, unblocked: string[]): CompleteOutcome {
  return { task, parked: false, pendingSubtasks: [], unblocked, completedParents: [] };
}

export interface CompletionItem {
  taskId: string;
  output?: TaskOutput;
}

export type CompletionResult =
  | ({ taskId: string; ok: true } & CompleteOutcome)
  | { taskId: string; ok: false; error: DomainError };

/** Most results one call to completeMany takes (POST /workers/complete). */
export const MAX_COMPLETE = 50;

function checkCompletions(workerId: string, items: readonly CompletionItem[]): void {
  checkWorkerId(workerId);
  if (items.length === 0 || items.length > MAX_COMPLETE) {
    throw validationError([{ path: "results", message: `From 1 to ${MAX_COMPLETE} results` }]);
  }
  const ids = items.map((i) => i.taskId);
  const repeated = ids.findIndex((id, n) => ids.indexOf(id) !== n);
  if (repeated >= 0) {
    throw validationError([
      { path: `results.${repeated}.task_id`, message: `Task ${ids[repeated]} is listed twice` },
    ]);
  }
}

/**
 * Each item's result: the ones the one-statement path did, the others (a parent, a subtask, a
 * refusal) one by one on the TypeScript path.
 */
async function settleCompletions(
  ctx: EngineContext,
  ref: WorkerRef,
  items: readonly CompletionItem[],
  fast: Map<string, HotCompletion>,
): Promise<CompletionResult[]> {
  const results: CompletionResult[] = [];
  for (const item of items) {
    const done = fast.get(item.taskId);
    if (done?.done && done.task) {
      results.push({ taskId: item.taskId, ok: true, ...fastOutcome(done.task, done.unblocked) });
      continue;
    }
    try {
      const outcome = await completeInTransaction(ctx, item.taskId, ref, item.output);
      results.push({ taskId: item.taskId, ok: true, ...outcome });
    } catch (error) {
      if (!isDomainError(error)) throw error;
      results.push({ taskId: item.taskId, ok: false, error });
    }
  }
  return results;
}

/**
 * Many results of one worker: the plain ones in one statement (hot-path.ts), the others
 * (a parent, a subtask, a refusal) one by one on the TypeScript path; each answers for itself.
 */
export async function completeMany(
  ctx: EngineContext,
  worker: string | WorkerRef,
  items: readonly CompletionItem[],
): Promise<CompletionResult[]> {
  const ref = workerRef(worker);
  checkCompletions(ref.workerId, items);
  // Items whose lease is bound to another credential are not done by the one-statement path:
  // they go the checked way, which refuses them (LEASE_NOT_HELD).
  const fast = await completeFast(ctx, ref.workerId, ref.credential ?? null, ctx.clock.now(), items);
  return settleCompletions(ctx, ref, items, fast);
}

/** What the worker claims next, with its results (POST /workers/complete `claim`). */
export type NextClaim = Pick<ClaimRequest, "skills" | "max" | "leaseMs">;

export interface CompletionsAndClaim {
  results: CompletionResult[];
  claimed: ClaimResult;
}

/**
 * completeMany, and the worker's next claim in the same statement, after the completions: the
 * slots they free are handed over first, so a small queue's next tasks can come back to this
 * worker at once. The claim never waits: with nothing claimable it answers empty, and the
 * worker long-polls with claimTasks.
 */
export async function completeAndClaim(
  ctx: EngineContext,
  worker: string | WorkerRef,
  items: readonly CompletionItem[],
  next: NextClaim,
): Promise<CompletionsAndClaim> {
  const ref = workerRef(worker);
  checkCompletions(ref.workerId, items);
  const terms = claimTerms({ ...next, workerId: ref.workerId });
  const { completions, claimed } = await completeThenClaim(
    ctx,
    ref.credential ?? null,
    items,
    hotClaim(ctx, ref.workerId, ref.credential, terms),
  );
  const results = await settleCompletions(ctx, ref, items, completions);
  return { results, claimed: claimResult(ctx, claimed, terms.leaseMs) };
}

function completeInTransaction(
  ctx: EngineContext,
  taskId: string,
  worker: string | WorkerRef,
  output?: TaskOutput,
): Promise<CompleteOutcome> {
  const { workerId } = workerRef(worker);
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
  // A retry left: one statement. Giving up (escalation, parent, dependents) takes the path below.
  if (failure.recoverable) {
    const error = failureMessage(failure);
    const delays = retryDelaysMs(options.policy, options.random);
    const credential = workerRef(worker).credential ?? null;
    const fast = await failFast(ctx, taskId, workerId, credential, ctx.clock.now(), error, delays);
    if (fast)
      return retryOutcome(
        { task: fast.task, unblocked: [], conflicts: [], parentReady: null },
        fast.nextRetryAt,
      );
  }
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
  const credential = workerRef(worker).credential ?? null;
  const fast = await blockFast(ctx, taskId, workerId, credential, ctx.clock.now(), reason);
  if (fast) return fast;
  return inTransaction(ctx, async (tx, at) => {
    const task = await lockTask(tx, taskId);
    await assertLeaseHolder(tx, task, worker, at);
    const result = await applyTransition(tx, at, task, "BLOCKED", workerActor(workerId), { reason });
    return result.task;
  });
}
