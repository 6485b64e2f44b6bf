import { sourcesFor } from "@/lib/transitions";
import { firstStep, WORKFLOWS } from "@/lib/workflows";
import type { SqlQuery } from "../../db/client";
import type { Task } from "../../db/generated/client";
import { type EngineContext, SYSTEM_ACTOR } from "../context";
import type { TaskOutput } from "../state/lifecycle";
import { AWAITING_SUBTASKS, workerActor } from "./leases";

// The engine's hot path: creation, dispatch, claim, heartbeat, complete, block and a recoverable
// failure, each one
// round trip (through the driver when the context has it, without Prisma) to a
// PL/pgSQL function (prisma/migrations/20261201220327_hot_path) that locks the rows, checks the
// transition (the states given here from lib/transitions.ts), the guards (lease, blockers,
// capacity under queue_slots' row lock), and writes the task, history, audit and event rows
// in one statement; the events' one NOTIFY goes at commit. Each function does only the common
// case and writes nothing otherwise (a lease that is not the caller's, a parent or a subtask,
// a skill served by a webhook or a team): the caller then takes the TypeScript path, which
// answers with the precise refusal or handles the rarer case.

/** First step of every workflow type, from lib/workflows.ts (set by the first start). */
const FIRST_STEPS = JSON.stringify(
  Object.fromEntries(Object.keys(WORKFLOWS).map((type) => [type, firstStep(type)])),
);
const STEPS = JSON.stringify(WORKFLOWS);

const CLAIM_FROM = sourcesFor("IN_PROGRESS", "executor");
const COMPLETE_FROM = sourcesFor("COMPLETED", "executor");
const BLOCK_FROM = sourcesFor("BLOCKED", "executor");
const FAIL_FROM = sourcesFor("FAILED", "executor");
const DISPATCH_FROM = sourcesFor("SCHEDULED", SYSTEM_ACTOR.role);

/** The driver's query when the context has one, else the same SQL through Prisma's raw query. */
export function sqlOf(ctx: EngineContext): SqlQuery {
  return (
    ctx.sql ??
    (<T>(text: string, values: readonly unknown[] = []) => ctx.prisma.$queryRawUnsafe<T[]>(text, ...values))
  );
}

/** Prisma's Task fields (camelCase) as `tasks` columns (snake_case): the inverse of taskFromRow. */
function toColumns(fields: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(fields).map(([field, value]) => [
      field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`),
      value,
    ]),
  );
}

/** Each `tasks` column's field name, made once: a worker's batch converts thousands of rows. */
const fieldNames = new Map<string, string>();
const fieldOf = (column: string): string => {
  let field = fieldNames.get(column);
  if (field === undefined) {
    field = column.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
    fieldNames.set(column, field);
  }
  return field;
};

/** A raw `tasks` row (snake_case) as Prisma's Task (camelCase): the columns follow that rule. */
export function taskFromRow(row: Record<string, unknown>): Task {
  const task: Record<string, unknown> = {};
  for (const column in row) task[fieldOf(column)] = row[column];
  return task as unknown as Task;
}

export interface QueueRound {
  scheduled: string[];
  /** Stopped before a task the TypeScript path must take (webhook push, team assignment). */
  stopped: boolean;
}

/** QUEUED → SCHEDULED for up to `limit` of the queue's next eligible tasks within its free slots. */
export async function dispatchQueueRound(
  ctx: EngineContext,
  queue: string,
  at: Date,
  limit: number,
): Promise<QueueRound> {
  const rows = await sqlOf(ctx)<QueueRound>(
    "SELECT scheduled, stopped FROM orch_dispatch_queue($1::text, $2::timestamptz, $3::int, $4::text[], $5::text, true)",
    [queue, at, limit, DISPATCH_FROM, SYSTEM_ACTOR.id],
  );
  return rows[0] ?? { scheduled: [], stopped: true };
}

export interface HotClaim {
  workerId: string;
  skills: readonly string[];
  any: boolean;
  max: number;
  leaseExpiresAt: Date;
  at: Date;
  /** The credential the leases are bound to (lease-holder.ts); null for an unbound lease. */
  credential: string | null;
}

/** Up to `max` tasks under the worker's lease, in the claim order (worker-protocol.ts). */
export async function claimBatch(ctx: EngineContext, claim: HotClaim): Promise<Task[]> {
  const actor = workerActor(claim.workerId);
  const rows = await sqlOf(ctx)(
    `SELECT * FROM orch_claim($1::text, $2::text, $3::text[], $4::boolean, $5::int, $6::timestamptz,
       $7::timestamptz, $8::text[], $9::jsonb, $10::text, $11::text, $12::text[], $13::text)`,
    [
      claim.workerId,
      actor.id,
      [...claim.skills],
      claim.any,
      claim.max,
      claim.leaseExpiresAt,
      claim.at,
      CLAIM_FROM,
      FIRST_STEPS,
      AWAITING_SUBTASKS,
      claim.credential,
      DISPATCH_FROM,
      SYSTEM_ACTOR.id,
    ],
  );
  return rows.map(taskFromRow);
}

/**
 * The task the caller's credential may act on, locked: `c.id` when its lease is unbound or bound
 * to `credential` ($1 the task, $2 the credential), else no row, and the hot-path function
 * joined to it (given `c.id`, so it runs only for that row) is not called. The lock taken here
 * re-reads the row, so a lease re-bound meanwhile is seen; one statement, one round trip.
 */
const HELD_BY_CREDENTIAL = `(SELECT t.id FROM tasks t WHERE t.id = $1::text
  AND (t.lease_credential IS NULL OR t.lease_credential = $2::text) FOR UPDATE) c`;

/** The holder's heartbeat, or null when the TypeScript path must answer (see above). */
export async function heartbeatFast(
  ctx: EngineContext,
  taskId: string,
  workerId: string,
  credential: string | null,
  at: Date,
  leaseExpiresAt: Date,
  report: { progressPercent?: number; currentStep?: string | null },
): Promise<Task | null> {
  const rows = await sqlOf(ctx)(
    `SELECT f.* FROM ${HELD_BY_CREDENTIAL} CROSS JOIN LATERAL orch_heartbeat(c.id, $3::text, $4::text,
       $5::timestamptz, $6::timestamptz, $7::int, $8::text, $9::jsonb) f`,
    [
      taskId,
      credential,
      workerId,
      workerActor(workerId).id,
      at,
      leaseExpiresAt,
      report.progressPercent ?? null,
      report.currentStep ?? null,
      STEPS,
    ],
  );
  return rows[0] ? taskFromRow(rows[0]) : null;
}

/** Timestamp columns of `tasks` (a row read as JSON carries them as ISO strings). */
const TIMESTAMP_COLUMNS = new Set([
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
]);

/** A `tasks` row read as JSON (to_jsonb) as Prisma's Task, in one pass. */
function taskFromJson(json: Record<string, unknown>): Task {
  const task: Record<string, unknown> = {};
  for (const column in json) {
    const value = json[column];
    task[fieldOf(column)] =
      typeof value === "string" && TIMESTAMP_COLUMNS.has(column) ? new Date(value) : value;
  }
  return task as unknown as Task;
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

/** orch_complete_many's parameters ($1-$10): the completions of one worker, in one batch. */
function completionParameters(
  ctx: EngineContext,
  workerId: string,
  credential: string | null,
  at: Date,
  items: readonly { taskId: string; output?: TaskOutput }[],
): unknown[] {
  return [
    items.map((i) => i.taskId),
    items.map((i) => JSON.stringify(i.output ?? {})),
    workerId,
    workerActor(workerId).id,
    at,
    COMPLETE_FROM,
    ctx.slotHandover === true,
    DISPATCH_FROM,
    SYSTEM_ACTOR.id,
    credential,
  ];
}

const COMPLETION_ARGUMENTS = `$1::text[], $2::jsonb[], $3::text, $4::text, $5::timestamptz, $6::text[],
  $7::boolean, $8::text[], $9::text, $10::text`;

function completionsOf(rows: readonly CompletionRow[]): Map<string, HotCompletion> {
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

/**
 * The holder's completions of plain tasks, one statement and one transaction for all of them
 * (one NOTIFY); each not done (see above), or whose lease is bound to another credential than
 * `credential`, is left to the TypeScript path.
 */
export async function completeFast(
  ctx: EngineContext,
  workerId: string,
  credential: string | null,
  at: Date,
  items: readonly { taskId: string; output?: TaskOutput }[],
): Promise<Map<string, HotCompletion>> {
  const rows = await sqlOf(ctx)<CompletionRow>(
    `SELECT task_id, done, task, unblocked, handed_over FROM orch_complete_many(${COMPLETION_ARGUMENTS})`,
    completionParameters(ctx, workerId, credential, at, items),
  );
  return completionsOf(rows);
}

export interface HotCompletionsAndClaim {
  completions: Map<string, HotCompletion>;
  /** The worker's next tasks, claimed once the completions had handed their slots over. */
  claimed: Task[];
}

/**
 * completeFast, then claimBatch for the same worker, in one statement (orch_complete_then_claim):
 * a slot freed by the completions can go to the worker's next claim without a round trip.
 */
export async function completeThenClaim(
  ctx: EngineContext,
  credential: string | null,
  items: readonly { taskId: string; output?: TaskOutput }[],
  claim: HotClaim,
): Promise<HotCompletionsAndClaim> {
  const rows = await sqlOf(ctx)<CompletionRow & { kind: "completed" | "claimed" }>(
    `SELECT kind, task_id, done, task, unblocked, handed_over FROM orch_complete_then_claim(${COMPLETION_ARGUMENTS},
       $11::text[], $12::boolean, $13::int, $14::timestamptz, $15::text[], $16::jsonb, $17::text)`,
    [
      ...completionParameters(ctx, claim.workerId, credential, claim.at, items),
      [...claim.skills],
      claim.any,
      claim.max,
      claim.leaseExpiresAt,
      CLAIM_FROM,
      FIRST_STEPS,
      AWAITING_SUBTASKS,
    ],
  );
  return {
    completions: completionsOf(rows.filter((r) => r.kind === "completed")),
    claimed: rows.flatMap((r) => (r.kind === "claimed" && r.task ? [taskFromJson(r.task)] : [])),
  };
}

/** The holder's block of its running task, or null for the TypeScript path (see above). */
export async function blockFast(
  ctx: EngineContext,
  taskId: string,
  workerId: string,
  credential: string | null,
  at: Date,
  reason: string,
): Promise<Task | null> {
  const rows = await sqlOf(ctx)<{ done: boolean; task: Record<string, unknown> | null }>(
    `SELECT f.done, f.task FROM ${HELD_BY_CREDENTIAL} CROSS JOIN LATERAL orch_block(c.id, $3::text, $4::text,
       $5::timestamptz, $6::text, $7::text[], $8::boolean, $9::text[], $10::text) f`,
    [
      taskId,
      credential,
      workerId,
      workerActor(workerId).id,
      at,
      reason,
      BLOCK_FROM,
      ctx.slotHandover === true,
      DISPATCH_FROM,
      SYSTEM_ACTOR.id,
    ],
  );
  const row = rows[0];
  return row?.done && row.task ? taskFromJson(row.task) : null;
}

export interface HotFailure {
  task: Task;
  nextRetryAt: Date;
}

/**
 * The holder's recoverable failure with a retry left, or null for the TypeScript path (see
 * above; giving up escalates there). `backoffMs[n]`: the delay before retry n + 1.
 */
export async function failFast(
  ctx: EngineContext,
  taskId: string,
  workerId: string,
  credential: string | null,
  at: Date,
  error: string,
  backoffMs: readonly number[],
): Promise<HotFailure | null> {
  const rows = await sqlOf(ctx)<{ done: boolean; task: Record<string, unknown> | null; next_retry_at: Date }>(
    `SELECT f.done, f.task, f.next_retry_at FROM ${HELD_BY_CREDENTIAL} CROSS JOIN LATERAL orch_fail(c.id, $3::text,
       $4::text, $5::timestamptz, $6::text, $7::bigint[], $8::text[], $9::boolean, $10::text[], $11::text) f`,
    [
      taskId,
      credential,
      workerId,
      workerActor(workerId).id,
      at,
      error,
      [...backoffMs],
      FAIL_FROM,
      ctx.slotHandover === true,
      DISPATCH_FROM,
      SYSTEM_ACTOR.id,
    ],
  );
  const row = rows[0];
  return row?.done && row.task
    ? { task: taskFromJson(row.task), nextRetryAt: new Date(row.next_retry_at) }
    : null;
}

export interface HotCreation {
  task: Task;
  /** Its live rank among the queue's waiting tasks (the seed format's queue.position). */
  position: number | null;
}

/**
 * A plain task's creation in one statement (orch_create_task): `fields` are the columns placed
 * from the input (queue/create-task.ts). With slot handover on, a free slot of its queue goes to
 * the queue's next eligible task in the same statement, so the task may come back SCHEDULED
 * (position null). Null when the function declines (no such queue).
 */
export async function createFast(
  ctx: EngineContext,
  fields: Partial<Record<keyof Task, unknown>>,
  at: Date,
  actorId: string,
): Promise<HotCreation | null> {
  const rows = await sqlOf(ctx)<{ task: Record<string, unknown> | null; position: number | null }>(
    `SELECT task, "position" FROM orch_create_task($1::jsonb, $2::timestamptz, $3::text, $4::boolean,
       $5::text[], $6::text)`,
    [
      JSON.stringify(toColumns(fields)),
      at,
      actorId,
      ctx.slotHandover === true,
      DISPATCH_FROM,
      SYSTEM_ACTOR.id,
    ],
  );
  const row = rows[0];
  return row?.task ? { task: taskFromJson(row.task), position: row.position ?? null } : null;
}
