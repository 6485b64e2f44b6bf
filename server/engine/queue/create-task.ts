import { normalizeFactors, queueForScore, scoreFromFactors } from "@/lib/priority";
import type { CreateTaskInput } from "@/lib/schemas/task-input";
import type { SeedTask } from "@/lib/seed-format";
import type { Task } from "../../db/generated/client";
import type { Actor, EngineContext, Tx } from "../context";
import { type FieldError, validationError } from "../errors";
import { createFast, type HotCreation } from "../execution/hot-path";
import { loadSeedTask, toSeedTask } from "../format/seed-format";
import { commitTaskChange } from "../state/commit-change";
import { allocateTaskId } from "../state/task-ids";
import { inTransaction } from "../state/transaction";
import { writeAudit } from "../tracking/audit";
import { slaDeadlineFor } from "./sla";

interface ExistingTask {
  id: string;
  state: string;
}

/** Locks the referenced tasks (so none is cancelled under us) and reports each bad reference at its field path. */
async function checkReferences(tx: Tx, input: CreateTaskInput): Promise<void> {
  const blockedBy = input.dependencies?.blocked_by ?? [];
  const parent = input.dependencies?.parent_task ?? null;
  const ids = [...new Set([...blockedBy, ...(parent ? [parent] : [])])].sort();
  if (ids.length === 0) return;
  const rows = await tx.$queryRaw<ExistingTask[]>`
    SELECT id, state::text AS state FROM tasks WHERE id = ANY(${ids}::text[]) ORDER BY id FOR UPDATE`;
  const found = new Map(rows.map((r) => [r.id, r]));
  const fields: FieldError[] = [];
  blockedBy.forEach((id, n) => {
    const path = `dependencies.blocked_by.${n}`;
    const row = found.get(id);
    if (!row) fields.push({ path, message: `Task ${id} does not exist` });
    else if (row.state === "CANCELLED")
      fields.push({ path, message: `Task ${id} is cancelled: nothing can wait for it` });
  });
  if (parent) {
    const row = found.get(parent);
    const path = "dependencies.parent_task";
    if (!row) fields.push({ path, message: `Task ${parent} does not exist` });
    else if (row.state === "COMPLETED" || row.state === "CANCELLED") {
      fields.push({ path, message: `Task ${parent} is ${row.state}: it takes no new subtasks` });
    }
  }
  if (fields.length > 0) throw validationError(fields);
}

/** Queue and priority (docs/engine.md): an explicit score wins, else the factors' formula; no queue name → from the score. */
function placement(input: CreateTaskInput, now: Date) {
  const given = input.priority?.factors ?? [];
  const explicit = input.priority?.score;
  const factors =
    explicit === undefined ? normalizeFactors(given, input.context?.project?.deadline, now) : given;
  const score = explicit ?? scoreFromFactors(factors);
  const scheduledFor = input.queue?.scheduled_for ? new Date(input.queue.scheduled_for) : null;
  const queueName = input.queue?.name ?? (scheduledFor ? "scheduled" : queueForScore(score));
  if (queueName === "scheduled" && !scheduledFor) {
    throw validationError([{ path: "queue.scheduled_for", message: "Required for the scheduled queue" }]);
  }
  return { factors, score, queueName, scheduledFor };
}

/** The new task's columns taken from the input (both paths write these as they are). */
function inputColumns(input: CreateTaskInput, placed: ReturnType<typeof placement>) {
  return {
    intakeId: input.intake_id ?? null,
    title: input.definition.title,
    description: input.definition.description ?? "",
    type: input.definition.type ?? "generic",
    skillTarget: input.definition.skill_target ?? "",
    entryPoint: input.definition.entry_point ?? "",
    queueName: placed.queueName,
    priorityScore: placed.score,
    priorityFactors: placed.factors,
    estimatedDurationHours: input.execution?.estimated_duration_hours ?? null,
    assignedTo: input.execution?.assigned_to ?? null,
    clientName: input.context?.client?.name ?? null,
    clientContact: input.context?.client?.contact ?? null,
    projectType: input.context?.project?.type ?? null,
    projectBudgetRange: input.context?.project?.budget_range ?? null,
    projectDeadline: input.context?.project?.deadline ?? null,
  };
}

/**
 * queue-manager: creates a task (CREATED), puts it in its queue and moves it to QUEUED, links
 * its blockers and parent — inside the caller's transaction. Blockers and the parent get a new
 * version too (their `blocks` / `subtasks` changed).
 */
export async function createTaskInTx(tx: Tx, now: Date, input: CreateTaskInput, actor: Actor): Promise<Task> {
  const placed = placement(input, now);
  const { factors, score, queueName, scheduledFor } = placed;
  const queue = await tx.queue.findUnique({ where: { name: queueName } });
  if (!queue) throw validationError([{ path: "queue.name", message: `Unknown queue ${queueName}` }]);
  await checkReferences(tx, input);

  const id = await allocateTaskId(tx, now);
  const parentTaskId = input.dependencies?.parent_task ?? null;
  const created = await tx.task.create({
    data: {
      ...inputColumns(input, placed),
      id,
      createdAt: now,
      state: "CREATED",
      stateChangedAt: now,
      queueEnteredAt: now,
      slaDeadline: slaDeadlineFor(queue, now, scheduledFor),
      scheduledFor: queueName === "scheduled" ? scheduledFor : null,
      parentTaskId,
      version: 1,
      updatedAt: now,
      updatedBy: actor.id,
      history: { create: { state: "CREATED", at: now, actor: actor.id, version: 1 } },
    },
  });
  await writeAudit(tx, { at: now, actor, action: "task.created", taskId: id, toState: "CREATED" });

  const blockedBy = [...new Set(input.dependencies?.blocked_by ?? [])];
  if (blockedBy.length > 0) {
    await tx.taskDependency.createMany({
      data: blockedBy.map((blockerId) => ({ blockerId, dependentId: id, createdAt: now })),
    });
  }
  for (const blockerId of blockedBy.sort()) {
    const blocker = await tx.task.findUniqueOrThrow({ where: { id: blockerId } });
    await commitTaskChange(tx, blocker, {
      at: now,
      actor,
      action: "task.dependency_added",
      details: { blocks: id },
    });
  }
  if (parentTaskId) {
    const parent = await tx.task.findUniqueOrThrow({ where: { id: parentTaskId } });
    await commitTaskChange(tx, parent, {
      at: now,
      actor,
      action: "task.subtask_added",
      details: { subtask: id },
    });
  }

  const { task } = await commitTaskChange(tx, created, {
    at: now,
    actor,
    action: "task.queued",
    toState: "QUEUED",
    details: { queue: queueName, score, factors },
  });
  return task;
}

/**
 * A plain creation (no blocker, no parent) on the hot path: one statement writes what
 * createTaskInTx writes (orch_create_task). Null when it must take the TypeScript path: links to
 * other tasks, an Idempotency-Key to record in the same transaction, or a queue the function
 * does not find (the TypeScript path names the field).
 */
async function createPlain(
  ctx: EngineContext,
  input: CreateTaskInput,
  actor: Actor,
): Promise<HotCreation | null> {
  const links = (input.dependencies?.blocked_by?.length ?? 0) > 0 || Boolean(input.dependencies?.parent_task);
  if (links || ctx.inEveryTransaction) return null;
  const now = ctx.clock.now();
  const placed = placement(input, now);
  return createFast(
    ctx,
    { ...inputColumns(input, placed), scheduledFor: placed.scheduledFor },
    now,
    actor.id,
  );
}

/** Creates one task in its own transaction (see createTaskInTx); a plain one in one statement. */
export async function createTask(ctx: EngineContext, input: CreateTaskInput, actor: Actor): Promise<Task> {
  const fast = await createPlain(ctx, input, actor);
  return fast?.task ?? inTransaction(ctx, (tx, now) => createTaskInTx(tx, now, input, actor));
}

/**
 * createTask, answered in the seed format. A plain creation is rendered from what its one
 * statement returned (it knows its history, links and position): no second read.
 */
export async function createTaskAnswer(
  ctx: EngineContext,
  input: CreateTaskInput,
  actor: Actor,
): Promise<SeedTask> {
  const fast = await createPlain(ctx, input, actor);
  if (fast) {
    const { task, position } = fast;
    // Its own statement wrote CREATED → QUEUED, and → SCHEDULED when it took a free slot.
    const history = [
      { state: "CREATED" as const, at: task.createdAt },
      { state: "QUEUED" as const, at: task.createdAt },
      ...(task.state === "QUEUED" ? [] : [{ state: task.state, at: task.stateChangedAt }]),
    ];
    return toSeedTask(task, { history, blockedBy: [], blocks: [], subtasks: [], position });
  }
  const task = await inTransaction(ctx, (tx, now) => createTaskInTx(tx, now, input, actor));
  const seed = await loadSeedTask(ctx.prisma, task.id);
  if (!seed) throw new Error(`task ${task.id} vanished after its creation`);
  return seed;
}
