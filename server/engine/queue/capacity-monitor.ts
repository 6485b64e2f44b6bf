import type { Tx } from "../context";
import { DomainError, notFound } from "../errors";

export interface QueueLoad {
  capacity: number | null;
  inProgress: number;
}

/** How many of the queue's tasks are IN_PROGRESS, against its capacity (null = unlimited). */
export async function queueLoad(tx: Tx, queueName: string): Promise<QueueLoad> {
  const rows = await tx.$queryRaw<{ capacity: number | null; in_progress: number }[]>`
    SELECT q.capacity,
           (SELECT count(*)::int FROM tasks t WHERE t.queue_name = q.name AND t.state = 'IN_PROGRESS') AS in_progress
    FROM queues q WHERE q.name = ${queueName}`;
  const row = rows[0];
  if (!row) throw notFound("Queue", queueName);
  return { capacity: row.capacity, inProgress: row.in_progress };
}

/**
 * capacity-monitor: nothing starts past capacity. Starts in one queue serialise on a
 * transaction-scoped advisory lock, so the count stays true with several server instances;
 * the lock is released when the starting transaction commits.
 */
export async function assertCapacity(tx: Tx, queueName: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`queue-capacity:${queueName}`}))`;
  const load = await queueLoad(tx, queueName);
  if (load.capacity !== null && load.inProgress >= load.capacity) {
    throw new DomainError(
      "CONFLICT",
      `Queue ${queueName} is at capacity (${load.inProgress}/${load.capacity} in progress)`,
      { queue: queueName, capacity: load.capacity, inProgress: load.inProgress },
    );
  }
}
