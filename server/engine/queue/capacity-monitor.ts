import type { TaskStateName } from "@/lib/states";
import type { EngineContext, Tx } from "../context";
import { DomainError, notFound } from "../errors";

// capacity-monitor: the one definition of "slots in use" for a queue, read by the dispatcher
// (how many to schedule), by the state-controller's guard (may this task take a slot?), by the
// queue gauges and the metrics. docs/engine.md, "Capacity", says why.
//
// A slot is held by every task of the queue that is SCHEDULED (handed to its skill, slot
// reserved: the dispatcher gave it) or IN_PROGRESS (running, waiting for an executor to claim
// it, or a parked parent). Capacity caps the slots in use, so it also caps IN_PROGRESS (the
// seed's "max tasks IN_PROGRESS at once"), and a SCHEDULED task can always start.

/** The states that hold one of their queue's slots. */
export const SLOT_STATES = ["SCHEDULED", "IN_PROGRESS"] as const satisfies readonly TaskStateName[];

/** SQL predicate: the task aliased `alias` holds a slot of its queue. */
export function holdsSlotSql(alias: string): string {
  return `${alias}.state IN (${SLOT_STATES.map((s) => `'${s}'`).join(", ")})`;
}

export function holdsSlot(state: TaskStateName): boolean {
  return (SLOT_STATES as readonly string[]).includes(state);
}

export interface QueueSlots {
  /** null = unlimited. */
  capacity: number | null;
  inUse: number;
  /** Free slots; null = unlimited. */
  free: number | null;
}

/**
 * Locks the queue's slot accounting for the rest of the transaction and reads its slots in use.
 * The count is kept in queue_slots by the statements that take and free slots (a trigger on
 * tasks, prisma/migrations/*_hot_path), so nothing counts the queue's tasks here; only bounded
 * queues are counted (an unbounded queue's row stays 0: *_unbounded_slots_uncounted); everything
 * that takes a slot (the dispatcher, a start from a state that holds none, moving a SCHEDULED
 * task) serialises on this row's lock, so capacity holds with several server instances.
 */
export async function lockQueueSlots(tx: Tx, queueName: string): Promise<QueueSlots> {
  const rows = await tx.$queryRaw<{ capacity: number | null; in_use: number }[]>`
    SELECT q.capacity, s.in_use FROM queue_slots s JOIN queues q ON q.name = s.queue_name
    WHERE s.queue_name = ${queueName} FOR UPDATE OF s`;
  const row = rows[0];
  if (!row) throw notFound("Queue", queueName);
  const free = row.capacity === null ? null : Math.max(0, row.capacity - row.in_use);
  return { capacity: row.capacity, inUse: row.in_use, free };
}

export interface SlotDrift {
  queue: string;
  counted: number;
  kept: number;
}

/**
 * Sets each bounded queue's kept count to the true count of its SCHEDULED and IN_PROGRESS tasks
 * (an unbounded queue's is 0: nothing is refused there, so nothing is counted) and
 * returns the queues where they differed (the engine logs them: a drift means a path wrote
 * tasks around the trigger). Takes every queue_slots row lock first, so changes committed
 * before are counted and changes after apply on top of the corrected value.
 */
export async function reconcileSlots(ctx: EngineContext): Promise<SlotDrift[]> {
  return ctx.prisma.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT queue_name FROM queue_slots ORDER BY queue_name FOR UPDATE`;
    return tx.$queryRawUnsafe<SlotDrift[]>(
      `WITH counted AS (
         SELECT q.name, CASE WHEN q.capacity IS NULL THEN 0 ELSE
                  (SELECT count(*)::int FROM tasks t WHERE t.queue_name = q.name AND ${holdsSlotSql("t")}) END AS n
         FROM queues q
       ), drift AS (
         SELECT s.queue_name, c.n AS counted, s.in_use AS kept
         FROM queue_slots s JOIN counted c ON c.name = s.queue_name WHERE s.in_use <> c.n
       ), fixed AS (
         UPDATE queue_slots s SET in_use = d.counted FROM drift d WHERE s.queue_name = d.queue_name
       )
       SELECT queue_name AS queue, counted, kept FROM drift ORDER BY queue_name`,
    );
  });
}

/** Refuses (CONFLICT) to take a slot of a queue that has none free; nothing past capacity. */
export async function assertFreeSlot(tx: Tx, queueName: string): Promise<void> {
  const slots = await lockQueueSlots(tx, queueName);
  if (slots.free !== null && slots.free <= 0) {
    throw new DomainError(
      "CONFLICT",
      `Queue ${queueName} is at capacity (${slots.inUse}/${slots.capacity} slots in use: scheduled or in progress)`,
      { queue: queueName, capacity: slots.capacity, slotsInUse: slots.inUse },
    );
  }
}

/**
 * The guard of a transition: a task entering a slot state from one that holds none (dispatch
 * QUEUED → SCHEDULED, start now, retry, resume) needs a free slot; SCHEDULED → IN_PROGRESS
 * keeps the slot it already holds.
 */
export async function assertSlotForTransition(
  tx: Tx,
  queueName: string,
  from: TaskStateName,
  to: TaskStateName,
): Promise<void> {
  if (holdsSlot(to) && !holdsSlot(from)) await assertFreeSlot(tx, queueName);
}
