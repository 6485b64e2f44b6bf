import { type ChangeEvent, EVENTS_CHANNEL } from "@/lib/events";
import type { Prisma } from "../../db/generated/client";
import type { Tx } from "../context";

export interface NewEvent {
  at: Date;
  type: string;
  taskId?: string | null;
  version?: number | null;
  /** The task's queue after the change, and the one it left if it moved (published, not stored). */
  queue?: string | null;
  fromQueue?: string;
  payload?: Prisma.InputJsonValue;
}

/**
 * Writes the event in the change's transaction and NOTIFYs it. PostgreSQL delivers a NOTIFY
 * only when the transaction commits, so listeners on every instance see committed changes only.
 */
export async function recordEvent(tx: Tx, event: NewEvent): Promise<ChangeEvent> {
  const row = await tx.event.create({
    data: {
      at: event.at,
      type: event.type,
      taskId: event.taskId ?? null,
      version: event.version ?? null,
      payload: event.payload ?? {},
    },
    select: { id: true },
  });
  const published: ChangeEvent = {
    id: row.id.toString(),
    type: event.type,
    taskId: event.taskId ?? null,
    version: event.version ?? null,
    queue: event.queue ?? null,
    ...(event.fromQueue ? { fromQueue: event.fromQueue } : {}),
    at: event.at.toISOString(),
  };
  await tx.$executeRaw`SELECT pg_notify(${EVENTS_CHANNEL}, ${JSON.stringify(published)})`;
  return published;
}
