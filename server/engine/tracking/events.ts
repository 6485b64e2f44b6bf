import type { ChangeEvent } from "@/lib/events";
import type { Prisma } from "../../db/generated/client";
import type { Tx } from "../context";
import { flushesAtEnd } from "../state/transaction";

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
 * Writes the event in the change's transaction. A trigger collects the transaction's event ids
 * and sends one NOTIFY with them at commit (prisma/migrations/*_hot_path), so listeners on every
 * instance hear committed changes only, once per transaction; they read the rows
 * (realtime/change-bus.ts).
 */
export async function recordEvent(tx: Tx, event: NewEvent): Promise<ChangeEvent> {
  const row = await tx.event.create({
    data: {
      at: event.at,
      type: event.type,
      taskId: event.taskId ?? null,
      version: event.version ?? null,
      payload: event.payload ?? {},
      queue: event.queue ?? null,
      fromQueue: event.fromQueue ?? null,
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
  // Outside an engine transaction (a caller's own $transaction), notify now: still at commit.
  if (!flushesAtEnd(tx)) await tx.$queryRaw`SELECT orch_flush_events()`;
  return published;
}
