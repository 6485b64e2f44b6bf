// Shared by the execution tests and the dispatch race script (not used at run time).
import type { PrismaClient } from "../../../db/client";
import type { EngineContext } from "../../context";

/** Empties every task table so a test starts from a known queue load. */
export async function resetTasks(ctx: EngineContext): Promise<void> {
  await ctx.prisma.$executeRawUnsafe(
    "TRUNCATE tasks, task_dependencies, task_state_history, escalations, audit_log, events RESTART IDENTITY CASCADE",
  );
}

export async function setCapacity(ctx: EngineContext, queue: string, capacity: number | null): Promise<void> {
  await ctx.prisma.queue.update({ where: { name: queue }, data: { capacity } });
}

/** The task's state now. */
export async function stateOf(ctx: EngineContext, id: string) {
  return (await ctx.prisma.task.findUniqueOrThrow({ where: { id } })).state;
}

/** The queue's slots in use as kept in queue_slots (not counted). */
export async function keptSlots(ctx: EngineContext, queue: string): Promise<number> {
  return (await ctx.prisma.queueSlots.findUniqueOrThrow({ where: { queueName: queue } })).inUse;
}

export interface QueuePeak {
  queue: string;
  capacity: number | null;
  /** Most tasks SCHEDULED or IN_PROGRESS at once, replaying the state history in commit order. */
  peak: number;
}

/**
 * Replays task_state_history in id order and returns, per queue, the most tasks that were
 * "active" (SCHEDULED or IN_PROGRESS) at once. Why id order is a valid replay: a dispatch counts
 * the active tasks after taking the queue lock, so every change it relied on (a completion that
 * freed a slot, an earlier dispatch) committed before it counted, and got its history id before
 * committing — i.e. before the dispatch wrote its own rows. A correct dispatcher therefore never
 * shows a peak above capacity; an overbooking one does.
 */
export async function peakActivePerQueue(prisma: PrismaClient): Promise<QueuePeak[]> {
  return prisma.$queryRaw<QueuePeak[]>`
    WITH deltas AS (
      SELECT t.queue_name, h.id,
             (CASE WHEN h.state IN ('SCHEDULED', 'IN_PROGRESS') THEN 1 ELSE 0 END)
           - (CASE WHEN h.from_state IN ('SCHEDULED', 'IN_PROGRESS') THEN 1 ELSE 0 END) AS delta
      FROM task_state_history h JOIN tasks t ON t.id = h.task_id
    ), running AS (
      SELECT queue_name, sum(delta) OVER (PARTITION BY queue_name ORDER BY id) AS active FROM deltas
    )
    SELECT q.name AS queue, q.capacity, COALESCE(max(r.active), 0)::int AS peak
    FROM queues q LEFT JOIN running r ON r.queue_name = q.name
    GROUP BY q.name, q.capacity, q.sort_order ORDER BY q.sort_order`;
}

/** Tasks that went QUEUED → SCHEDULED more than once (must be none). */
export async function dispatchedTwice(prisma: PrismaClient): Promise<{ task_id: string; n: number }[]> {
  return prisma.$queryRaw`
    SELECT task_id, count(*)::int AS n FROM task_state_history
    WHERE from_state = 'QUEUED' AND state = 'SCHEDULED' GROUP BY task_id HAVING count(*) > 1`;
}

export interface BulkTask {
  queue: string;
  skill?: string;
  score?: number;
}

/**
 * Inserts many QUEUED tasks at once (with their CREATED → QUEUED history) for load tests,
 * bypassing create-task's per-task transaction. Ids are TASK-9999-NNNNNN from `start`.
 */
export async function insertQueuedTasks(ctx: EngineContext, specs: BulkTask[], start = 1): Promise<string[]> {
  const at = ctx.clock.now();
  const ids = specs.map((_, i) => `TASK-9999-${String(start + i).padStart(6, "0")}`);
  await ctx.prisma.task.createMany({
    data: specs.map((s, i) => ({
      id: ids[i]!,
      createdAt: at,
      title: `Load task ${start + i}`,
      type: "generic",
      skillTarget: s.skill ?? "backend",
      state: "QUEUED" as const,
      previousState: "CREATED" as const,
      stateChangedAt: at,
      queueName: s.queue,
      queueEnteredAt: at,
      priorityScore: s.score ?? 50,
      version: 2,
      updatedAt: at,
      updatedBy: "test",
    })),
  });
  await ctx.prisma.taskStateHistory.createMany({
    data: ids.flatMap((id) => [
      { taskId: id, state: "CREATED" as const, at, actor: "test", version: 1 },
      { taskId: id, state: "QUEUED" as const, fromState: "CREATED" as const, at, actor: "test", version: 2 },
    ]),
  });
  return ids;
}

/**
 * The context with Prisma forbidden (any use throws) and each driver statement recorded in
 * `statements`: what a one-statement hot path must get by with.
 */
export function driverOnly(ctx: EngineContext, statements: string[]): EngineContext {
  const sql = ctx.sql;
  if (!sql) throw new Error("driverOnly needs a context with the driver (ctx.sql)");
  return {
    ...ctx,
    sql: (text, values) => {
      statements.push(text);
      return sql(text, values);
    },
    prisma: new Proxy(ctx.prisma, {
      get(_, property) {
        throw new Error(`Prisma used: ${String(property)}`);
      },
    }),
  };
}
