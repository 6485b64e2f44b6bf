import type { Task, TaskState } from "../../db/generated/client";
import type { Actor, Tx } from "../context";
import { SUGGESTED_ACTIONS } from "./policy";
import { raiseEscalation } from "./raise";

// A blocker that is cancelled, or fails for good, can never complete: each live task waiting
// on it has a dependency conflict (SPEC §7). Dependents are NOT cancelled automatically; each
// gets one open escalation (reason "dependency_conflict") for a human to decide: remove or
// replace the dependency, revert the cancel, or cancel the dependent. Raised through
// raiseEscalation, in the transaction that caused it; not duplicated while one is open.

export const DEPENDENCY_CONFLICT_REASON = "dependency_conflict";

export type DependencyConflictKind = "blocker_cancelled" | "blocker_failed";

export interface DependencyConflict {
  dependentId: string;
  blockerId: string;
  kind: DependencyConflictKind;
  /** The escalation recorded, or null when one was already open for that dependent. */
  escalationId: string | null;
}

export async function recordDependencyConflicts(
  tx: Tx,
  at: Date,
  blocker: Task,
  kind: DependencyConflictKind,
  actor: Actor,
  why: string | null,
): Promise<DependencyConflict[]> {
  const dependents = await tx.$queryRaw<{ id: string; state: TaskState; queueName: string }[]>`
    SELECT t.id, t.state::text AS state, t.queue_name AS "queueName"
    FROM task_dependencies d JOIN tasks t ON t.id = d.dependent_id
    WHERE d.blocker_id = ${blocker.id} AND t.state NOT IN ('COMPLETED', 'CANCELLED') ORDER BY t.id`;
  const conflicts: DependencyConflict[] = [];
  for (const dependent of dependents) {
    const { escalation, created } = await raiseEscalation(
      tx,
      at,
      {
        task: dependent,
        reason: DEPENDENCY_CONFLICT_REASON,
        context: {
          current_state: dependent.state,
          blocker: blocker.id,
          blocker_state: blocker.state,
          conflict: kind,
          ...(why ? { blocker_reason: why } : {}),
        },
        suggestedAction: SUGGESTED_ACTIONS[kind],
      },
      actor,
    );
    conflicts.push({
      dependentId: dependent.id,
      blockerId: blocker.id,
      kind,
      escalationId: created ? escalation.id : null,
    });
  }
  return conflicts;
}
