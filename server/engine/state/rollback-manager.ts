import { isRevertible, REVERT_ROLES } from "@/lib/transitions";
import type { Prisma } from "../../db/generated/client";
import type { Actor, EngineContext } from "../context";
import { DomainError } from "../errors";
import { commitTaskChange, lockForChange } from "./commit-change";
import {
  assertBlockersDone,
  runTransition,
  type TransitionOptions,
  type TransitionResult,
} from "./state-controller";
import { inTransaction } from "./transaction";

// rollback-manager: cancel, and revert the last transition made in error. A revert is a new,
// audited transition back to the previous state ("task.reverted"); history is never rewritten.

/**
 * → CANCELLED (reason required). Dependents are NOT cancelled: each live dependent gets a
 * dependency conflict (an open "dependency_conflict" escalation), returned in `conflicts`.
 */
export function cancelTask(
  ctx: EngineContext,
  taskId: string,
  actor: Actor,
  options: TransitionOptions & { reason: string },
): Promise<TransitionResult> {
  return runTransition(ctx, taskId, "CANCELLED", actor, options);
}

/**
 * Reverts the task's last transition `from → to` by taking `to → from`, when lib/transitions'
 * `isRevertible(from, to)` allows it, the last change of state is not itself a revert, and the
 * previous state's invariants hold again (SCHEDULED needs every blocker COMPLETED; BLOCKED gets
 * back the blocker reason and time it had). People only (operator, account manager, admin).
 */
export function revertLastTransition(
  ctx: EngineContext,
  taskId: string,
  actor: Actor,
  options: TransitionOptions = {},
): Promise<TransitionResult> {
  return inTransaction(ctx, async (tx, at) => {
    if (!REVERT_ROLES.includes(actor.role)) {
      throw new DomainError("FORBIDDEN", `Role ${actor.role} may not revert transitions`, {
        role: actor.role,
        allowedRoles: [...REVERT_ROLES],
      });
    }
    const task = await lockForChange(tx, taskId, options.expectedVersion);
    const [last] = await tx.taskStateHistory.findMany({
      where: { taskId },
      orderBy: { id: "desc" },
      take: 1,
    });
    if (!last?.fromState || last.state !== task.state) {
      throw new DomainError("CONFLICT", `Task ${taskId} has no transition to revert`, { taskId });
    }
    const lastAudit = await tx.auditLog.findFirst({
      where: { taskId, toState: { not: null } },
      orderBy: { id: "desc" },
      select: { action: true },
    });
    if (lastAudit?.action === "task.reverted") {
      throw new DomainError(
        "CONFLICT",
        `Task ${taskId}'s last transition is itself a revert; take the transition you want instead`,
        { taskId },
      );
    }
    const { fromState: target, state: from } = last;
    if (!isRevertible(target, from)) {
      throw new DomainError(
        "ILLEGAL_TRANSITION",
        `Task ${taskId}'s last transition ${target} → ${from} cannot be reverted`,
        { taskId, from, to: target, allowed: [] },
      );
    }
    let patch: Prisma.TaskUncheckedUpdateInput = {};
    if (target === "SCHEDULED") await assertBlockersDone(tx, task);
    if (target === "BLOCKED") {
      const blocked = await tx.taskStateHistory.findFirst({
        where: { taskId, state: "BLOCKED" },
        orderBy: { id: "desc" },
      });
      patch = { blockerReason: blocked?.reason ?? task.blockerReason, blockedSince: blocked?.at ?? at };
    }
    const reason = options.reason?.trim() || `Revert ${target} → ${from}`;
    const { task: updated } = await commitTaskChange(tx, task, {
      at,
      actor,
      action: "task.reverted",
      toState: target,
      reason,
      patch,
      details: { reverted: { from: target, to: from, history_id: last.id.toString() } },
    });
    return { task: updated, unblocked: [], conflicts: [], parentReady: null };
  });
}
