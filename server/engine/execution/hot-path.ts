import { sourcesFor } from "@/lib/transitions";
import { firstStep, WORKFLOWS } from "@/lib/workflows";
import type { Task } from "../../db/generated/client";
import { type Actor, type EngineContext, SYSTEM_ACTOR, type Tx } from "../context";
import type { TaskOutput } from "../state/lifecycle";
import { AWAITING_SUBTASKS, workerActor } from "./leases";

// The engine's hot path: dispatch, claim, heartbeat and complete, each one round trip to a
// PL/pgSQL function (prisma/migrations/20261201220327_hot_path) that locks the rows, checks the
// transition (the states given here from lib/transitions.ts), the guards (lease, blockers,
// capacity under queue_slots' row lock), and writes the task, history, audit and event rows
// in one statement; the events' one NOTIFY goes at commit. Each function does only the common
// case and writes nothing otherwise (a lease that is not the caller's, a parent or a subtask,
// a skill served by a webhook or a team): the caller then takes the TypeScript path, which
// answers with the precise refusal or handles the rarer case.

type Db = Tx | EngineContext["prisma"];

/** First step of every workflow type, from lib/workflows.ts (set by the first start). */
const FIRST_STEPS = JSON.stringify(
  Object.fromEntries(Object.keys(WORKFLOWS).map((type) => [type, firstStep(type)])),
);
const STEPS = JSON.stringify(WORKFLOWS);

const CLAIM_FROM = sourcesFor("IN_PROGRESS", "executor");
const COMPLETE_FROM = sourcesFor("COMPLETED", "executor");
const BLOCK_FROM = sourcesFor("BLOCKED", "executor");
const DISPATCH_FROM = sourcesFor("SCHEDULED", SYSTEM_ACTOR.role);

/** A raw `tasks` row (snake_case) as Prisma's Task (camelCase): the columns follow that rule. */
export function taskFromRow(row: Record<string, unknown>): Task {
  const task: Record<string, unknown> = {};
  for (const [column, value] of Object.entries(row)) {
    task[column.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())] = value;
  }
  return task as unknown as Task;
}

export interface QueueRound {
  scheduled: string[];
  /** Stopped before a task the TypeScript path must take (webhook push, team assignment). */
  stopped: boolean;
}

/** QUEUED → SCHEDULED for up to `limit` of the queue's next eligible tasks within its free slots. */
export async function dispatchQueueRound(
  db: Db,
  queue: string,
  at: Date,
  limit: number,
): Promise<QueueRound> {
  const rows = await db.$queryRaw<QueueRound[]>`
    SELECT scheduled, stopped FROM orch_dispatch_queue(${queue}, ${at}, ${limit}::int, ${DISPATCH_FROM}::text[], ${SYSTEM_ACTOR.id}, true)`;
  return rows[0] ?? { scheduled: [], stopped: true };
}

export interface HotClaim {
  workerId: string;
  skills: readonly string[];
  any: boolean;
  max: number;
  leaseExpiresAt: Date;
  at: Date;
}

/** Up to `max` tasks under the worker's lease, in the claim order (worker-protocol.ts). */
export async function claimBatch(db: Db, claim: HotClaim): Promise<Task[]> {
  const actor = workerActor(claim.workerId);
  const rows = await db.$queryRaw<Record<string, unknown>[]>`
    SELECT * FROM orch_claim(${claim.workerId}, ${actor.id}, ${[...claim.skills]}::text[], ${claim.any},
      ${claim.max}::int, ${claim.leaseExpiresAt}, ${claim.at}, ${CLAIM_FROM}::text[], ${FIRST_STEPS}::jsonb,
      ${AWAITING_SUBTASKS})`;
  return rows.map(taskFromRow);
}

/** The holder's heartbeat, or null when the TypeScript path must answer (see above). */
export async function heartbeatFast(
  db: Db,
  taskId: string,
  workerId: string,
  at: Date,
  leaseExpiresAt: Date,
  report: { progressPercent?: number; currentStep?: string | null },
): Promise<Task | null> {
  const rows = await db.$queryRaw<Record<string, unknown>[]>`
    SELECT * FROM orch_heartbeat(${taskId}, ${workerId}, ${workerActor(workerId).id}, ${at}, ${leaseExpiresAt},
      ${report.progressPercent ?? null}::int, ${report.currentStep ?? null}::text, ${STEPS}::jsonb)`;
  return rows[0] ? taskFromRow(rows[0]) : null;
}

/** Timestamp columns of `tasks` (a row read as JSON carries them as ISO strings). */
const TIMESTAMP_COLUMNS = [
  "created_at",
  "state_changed_at",
  "queue_entered_at",
  "sla_deadline",
  "scheduled_for",
  "started_at",
  "completed_at",
  "blocked_since",
  "next_retry_at",
  "lease_expires_at",
  "updated_at",
  "archived_at",
];

function taskFromJson(json: Record<string, unknown>): Task {
  const row = { ...json };
  for (const column of TIMESTAMP_COLUMNS) {
    const value = row[column];
    if (typeof value === "string") row[column] = new Date(value);
  }
  return taskFromRow(row);
}

export interface HotCompletion {
  done: boolean;
  task: Task | null;
  unblocked: string[];
  /** Tasks the freed slot was handed to (QUEUED → SCHEDULED in the same transaction). */
  handedOver: string[];
}

type CompletionRow = {
  task_id: string;
  done: boolean;
  task: Record<string, unknown> | null;
  unblocked: string[];
  handed_over: string[];
};

/**
 * The holder's completions of plain tasks, one statement and one transaction for all of them
 * (one NOTIFY); each not done (see above) is left to the TypeScript path.
 */
export async function completeFast(
  ctx: EngineContext,
  workerId: string,
  at: Date,
  items: readonly { taskId: string; output?: TaskOutput }[],
): Promise<Map<string, HotCompletion>> {
  const actor: Actor = workerActor(workerId);
  const rows = await ctx.prisma.$queryRaw<CompletionRow[]>`
    SELECT task_id, done, task, unblocked, handed_over FROM orch_complete_many(
      ${items.map((i) => i.taskId)}::text[], ${items.map((i) => JSON.stringify(i.output ?? {}))}::jsonb[],
      ${workerId}, ${actor.id}, ${at}, ${COMPLETE_FROM}::text[], ${ctx.slotHandover === true},
      ${DISPATCH_FROM}::text[], ${SYSTEM_ACTOR.id})`;
  return new Map(
    rows.map((row) => [
      row.task_id,
      {
        done: row.done === true,
        task: row.task ? taskFromJson(row.task) : null,
        unblocked: row.unblocked ?? [],
        handedOver: row.handed_over ?? [],
      },
    ]),
  );
}

/** The holder's block of its running task, or null for the TypeScript path (see above). */
export async function blockFast(
  ctx: EngineContext,
  taskId: string,
  workerId: string,
  at: Date,
  reason: string,
): Promise<Task | null> {
  const rows = await ctx.prisma.$queryRaw<{ done: boolean; task: Record<string, unknown> | null }[]>`
    SELECT done, task FROM orch_block(${taskId}, ${workerId}, ${workerActor(workerId).id}, ${at}, ${reason},
      ${BLOCK_FROM}::text[], ${ctx.slotHandover === true}, ${DISPATCH_FROM}::text[], ${SYSTEM_ACTOR.id})`;
  const row = rows[0];
  return row?.done && row.task ? taskFromJson(row.task) : null;
}
