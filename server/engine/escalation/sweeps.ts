import { Prisma } from "../../db/generated/client";
import type { Actor, EngineContext, Tx } from "../context";
import { refreshSlaClocks } from "../sla/refresh-sla";
import { inTransaction } from "../state/transaction";
import { resolveStaleEscalations, resolveStaleSlice } from "./auto-resolve";
import { raiseDueLevels } from "./levels";
import { ESCALATION_ACTOR } from "./raise";
import { BLOCKED_ESCALATION_MS, type BlockedTask, escalateBlockedTask } from "./rules";
import {
  escalateSlaBreached,
  escalateSlaImminent,
  SLA_ESCALATION_MS,
  type SlaTask,
  upgradeToBreached,
} from "./sla-rules";
import { changesSinceLastPass, type SweepChanges } from "./sweep-changes";
import { sweepForecasts } from "./sweep-forecasts";

// The escalation conditions that time alone makes true (SPEC §7): a task blocked for 24 h, an
// SLA deadline less than 1 h away that the forecast says will be missed, an SLA deadline that
// passed. The engine runner calls runEscalationSweeps every so often; it runs on one server
// instance at a time (a transaction-level advisory lock, not waited for), and each task's
// occurrence is escalated once: the blocking episode (blocked_since) or the SLA deadline is
// kept in the escalation's context and never escalated twice, even after the escalation is
// resolved; a new blocking or a new deadline (queue change) is a new occurrence. The sweep
// first resolves the open escalations whose cause went away (auto-resolve.ts). A pass refreshes
// the clocks and forecasts of what changed since the last one (sweep-changes.ts), and a rolling
// slice of everything (every live clock, every open escalation, in turn), the safety net for
// what changes without an event: each pass costs about the same, where a full pass every 10 min
// used to cost 300 ms at 10,000 live tasks.

/** Held for the sweep's transaction; another instance's sweep skips instead of waiting. */
export const ESCALATION_SWEEP_LOCK = "escalation-sweeps";
/** How often the runner should call runEscalationSweeps (a sweep is cheap when nothing is due). */
export const ESCALATION_SWEEP_INTERVAL_MS = 60_000;
const DEFAULT_BATCH = 200;
/**
 * Open escalations, then live clocks, looked at by each pass's rolling check, in turn: at the
 * runner's one pass a minute, 1,000 escalations per 10 min, as the full pass every 10 min did,
 * and 500 clocks (a clock is computed from its task's history: about 60 µs each; every change
 * of a task refreshes its clock anyway, this walk is the net under a lost notification).
 */
const ROLLING_ESCALATIONS = 100;
const ROLLING_CLOCKS = 50;

export interface SweepOptions {
  /** Most tasks escalated per rule and sweep; the rest wait for the next sweep. */
  batchSize?: number;
  actor?: Actor;
  /** Look at everything, not only what changed since the last pass (sweep-changes.ts). */
  full?: boolean;
  /** Live clocks and open escalations of the rolling check per pass (default 50 and 100). */
  rollingSlice?: number;
}

export interface SweepResult {
  /** Escalations raised by this sweep. */
  raised: number;
  /** Open escalations resolved because their cause went away (auto-resolve.ts). */
  closed: number;
  /** Open imminent escalations whose deadline passed: now "sla_breached". */
  upgraded: number;
  /** Unacknowledged escalations moved to their policy's next level (levels.ts). */
  levelsRaised: number;
  /** True when another instance was sweeping: nothing was looked at. */
  skipped: boolean;
  byReason: Record<string, number>;
}

/**
 * In one transaction: resolves the open escalations whose cause went away; raises one for each
 * task blocked for 24 h or more, each live task whose SLA deadline is less than 1 h away and
 * forecast to be missed, each past deadline (upgrading the open imminent one), not escalated
 * yet for that occurrence. Task rows being changed right now are skipped (SKIP LOCKED) and
 * looked at next time, so a sweep never waits for, nor escalates a state older than, a command.
 */
export function runEscalationSweeps(ctx: EngineContext, options: SweepOptions = {}): Promise<SweepResult> {
  const batch = options.batchSize ?? DEFAULT_BATCH;
  const actor = options.actor ?? ESCALATION_ACTOR;
  return inTransaction(ctx, async (tx, at) => {
    const [lock] = await tx.$queryRaw<{ locked: boolean }[]>`
      SELECT pg_try_advisory_xact_lock(hashtext(${ESCALATION_SWEEP_LOCK})) AS locked`;
    if (!lock?.locked)
      return { raised: 0, closed: 0, upgraded: 0, levelsRaised: 0, skipped: true, byReason: {} };
    const byReason: Record<string, number> = {};
    let upgraded = 0;
    const count = (reason: string) => {
      byReason[reason] = (byReason[reason] ?? 0) + 1;
    };
    // The clocks first (pauses, business hours), then what no longer stands (a deadline that
    // moved is then judged afresh below).
    const { changes, state } = await changesSinceLastPass(tx, at, ctx.prisma, { full: options.full });
    const slice = (rolling: number) => (changes.full ? batch * 5 : (options.rollingSlice ?? rolling));
    state.refreshCursor = (
      await refreshSlaClocks(tx, at, {
        afterId: state.refreshCursor ?? undefined,
        limit: slice(ROLLING_CLOCKS),
      })
    ).lastId;
    await refreshSlaClocks(tx, at, { taskIds: changes.taskIds, limit: changes.taskIds.length });
    // A cause goes away with a change of its task or of a blocker (a dependent is in the changes);
    // one that went away without an event is found by the rolling slice.
    const rolling = await resolveStaleSlice(tx, at, {
      afterId: state.resolveCursor ?? undefined,
      limit: slice(ROLLING_ESCALATIONS),
      actor,
    });
    state.resolveCursor = rolling.lastId;
    const changed = changes.full
      ? []
      : await resolveStaleEscalations(tx, at, { taskIds: changes.taskIds, limit: batch * 5, actor });
    const closed = rolling.resolved.length + changed.length;
    for (const task of await blockedTooLong(tx, at, batch)) {
      const { escalation, created } = await escalateBlockedTask(tx, at, task, actor);
      if (created) count(escalation.reason);
    }
    const imminent = await slaWithinTheHour(tx, at, batch);
    // The imminent rule reads forecasts, and first forecasts are kept to be checked against
    // what happens (forecast/forecast-record.ts): the changed queues' (sweep-forecasts.ts).
    const forecasts = await sweepForecasts(tx, at, state, changes, imminent);
    // Only the tasks forecast to miss are locked (SKIP LOCKED: one being changed is judged next
    // time); those that make it are left alone, so the dispatcher never skips them for us.
    const missing = imminent.filter((t) => forecasts.get(t.id)?.breach !== false);
    const lockedIds = await lockLive(
      tx,
      missing.map((t) => t.id),
    );
    for (const task of missing.filter((t) => lockedIds.has(t.id))) {
      const raised = escalateSlaImminent(tx, at, task, forecasts.get(task.id) ?? null, actor);
      if (raised && (await raised).created) count("sla_breach_imminent");
    }
    for (const task of await slaPassed(tx, at, batch, changes)) {
      if (task.openImminentId) {
        const open = await tx.escalation.findUniqueOrThrow({ where: { id: task.openImminentId } });
        await upgradeToBreached(tx, at, open, task, actor);
        upgraded += 1;
      } else if ((await escalateSlaBreached(tx, at, task, actor)).created) count("sla_breached");
    }
    const raised = Object.values(byReason).reduce((a, b) => a + b, 0);
    const levelsRaised = await raiseDueLevels(tx, at, actor, batch);
    return { raised, closed, upgraded, levelsRaised, skipped: false, byReason };
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

/** The SLA runs until the task finishes (a paused clock has no deadline: queue/sla-clock.ts). */
const LIVE_WITH_SLA = Prisma.sql`
  t.state NOT IN ('COMPLETED', 'CANCELLED') AND t.archived_at IS NULL AND t.sla_deadline IS NOT NULL`;

/**
 * Live, with an SLA deadline less than 1 h away (not yet passed), and no SLA escalation open nor
 * ever raised for this deadline; read without locking. The forecast then decides (sla-rules.ts):
 * a task that will make it stays a candidate, and is looked at again on the next sweep.
 */
function slaWithinTheHour(tx: Tx, at: Date, limit: number): Promise<(SlaTask & { slaDeadline: Date })[]> {
  const horizon = new Date(at.getTime() + SLA_ESCALATION_MS);
  return tx.$queryRaw<(SlaTask & { slaDeadline: Date })[]>`
    SELECT t.id, t.queue_name AS "queueName", t.state::text AS state, t.sla_deadline AS "slaDeadline"
    FROM tasks t
    WHERE ${LIVE_WITH_SLA} AND t.sla_deadline > ${at} AND t.sla_deadline < ${horizon}
      AND NOT EXISTS (
        SELECT 1 FROM escalations e
        WHERE e.task_id = t.id AND e.reason IN ('sla_breach_imminent', 'sla_breached')
          AND (e.status <> 'RESOLVED' OR (e.context->>'sla_deadline')::timestamptz = t.sla_deadline))
    ORDER BY t.sla_deadline, t.id
    LIMIT ${limit}`;
}

/** Locks the given task rows that nobody else holds (SKIP LOCKED); returns their ids. */
async function lockLive(tx: Tx, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await tx.$queryRaw<{ id: string }[]>`
    SELECT id FROM tasks WHERE id = ANY(${ids}::text[]) ORDER BY id FOR UPDATE SKIP LOCKED`;
  return new Set(rows.map((r) => r.id));
}

/**
 * Live, past its SLA deadline, not yet escalated as breached for it: with the id of the open
 * imminent escalation to upgrade, if any. A deadline whose SLA escalation a person resolved is
 * left alone (they decided: "client agreed to a delay"). Most passes look only at the deadlines
 * passed since the pass before last and the tasks changed since (a deadline moved into the
 * past): those passed earlier were escalated then, or are left to the pass every RECHECK_MS
 * that looks at every one (a row locked, a batch overflowing).
 */
function slaPassed(
  tx: Tx,
  at: Date,
  limit: number,
  changes: SweepChanges,
): Promise<(SlaTask & { slaDeadline: Date; openImminentId: string | null })[]> {
  return tx.$queryRaw<(SlaTask & { slaDeadline: Date; openImminentId: string | null })[]>`
    SELECT t.id, t.queue_name AS "queueName", t.state::text AS state, t.sla_deadline AS "slaDeadline",
           (SELECT e.id FROM escalations e
            WHERE e.task_id = t.id AND e.reason = 'sla_breach_imminent' AND e.status <> 'RESOLVED') AS "openImminentId"
    FROM tasks t
    WHERE ${LIVE_WITH_SLA} AND t.sla_deadline <= ${at}
      ${
        changes.since
          ? Prisma.sql`AND (t.sla_deadline > ${changes.since} OR t.id = ANY(${changes.taskIds}::text[]))`
          : Prisma.empty
      }
      AND NOT EXISTS (
        SELECT 1 FROM escalations e
        WHERE e.task_id = t.id AND e.reason IN ('sla_breach_imminent', 'sla_breached')
          AND ((e.status <> 'RESOLVED' AND e.reason = 'sla_breached')
               OR (e.status = 'RESOLVED' AND (e.context->>'sla_deadline')::timestamptz = t.sla_deadline)))
    ORDER BY t.sla_deadline, t.id
    LIMIT ${limit}
    FOR UPDATE OF t SKIP LOCKED`;
}
