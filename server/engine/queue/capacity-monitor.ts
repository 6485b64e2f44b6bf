import type { TaskStateName } from "@/lib/states";
import type { Tx } from "../context";
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
 * Locks the queue's slot accounting for the rest of the transaction and counts its slots.
 * Everything that takes a slot (the dispatcher, a start from a state that holds none, moving a
 * SCHEDULED task) serialises on this transaction-scoped advisory lock, so the count stays true
 * with several server instances; the lock is released when the transaction ends.
 */
export async function lockQueueSlots(tx: Tx, queueName: string): Promise<QueueSlots> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`queue-capacity:${queueName}`}))`;
  const rows = await tx.$queryRawUnsafe<{ capacity: number | null; in_use: number }[]>(
    `SELECT q.capacity,
            (SELECT count(*)::int FROM tasks t WHERE t.queue_name = q.name AND ${holdsSlotSql("t")}) AS in_use
     FROM queues q WHERE q.name = $1`,
    queueName,
  );
  const row = rows[0];
  if (!row) throw notFound("Queue", queueName);
  const free = row.capacity === null ? null : Math.max(0, row.capacity - row.in_use);
  return { capacity: row.capacity, inUse: row.in_use, free };
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
