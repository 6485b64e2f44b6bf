import { Prisma } from "../../db/generated/client";
import type { Actor, Tx } from "../context";
import { ACTION_EVENT, commitEscalationChange, resolving } from "./inbox";
import { ESCALATION_ACTOR } from "./raise";

// Escalations stay true (README.md, "Auto-resolution"): an open escalation whose cause went away
// — by whatever path: the inbox, the task page, a worker, the API, a sweep — is resolved by the
// engine with a note saying why. Called by the escalation sweep (every open escalation, in
// batches) and by the engine runner right after task changes are heard (just those tasks), so
// the inbox follows the task within a moment without touching the task's write path.

/** What the decision reads: the escalation and the live task (and, for a conflict, its blocker). */
export interface LiveCause {
  reason: string;
  context: Record<string, unknown>;
  taskState: string;
  blockedSince: Date | null;
  slaDeadline: Date | null;
  /** dependency_conflict: the conflicting blocker's state now (null when it no longer exists). */
  blockerState: string | null;
  /** dependency_conflict: the dependent still waits on that blocker. */
  edgeExists: boolean;
}

export interface StaleVerdict {
  /** The automatic note, e.g. "Task retried (now IN_PROGRESS): the failure no longer stands". */
  note: string;
  via: "task_finished" | "cause_gone";
}

const sameInstant = (a: unknown, b: Date | null): boolean =>
  typeof a === "string" && b !== null && new Date(a).getTime() === b.getTime();

/** Why the escalation no longer stands, or null when its cause is still there. */
export function staleVerdict(live: LiveCause): StaleVerdict | null {
  const { reason, context, taskState } = live;
  if (taskState === "COMPLETED" || taskState === "CANCELLED") {
    return { note: `Task ${taskState.toLowerCase()}: nothing left to decide`, via: "task_finished" };
  }
  const gone = (note: string): StaleVerdict => ({ note, via: "cause_gone" });
  switch (reason) {
    case "blocked_over_24h":
      if (taskState !== "BLOCKED") return gone(`Task unblocked (now ${taskState})`);
      if (!sameInstant(context.blocked_since, live.blockedSince))
        return gone("Task was unblocked, then blocked again: a new blocking episode");
      return null;
    case "sla_breach_imminent":
    case "sla_breached":
      if (live.slaDeadline === null)
        return gone(`SLA clock stopped (no deadline while ${taskState}): nothing is burning`);
      if (!sameInstant(context.sla_deadline, live.slaDeadline))
        return gone(`SLA deadline moved to ${live.slaDeadline.toISOString()}`);
      return null;
    case "retries_exhausted":
    case "unrecoverable_error":
      if (taskState !== "FAILED")
        return gone(`Task retried (now ${taskState}): the failure no longer stands`);
      return null;
    case "dependency_conflict": {
      if (context.conflict === "cycle" || typeof context.blocker !== "string") return null;
      if (!live.edgeExists) return gone(`Dependency on ${context.blocker} removed`);
      if (live.blockerState !== "CANCELLED" && live.blockerState !== "FAILED")
        return gone(`Blocker ${context.blocker} is ${live.blockerState} again: it can complete`);
      return null;
    }
    default:
      return null;
  }
}

interface Row extends LiveCause {
  id: string;
}

export interface AutoResolveOptions {
  /** Only these tasks' escalations (after a change); all open ones otherwise. */
  taskIds?: string[];
  /** Only the open escalations after this id (the sweep's rolling slice). */
  afterId?: string;
  limit?: number;
  actor?: Actor;
}

/**
 * Resolves the open escalations whose cause went away, with the note from staleVerdict, in the
 * caller's transaction. Rows another transaction is changing are skipped (looked at next time).
 * Returns the ids resolved.
 */
export async function resolveStaleEscalations(
  tx: Tx,
  at: Date,
  options: AutoResolveOptions = {},
): Promise<string[]> {
  return (await resolveStaleSlice(tx, at, options)).resolved;
}

/**
 * resolveStaleEscalations, also saying the last open escalation looked at: where the sweep's
 * next slice starts (null when this one reached the end).
 *
 * The open escalations are read without locking, and only those whose cause went away are then
 * locked and read again (SKIP LOCKED: one being changed is looked at next time): most stand, and
 * locking every one a sweep looks at made each inbox action on them wait for the sweep.
 */
export async function resolveStaleSlice(
  tx: Tx,
  at: Date,
  options: AutoResolveOptions = {},
): Promise<{ resolved: string[]; lastId: string | null }> {
  const actor = options.actor ?? ESCALATION_ACTOR;
  const taskIds = options.taskIds ?? null;
  const limit = options.limit ?? 500;
  if (taskIds !== null && taskIds.length === 0) return { resolved: [], lastId: null };
  const read = await openCauses(tx, { taskIds, afterId: options.afterId ?? null, limit });
  const stale = read.filter((row) => verdictOf(row) !== null).map((row) => row.id);
  const resolved: string[] = [];
  if (stale.length > 0) {
    for (const row of await openCauses(tx, { ids: stale, lock: true })) {
      const verdict = verdictOf(row);
      if (!verdict) continue;
      const escalation = await tx.escalation.findUniqueOrThrow({ where: { id: row.id } });
      await commitEscalationChange(tx, escalation, {
        at,
        actor,
        type: ACTION_EVENT.resolve,
        patch: resolving(at, verdict.note),
        reason: verdict.note,
        details: { via: verdict.via, task_state: row.taskState },
      });
      resolved.push(row.id);
    }
  }
  return { resolved, lastId: read.length < limit ? null : (read.at(-1)?.id ?? null) };
}

const verdictOf = (row: Row) =>
  staleVerdict({ ...row, context: (row.context ?? {}) as Record<string, unknown> });

/** Open escalations with what their cause stands on: by task, after an id, or by id (locked). */
function openCauses(
  tx: Tx,
  by: { taskIds?: string[] | null; afterId?: string | null; ids?: string[]; limit?: number; lock?: boolean },
): Promise<Row[]> {
  return tx.$queryRaw<Row[]>`
    SELECT e.id, e.reason, e.context, t.state::text AS "taskState", t.blocked_since AS "blockedSince",
           t.sla_deadline AS "slaDeadline", b.state::text AS "blockerState",
           EXISTS (SELECT 1 FROM task_dependencies d
                   WHERE d.dependent_id = e.task_id AND d.blocker_id = e.context->>'blocker') AS "edgeExists"
    FROM escalations e
    JOIN tasks t ON t.id = e.task_id
    LEFT JOIN tasks b ON e.reason = 'dependency_conflict' AND b.id = e.context->>'blocker'
    WHERE e.status <> 'RESOLVED'
      AND (${by.taskIds ?? null}::text[] IS NULL OR e.task_id = ANY(${by.taskIds ?? null}::text[]))
      AND (${by.afterId ?? null}::text IS NULL OR e.id > ${by.afterId ?? null}::text)
      AND (${by.ids ?? null}::text[] IS NULL OR e.id = ANY(${by.ids ?? null}::text[]))
    ORDER BY e.id
    LIMIT ${by.limit ?? null}
    ${by.lock ? Prisma.sql`FOR UPDATE OF e SKIP LOCKED` : Prisma.empty}`;
}
