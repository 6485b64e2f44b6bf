import type { TaskStateName } from "@/lib/states";
import type { Prisma } from "../../db/generated/client";
import type { Actor, Tx } from "../context";

export interface AuditEntry {
  at: Date;
  actor: Actor;
  action: string;
  taskId?: string;
  fromState?: TaskStateName;
  toState?: TaskStateName;
  reason?: string | null;
  details?: Prisma.InputJsonValue;
}

/** audit-logger: who did what, when, from which state to which, why. Always inside the change's transaction. */
export async function writeAudit(tx: Tx, entry: AuditEntry): Promise<void> {
  await tx.auditLog.create({
    data: {
      at: entry.at,
      actor: entry.actor.id,
      action: entry.action,
      taskId: entry.taskId ?? null,
      fromState: entry.fromState ?? null,
      toState: entry.toState ?? null,
      reason: entry.reason ?? null,
      details: entry.details ?? {},
    },
  });
}
