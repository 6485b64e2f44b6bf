import { ASSIGN_TO_ME, type EscalationAction, type EscalationView } from "@/lib/escalations";
import { roleHas } from "@/lib/permissions";
import type { EscalationActionInput } from "@/lib/schemas/escalations";
import type { TaskStateName } from "@/lib/states";
import type { Escalation, Prisma, Task } from "../../db/generated/client";
import { likeLiteral } from "../../db/like-literal";
import type { Actor, EngineContext, Tx } from "../context";
import { DomainError, notFound, validationError } from "../errors";
import { setScore } from "../queue/priority-adjuster";
import { moveTask } from "../queue/queue-manager";
import { lockTask } from "../state/commit-change";
import { applyTransition } from "../state/state-controller";
import { inTransaction } from "../state/transaction";
import { writeAudit } from "../tracking/audit";
import { recordEvent } from "../tracking/events";
import { loadEscalationView } from "./presenter";
import { withinTransaction } from "./within-transaction";

// The escalation inbox's commands (SPEC §7: acknowledge, assign, retry, unblock, re-prioritise,
// reassign queue, cancel, resolve with a note). Each runs in one transaction: lock, check the
// escalation's version (stale → STALE_VERSION with the current escalation) and status (RESOLVED
// → CONFLICT), change the task through the engine's own commands when the action acts on it
// (its table, roles, guards, history, audit and event apply), then write the escalation with
// version + 1, its audit row and its event. See README.md for the policy (auto-resolve…).

/** Who works the inbox: the roles holding escalations:act (lib/permissions.ts). */
export const ESCALATION_ACTOR_ROLES: readonly Actor["role"][] = ["account_manager", "operator", "admin"];

/** Actions that change the task: its row is locked first (lock order: task, then escalations). */
const TASK_ACTIONS: readonly EscalationAction[] = [
  "retry",
  "unblock",
  "set_priority",
  "move_queue",
  "cancel",
];

/** Audit action and event type of each inbox action. */
export const ACTION_EVENT: Record<EscalationAction, string> = {
  acknowledge: "escalation.acknowledged",
  assign: "escalation.assigned",
  retry: "escalation.task_retried",
  unblock: "escalation.task_unblocked",
  set_priority: "escalation.task_reprioritized",
  move_queue: "escalation.task_moved",
  cancel: "escalation.task_cancelled",
  resolve: "escalation.resolved",
};

export interface EscalationActionResult extends EscalationView {
  /** Other open escalations of the same task this action resolved (cancel resolves them all). */
  also_resolved: string[];
}

async function lockEscalation(tx: Tx, id: string): Promise<Escalation> {
  const locked = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM escalations WHERE id = ${id} FOR UPDATE`;
  if (locked.length === 0) throw notFound("Escalation", id);
  return tx.escalation.findUniqueOrThrow({ where: { id } });
}

async function assertVersion(
  tx: Tx,
  at: Date,
  escalation: Escalation,
  expected: number | undefined,
): Promise<void> {
  if (expected === undefined || expected === escalation.version) return;
  throw new DomainError(
    "STALE_VERSION",
    `Escalation ${escalation.id} is at version ${escalation.version}, not ${expected}: it changed since you loaded it`,
    {
      escalationId: escalation.id,
      currentVersion: escalation.version,
      current: await loadEscalationView(tx, escalation.id, at),
    },
  );
}

function refuseResolved(escalation: Escalation, action: EscalationAction): void {
  if (escalation.status !== "RESOLVED") return;
  throw new DomainError(
    "CONFLICT",
    `Escalation ${escalation.id} is resolved${escalation.resolution ? ` (${escalation.resolution})` : ""}: it cannot be ${action === "resolve" ? "resolved again" : `acted on (${action})`}`,
    { escalationId: escalation.id, status: escalation.status, action },
  );
}

function assertMayAct(actor: Actor): void {
  if (ESCALATION_ACTOR_ROLES.includes(actor.role)) return;
  throw new DomainError("FORBIDDEN", `Role ${actor.role} may not act on escalations`, {
    role: actor.role,
    allowedRoles: [...ESCALATION_ACTOR_ROLES],
  });
}

interface EscalationChange {
  at: Date;
  actor: Actor;
  /** Audit action and event type. */
  type: string;
  patch: Prisma.EscalationUncheckedUpdateInput;
  reason?: string | null;
  details?: Record<string, Prisma.InputJsonValue | null>;
}

/** The one door for changing an escalation: version + 1, audit row, event (with the task id). */
export async function commitEscalationChange(
  tx: Tx,
  escalation: Escalation,
  change: EscalationChange,
): Promise<Escalation> {
  const updated = await tx.escalation.update({
    where: { id: escalation.id },
    data: {
      ...change.patch,
      ...(change.patch.status === "RESOLVED" ? { resolvedBy: change.actor.id } : {}),
      version: escalation.version + 1,
    },
  });
  await writeAudit(tx, {
    at: change.at,
    actor: change.actor,
    action: change.type,
    taskId: escalation.taskId,
    reason: change.reason ?? null,
    details: {
      escalation_id: escalation.id,
      escalation_reason: updated.reason,
      escalation_version: updated.version,
      status: updated.status,
      ...change.details,
    },
  });
  await recordEvent(tx, {
    at: change.at,
    type: change.type,
    taskId: escalation.taskId,
    payload: {
      escalation_id: escalation.id,
      escalation_version: updated.version,
      reason: updated.reason,
      status: updated.status,
    },
  });
  return updated;
}

/** Any action by a person acknowledges an OPEN escalation. */
function acknowledging(escalation: Escalation, at: Date): Prisma.EscalationUncheckedUpdateInput {
  return escalation.status === "OPEN" ? { status: "ACKNOWLEDGED", acknowledgedAt: at } : {};
}

export function resolving(at: Date, resolution: string): Prisma.EscalationUncheckedUpdateInput {
  // open_key back to null: a later occurrence of the same reason may be raised again.
  return { status: "RESOLVED", openKey: null, resolvedAt: at, resolution };
}

/** "me", a user id, an email or "user:<email>" → the assignee as actors are named (`user:<email>`). */
async function resolveAssignee(tx: Tx, value: string, actor: Actor): Promise<string> {
  const wanted = value.trim();
  if (wanted.toLowerCase() === ASSIGN_TO_ME) return actor.id;
  const key = wanted.startsWith("user:") ? wanted.slice("user:".length) : wanted;
  const user = await tx.user.findFirst({
    where: { active: true, OR: [{ id: key }, { email: { equals: likeLiteral(key), mode: "insensitive" } }] },
    select: { email: true, role: true },
  });
  if (!user) throw validationError([{ path: "assignee", message: `No active user ${wanted}` }]);
  if (!roleHas(user.role, "escalations:act")) {
    throw validationError([
      { path: "assignee", message: `${user.email} (${user.role}) cannot act on escalations` },
    ]);
  }
  return `user:${user.email}`;
}

const withReason = (text: string, reason: string | undefined) => (reason ? `${text}: ${reason}` : text);

/**
 * Runs one inbox action on an escalation (POST /api/v1/escalations/{id}/actions):
 * - acknowledge: OPEN → ACKNOWLEDGED, assigned to the caller if nobody is (already acknowledged → CONFLICT);
 * - assign: to a person who may act on escalations ("me", user id, email); acknowledges;
 * - retry: the task FAILED → IN_PROGRESS; resolves;
 * - unblock: the task BLOCKED → UNBLOCKED; resolves;
 * - set_priority / move_queue: the task's score / queue (SLA restarts); acknowledges, stays open;
 * - cancel: the task → CANCELLED (reason required); resolves this and every other open
 *   escalation of the task (nothing is left to do on a cancelled task);
 * - resolve: with a note (required).
 */
export async function actOnEscalation(
  ctx: EngineContext,
  escalationId: string,
  input: EscalationActionInput,
  actor: Actor,
): Promise<EscalationActionResult> {
  assertMayAct(actor);
  return inTransaction(ctx, async (tx, at) => {
    const peek = await tx.escalation.findUnique({ where: { id: escalationId }, select: { taskId: true } });
    if (!peek) throw notFound("Escalation", escalationId);
    const task = TASK_ACTIONS.includes(input.action) ? await lockTask(tx, peek.taskId) : null;
    const escalation = await lockEscalation(tx, escalationId);
    await assertVersion(tx, at, escalation, input.expected_version);
    refuseResolved(escalation, input.action);
    const alsoResolved = await perform(tx, at, escalation, task, input, actor);
    const view = await loadEscalationView(tx, escalationId, at);
    if (!view) throw notFound("Escalation", escalationId);
    return { ...view, also_resolved: alsoResolved };
  });
}

async function perform(
  tx: Tx,
  at: Date,
  escalation: Escalation,
  task: Task | null,
  input: EscalationActionInput,
  actor: Actor,
): Promise<string[]> {
  const type = ACTION_EVENT[input.action];
  const commit = (
    patch: Prisma.EscalationUncheckedUpdateInput,
    extra: Omit<EscalationChange, "at" | "actor" | "type" | "patch"> = {},
  ) => commitEscalationChange(tx, escalation, { at, actor, type, patch, ...extra });

  switch (input.action) {
    case "acknowledge": {
      if (escalation.status === "ACKNOWLEDGED") {
        throw new DomainError(
          "CONFLICT",
          `Escalation ${escalation.id} is already acknowledged${escalation.assignee ? ` (assigned to ${escalation.assignee})` : ""}`,
          { escalationId: escalation.id, status: escalation.status, assignee: escalation.assignee },
        );
      }
      await commit({ ...acknowledging(escalation, at), assignee: escalation.assignee ?? actor.id });
      return [];
    }
    case "assign": {
      const assignee = await resolveAssignee(tx, input.assignee, actor);
      if (assignee === escalation.assignee) {
        throw new DomainError("CONFLICT", `Escalation ${escalation.id} is already assigned to ${assignee}`, {
          escalationId: escalation.id,
          assignee,
        });
      }
      await commit(
        { ...acknowledging(escalation, at), assignee },
        { details: { from: escalation.assignee, to: assignee } },
      );
      return [];
    }
    case "retry":
    case "unblock": {
      const to: TaskStateName = input.action === "retry" ? "IN_PROGRESS" : "UNBLOCKED";
      const from = task!.state;
      await applyTransition(tx, at, task!, to, actor, {
        reason: withReason(
          `${input.action === "retry" ? "Retried" : "Unblocked"} from escalation ${escalation.id}`,
          input.reason,
        ),
        details: { escalation_id: escalation.id },
      });
      const verb = input.action === "retry" ? "retried" : "unblocked";
      await commit(resolving(at, withReason(`Task ${verb} (${from} → ${to}) by ${actor.id}`, input.reason)), {
        reason: input.reason ?? null,
        details: { task_from: from, task_to: to },
      });
      return [];
    }
    case "set_priority": {
      const before = task!.priorityScore;
      await setScore(withinTransaction(tx, at), task!.id, actor, { score: input.score });
      await commit(acknowledging(escalation, at), { details: { score_from: before, score_to: input.score } });
      return [];
    }
    case "move_queue": {
      const before = task!.queueName;
      const moved = await moveTask(withinTransaction(tx, at), task!.id, actor, {
        queue: input.queue,
        scheduledFor: input.scheduled_for,
        reason: withReason(`Moved from escalation ${escalation.id}`, input.reason),
      });
      await commit(acknowledging(escalation, at), {
        reason: input.reason ?? null,
        details: {
          queue_from: before,
          queue_to: moved.queueName,
          sla_deadline: moved.slaDeadline?.toISOString() ?? null,
        },
      });
      return [];
    }
    case "cancel": {
      const reason = input.reason?.trim();
      if (!reason)
        throw validationError([{ path: "reason", message: "A reason is required to cancel a task" }]);
      const from = task!.state;
      await applyTransition(tx, at, task!, "CANCELLED", actor, {
        reason,
        details: { escalation_id: escalation.id },
      });
      const resolution = `Task cancelled by ${actor.id}: ${reason}`;
      await commit(resolving(at, resolution), { reason, details: { task_from: from, task_to: "CANCELLED" } });
      return resolveOthers(tx, at, escalation, actor, resolution);
    }
    case "resolve": {
      const note = input.note?.trim();
      if (!note)
        throw validationError([{ path: "note", message: "A note is required to resolve an escalation" }]);
      await commit(resolving(at, note), { reason: note });
      return [];
    }
  }
}

/** The task is cancelled: its other open escalations have nothing left to decide. */
async function resolveOthers(
  tx: Tx,
  at: Date,
  escalation: Escalation,
  actor: Actor,
  resolution: string,
): Promise<string[]> {
  const others = await tx.$queryRaw<{ id: string }[]>`
    SELECT id FROM escalations
    WHERE task_id = ${escalation.taskId} AND status <> 'RESOLVED' AND id <> ${escalation.id}
    ORDER BY id FOR UPDATE`;
  for (const { id } of others) {
    const other = await tx.escalation.findUniqueOrThrow({ where: { id } });
    await commitEscalationChange(tx, other, {
      at,
      actor,
      type: ACTION_EVENT.resolve,
      patch: resolving(at, resolution),
      reason: resolution,
      details: { via: "cancel", by_escalation: escalation.id },
    });
  }
  return others.map((o) => o.id);
}

// Named commands, one per action, for callers other than the API (command router, UI server actions).

type Options = { expectedVersion?: number };

export const acknowledgeEscalation = (ctx: EngineContext, id: string, actor: Actor, o: Options = {}) =>
  actOnEscalation(ctx, id, { action: "acknowledge", expected_version: o.expectedVersion }, actor);

export const assignEscalation = (
  ctx: EngineContext,
  id: string,
  actor: Actor,
  o: Options & { assignee: string },
) =>
  actOnEscalation(
    ctx,
    id,
    { action: "assign", assignee: o.assignee, expected_version: o.expectedVersion },
    actor,
  );

export const resolveEscalation = (
  ctx: EngineContext,
  id: string,
  actor: Actor,
  o: Options & { note: string },
) =>
  actOnEscalation(ctx, id, { action: "resolve", note: o.note, expected_version: o.expectedVersion }, actor);
