import { DEFAULT_WEBHOOK_LEASE_SECONDS, webhookWorkerId } from "@/lib/schemas/skills";
import type { SeedTask } from "@/lib/seed-format";
import type { Task } from "../../db/generated/client";
import type { EngineContext, Tx } from "../context";
import { isDomainError } from "../errors";
import { loadSeedTask } from "../format/seed-format";
import { newMessageId } from "../integrations/delivery-sweep";
import { commitTaskChange } from "../state/commit-change";
import { applyTransition } from "../state/state-controller";
import { inTransaction } from "../state/transaction";
import { AWAITING_SUBTASKS, clampLeaseMs, loadLocked, workerActor } from "./leases";
import type { ActiveExecutor } from "./skill-executors";

// Webhook push: how a skill whose executor is a webhook gets its work (skill-executors.ts).
//
// When the dispatcher hands such a task over (QUEUED → SCHEDULED), it takes it, in the same
// transaction, SCHEDULED → IN_PROGRESS for the executor "webhook:<skill>" (role executor) under
// the executor's lease, and enqueues a webhook delivery "task.dispatched" carrying the task in
// the seed format and the worker API's callback URLs. The delivery worker (integrations) sends
// it signed, outside any engine transaction, and retries it with backoff: a slow or failing
// receiver never holds up the engine. The skill then reports through the worker API
// (heartbeat / complete / fail / block) as worker_id "webhook:<skill>" with an API key of scope
// worker, exactly like a pull worker holding the lease.
//
// If the skill never answers (receiver down, message lost), the lease runs out and the normal
// path applies: lease sweep → FAILED → retry with backoff → the dispatcher restarts the task
// and pushes it again under a new lease, superseding the pushes of earlier attempts still
// waiting to be sent; after 3 failed retries the task fails for good and is escalated.
//
// pushWaitingWork catches the webhook skills' tasks that are waiting for an executor by any
// other path (a person's "start now", a retry or resume, a skill that became a webhook while
// its tasks were dispatched): SCHEDULED, or IN_PROGRESS with no lease and not a parked parent.

export const DISPATCHED_MESSAGE_TYPE = "task.dispatched";

export interface PushOptions {
  /**
   * The orchestrator's public base URL (e.g. https://orchestrator.example.com), for the
   * callback URLs in pushed messages; without it they are paths (/api/v1/workers/…).
   */
  publicUrl?: string;
}

export interface DispatchMessageInput {
  at: Date;
  task: SeedTask;
  skill: string;
  workerId: string;
  attempt: number;
  leaseExpiresAt: Date;
  leaseSeconds: number;
  publicUrl?: string;
}

/** The body of a push: Standard Webhooks payload shape {type, timestamp, data}. */
export function dispatchMessage(input: DispatchMessageInput): Record<string, unknown> {
  const base = `${(input.publicUrl ?? "").replace(/\/+$/, "")}/api/v1/workers/tasks/${encodeURIComponent(input.task.id)}`;
  return {
    type: DISPATCHED_MESSAGE_TYPE,
    timestamp: input.at.toISOString(),
    data: {
      task: input.task,
      skill: input.skill,
      worker_id: input.workerId,
      attempt: input.attempt,
      lease: { expires_at: input.leaseExpiresAt.toISOString(), duration_seconds: input.leaseSeconds },
      callbacks: {
        heartbeat: `${base}/heartbeat`,
        complete: `${base}/complete`,
        fail: `${base}/fail`,
        block: `${base}/block`,
      },
    },
  };
}

/** The events row the change just wrote (this transaction's own, newest for the task). */
async function lastEventId(tx: Tx, taskId: string): Promise<bigint | null> {
  const [row] = await tx.$queryRaw<{ id: bigint }[]>`
    SELECT id FROM events WHERE task_id = ${taskId} ORDER BY id DESC LIMIT 1`;
  return row?.id ?? null;
}

/** Earlier pushes of this task not sent yet: an older attempt, not to be delivered any more. */
async function supersedePending(tx: Tx, at: Date, subscriptionId: string, taskId: string): Promise<void> {
  await tx.$executeRaw`
    UPDATE webhook_deliveries d
    SET status = 'failed', last_error = 'superseded: the task was pushed again', next_attempt_at = NULL,
        completed_at = ${at}
    FROM events e
    WHERE e.id = d.event_id AND e.task_id = ${taskId}
      AND d.subscription_id = ${subscriptionId} AND d.status = 'pending'`;
}

/**
 * Hands a locked task (SCHEDULED, or IN_PROGRESS waiting for an executor) to its webhook
 * executor: IN_PROGRESS under the executor's lease, and a signed push enqueued. Same
 * transaction as the caller's. Throws the start guards' CONFLICT like a claim would.
 */
export async function pushToWebhook(
  tx: Tx,
  at: Date,
  task: Task,
  executor: ActiveExecutor,
  options: PushOptions = {},
): Promise<Task> {
  const subscriptionId = executor.subscriptionId;
  if (!subscriptionId) return task;
  const workerId = webhookWorkerId(executor.skill);
  const actor = workerActor(workerId);
  const leaseMs = clampLeaseMs((executor.leaseSeconds ?? DEFAULT_WEBHOOK_LEASE_SECONDS) * 1_000);
  const leaseExpiresAt = new Date(at.getTime() + leaseMs);
  const patch = {
    leaseOwner: workerId,
    // Pushed work is called back by whichever worker key the receiver holds.
    leaseCredential: null,
    leaseExpiresAt,
    assignedTo: task.assignedTo === null || task.assignedTo === task.leaseOwner ? workerId : task.assignedTo,
  };
  const details = {
    worker_id: workerId,
    executor: "webhook",
    lease_expires_at: leaseExpiresAt.toISOString(),
  };
  const pushed =
    task.state === "SCHEDULED"
      ? (await applyTransition(tx, at, task, "IN_PROGRESS", actor, { patch, details })).task
      : (await commitTaskChange(tx, task, { at, actor, action: "task.claimed", patch, details })).task;

  await supersedePending(tx, at, subscriptionId, task.id);
  const seed = await loadSeedTask(tx, pushed.id);
  if (!seed) return pushed;
  const body = JSON.stringify(
    dispatchMessage({
      at,
      task: seed,
      skill: executor.skill,
      workerId,
      attempt: pushed.retryCount + 1,
      leaseExpiresAt,
      leaseSeconds: leaseMs / 1_000,
      publicUrl: options.publicUrl,
    }),
  );
  await tx.webhookDelivery.create({
    data: {
      id: newMessageId(),
      subscriptionId,
      eventId: await lastEventId(tx, pushed.id),
      eventType: DISPATCHED_MESSAGE_TYPE,
      body,
      status: "pending",
      attempts: 0,
      nextAttemptAt: at,
      createdAt: at,
    },
  });
  return pushed;
}

/** Whether a task is waiting for an executor to take it (a claim would take it). */
export function waitsForExecutor(task: Task): boolean {
  return (
    task.state === "SCHEDULED" ||
    (task.state === "IN_PROGRESS" && task.leaseExpiresAt === null && task.leaseOwner !== AWAITING_SUBTASKS)
  );
}

const WAITING_WEBHOOK_WORK_SQL = `
  FROM tasks t JOIN skill_executors e ON e.skill = t.skill_target
  WHERE e.kind = 'webhook' AND e.enabled AND e.subscription_id IS NOT NULL
    AND t.archived_at IS NULL
    AND (t.state = 'SCHEDULED'
         OR (t.state = 'IN_PROGRESS' AND t.lease_expires_at IS NULL
             AND t.lease_owner IS DISTINCT FROM $1))`;

/**
 * Pushes webhook skills' tasks that wait for an executor (see above), up to `limit`. One
 * transaction; rows picked FOR UPDATE SKIP LOCKED, so concurrent dispatchers never push one
 * task twice. A task refused by a start guard (its queue at capacity after a manual start)
 * is left for a later round.
 */
export async function pushWaitingWork(
  ctx: EngineContext,
  options: PushOptions & { limit?: number } = {},
): Promise<string[]> {
  const limit = options.limit ?? 100;
  // A cheap unlocked look first (no webhook executor: not even the tasks are read), so most
  // rounds find nothing and open no transaction.
  const [probe] = await ctx.prisma.$queryRawUnsafe<{ found: boolean }[]>(
    `SELECT EXISTS (SELECT 1 FROM skill_executors WHERE kind = 'webhook' AND enabled)
        AND EXISTS (SELECT 1 ${WAITING_WEBHOOK_WORK_SQL}) AS found`,
    AWAITING_SUBTASKS,
  );
  if (!probe?.found) return [];
  return inTransaction(ctx, async (tx, at) => {
    const rows = await tx.$queryRawUnsafe<{ id: string }[]>(
      `SELECT t.id ${WAITING_WEBHOOK_WORK_SQL}
       ORDER BY t.state_changed_at, t.id LIMIT $2 FOR UPDATE OF t SKIP LOCKED`,
      AWAITING_SUBTASKS,
      limit,
    );
    if (rows.length === 0) return [];
    const executors = await tx.skillExecutor.findMany({
      where: { kind: "webhook", enabled: true, subscriptionId: { not: null } },
    });
    const bySkill = new Map(executors.map((e) => [e.skill, e as ActiveExecutor]));
    const pushed: string[] = [];
    for (const { id } of rows) {
      const task = await loadLocked(tx, id);
      const executor = bySkill.get(task.skillTarget);
      if (!executor || !waitsForExecutor(task)) continue;
      try {
        await pushToWebhook(tx, at, task, executor, options);
        pushed.push(id);
      } catch (error) {
        // The start guard refused before writing anything: try again on a later round.
        if (isDomainError(error) && error.code === "CONFLICT") continue;
        throw error;
      }
    }
    return pushed;
  });
}
