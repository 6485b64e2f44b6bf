import type { Actor, EngineContext, Tx } from "../context";
import { inTransaction } from "../state/transaction";
import { ACTION_EVENT, commitEscalationChange, resolving } from "./inbox";
import { ESCALATION_ACTOR } from "./raise";
import {
  BLOCKED_ESCALATION_MS,
  type BlockedTask,
  escalateBlockedTask,
  escalateSla,
  SLA_ESCALATION_MS,
  type SlaTask,
} from "./rules";

// The escalation conditions that time alone makes true (SPEC §7): a task blocked for 24 h, an
// SLA with less than 1 h left. The engine runner calls runEscalationSweeps every so often; it
// runs on one server instance at a time (a transaction-level advisory lock, not waited for),
// and each task's occurrence is escalated once: the blocking episode (blocked_since) or the
// SLA deadline is kept in the escalation's context and never escalated twice, even after the
// escalation is resolved; a new blocking or a new deadline (queue change) is a new occurrence.
// The sweep also closes the open escalations of tasks that finished (COMPLETED / CANCELLED
// elsewhere than from the inbox): nothing is left to decide on them.

/** Held for the sweep's transaction; another instance's sweep skips instead of waiting. */
export const ESCALATION_SWEEP_LOCK = "escalation-sweeps";
/** How often the runner should call runEscalationSweeps (a sweep is cheap when nothing is due). */
export const ESCALATION_SWEEP_INTERVAL_MS = 60_000;
const DEFAULT_BATCH = 200;

export interface SweepOptions {
  /** Most tasks escalated per rule and sweep; the rest wait for the next sweep. */
  batchSize?: number;
  actor?: Actor;
}

export interface SweepResult {
  /** Escalations raised by this sweep. */
  raised: number;
  /** Open escalations resolved because their task finished. */
  closed: number;
  /** True when another instance was sweeping: nothing was looked at. */
  skipped: boolean;
  byReason: Record<string, number>;
}

/**
 * Finds the tasks blocked for 24 h or more, and the live tasks whose SLA deadline is less than
 * 1 h away (or past), that were not escalated for that occurrence, and raises one escalation
 * each, in one transaction. Task rows being changed right now are skipped (SKIP LOCKED) and
 * looked at next time, so a sweep never waits for, nor escalates a state older than, a command.
 * Then resolves the open escalations whose task has finished.
 */
export function runEscalationSweeps(ctx: EngineContext, options: SweepOptions = {}): Promise<SweepResult> {
  const batch = options.batchSize ?? DEFAULT_BATCH;
  const actor = options.actor ?? ESCALATION_ACTOR;
  return inTransaction(ctx, async (tx, at) => {
    const [lock] = await tx.$queryRaw<{ locked: boolean }[]>`
      SELECT pg_try_advisory_xact_lock(hashtext(${ESCALATION_SWEEP_LOCK})) AS locked`;
    if (!lock?.locked) return { raised: 0, closed: 0, skipped: true, byReason: {} };
    const byReason: Record<string, number> = {};
    const count = (reason: string) => {
      byReason[reason] = (byReason[reason] ?? 0) + 1;
    };
    for (const task of await blockedTooLong(tx, at, batch)) {
      const { escalation, created } = await escalateBlockedTask(tx, at, task, actor);
      if (created) count(escalation.reason);
    }
    for (const task of await slaAtRisk(tx, at, batch)) {
      const raised = await escalateSla(tx, at, task, actor);
      if (raised?.created) count(raised.escalation.reason);
    }
    const raised = Object.values(byReason).reduce((a, b) => a + b, 0);
    const closed = await closeFinished(tx, at, batch, actor);
    return { raised, closed, skipped: false, byReason };
  });
}

/** BLOCKED since ≥ 24 h, with no open blocked escalation and none ever for this blocked_since. */
function blockedTooLong(tx: Tx, at: Date, limit: number): Promise<BlockedTask[]> {
  const cutoff = new Date(at.getTime() - BLOCKED_ESCALATION_MS);
  return tx.$queryRaw<BlockedTask[]>`
    SELECT t.id, t.queue_name AS "queueName", t.state::text AS state, t.blocker_reason AS "blockerReason",
           t.blocked_since AS "blockedSince"
    FROM tasks t
    WHERE t.state = 'BLOCKED' AND t.blocked_since <= ${cutoff} AND t.archived_at IS NULL
      AND NOT EXISTS (
        SELECT 1 FROM escalations e
        WHERE e.task_id = t.id AND e.reason = 'blocked_over_24h'
          AND (e.status <> 'RESOLVED' OR (e.context->>'blocked_since')::timestamptz = t.blocked_since))
    ORDER BY t.blocked_since, t.id
    LIMIT ${limit}
    FOR UPDATE OF t SKIP LOCKED`;
}

/**
 * Not finished (the SLA runs until completion: every state but COMPLETED and CANCELLED), with
 * an SLA deadline less than 1 h away or past, and no SLA escalation open or ever raised for
 * this deadline (an imminent breach that then happens is not escalated a second time).
 */
function slaAtRisk(tx: Tx, at: Date, limit: number): Promise<SlaTask[]> {
  const horizon = new Date(at.getTime() + SLA_ESCALATION_MS);
  return tx.$queryRaw<SlaTask[]>`
    SELECT t.id, t.queue_name AS "queueName", t.state::text AS state, t.sla_deadline AS "slaDeadline"
    FROM tasks t
    WHERE t.state NOT IN ('COMPLETED', 'CANCELLED') AND t.archived_at IS NULL
      AND t.sla_deadline IS NOT NULL AND t.sla_deadline < ${horizon}
      AND NOT EXISTS (
        SELECT 1 FROM escalations e
        WHERE e.task_id = t.id AND e.reason IN ('sla_breach_imminent', 'sla_breached')
          AND (e.status <> 'RESOLVED' OR (e.context->>'sla_deadline')::timestamptz = t.sla_deadline))
    ORDER BY t.sla_deadline, t.id
    LIMIT ${limit}
    FOR UPDATE OF t SKIP LOCKED`;
}

/** Open escalations of COMPLETED or CANCELLED tasks, resolved with an automatic note. */
async function closeFinished(tx: Tx, at: Date, limit: number, actor: Actor): Promise<number> {
  const rows = await tx.$queryRaw<{ id: string; taskState: string }[]>`
    SELECT e.id, t.state::text AS "taskState"
    FROM escalations e JOIN tasks t ON t.id = e.task_id
    WHERE e.status <> 'RESOLVED' AND t.state IN ('COMPLETED', 'CANCELLED')
    ORDER BY e.id
    LIMIT ${limit}
    FOR UPDATE OF e SKIP LOCKED`;
  for (const { id, taskState } of rows) {
    const escalation = await tx.escalation.findUniqueOrThrow({ where: { id } });
    const resolution = `Task ${taskState.toLowerCase()}: nothing left to decide`;
    await commitEscalationChange(tx, escalation, {
      at,
      actor,
      type: ACTION_EVENT.resolve,
      patch: resolving(at, resolution),
      reason: resolution,
      details: { via: "task_finished", task_state: taskState },
    });
  }
  return rows.length;
}
