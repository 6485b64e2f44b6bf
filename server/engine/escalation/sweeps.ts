import type { Actor, EngineContext, Tx } from "../context";
import { refreshSlaClocks } from "../sla/refresh-sla";
import { inTransaction } from "../state/transaction";
import { resolveStaleEscalations, resolveStaleSlice } from "./auto-resolve";
import { raiseDueLevels } from "./levels";
import { ESCALATION_ACTOR } from "./raise";
import { escalateBlockedTask } from "./rules";
import { escalateSlaBreached, escalateSlaImminent, upgradeToBreached } from "./sla-rules";
import { changesSinceLastPass } from "./sweep-changes";
import { dueCandidates } from "./sweep-due";
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
    // The clocks first (pauses, business hours), then what no longer stands (a deadline that
    // moved is then judged afresh below).
    const pass = await changesSinceLastPass(tx, at, ctx.prisma, {
      full: options.full,
      lock: ESCALATION_SWEEP_LOCK,
    });
    if (!pass) return { raised: 0, closed: 0, upgraded: 0, levelsRaised: 0, skipped: true, byReason: {} };
    const { changes, state } = pass;
    const byReason: Record<string, number> = {};
    let upgraded = 0;
    const count = (reason: string) => {
      byReason[reason] = (byReason[reason] ?? 0) + 1;
    };
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
    // What time alone made true, every rule's candidates read at once (sweep-due.ts), after the
    // resolutions: an occurrence whose escalation was just resolved can be raised anew.
    const due = await dueCandidates(tx, at, changes, batch);
    for (const task of due.blocked) {
      const { escalation, created } = await escalateBlockedTask(tx, at, task, actor);
      if (created) count(escalation.reason);
    }
    // The imminent rule reads forecasts, and first forecasts are kept to be checked against
    // what happens (forecast/forecast-record.ts): the changed queues' (sweep-forecasts.ts).
    const forecasts = await sweepForecasts(tx, at, state, changes, due.imminent);
    // Only the tasks forecast to miss are locked (SKIP LOCKED: one being changed is judged next
    // time); those that make it are left alone, so the dispatcher never skips them for us.
    const missing = due.imminent.filter((t) => forecasts.get(t.id)?.breach !== false);
    const lockedIds = await lockLive(
      tx,
      missing.map((t) => t.id),
    );
    for (const task of missing.filter((t) => lockedIds.has(t.id))) {
      const raised = escalateSlaImminent(tx, at, task, forecasts.get(task.id) ?? null, actor);
      if (raised && (await raised).created) count("sla_breach_imminent");
    }
    for (const task of due.passed) {
      if (task.openImminentId) {
        const open = await tx.escalation.findUniqueOrThrow({ where: { id: task.openImminentId } });
        await upgradeToBreached(tx, at, open, task, actor);
        upgraded += 1;
      } else if ((await escalateSlaBreached(tx, at, task, actor)).created) count("sla_breached");
    }
    const raised = Object.values(byReason).reduce((a, b) => a + b, 0);
    const levelsRaised = await raiseDueLevels(tx, at, actor, due.levels, batch);
    return { raised, closed, upgraded, levelsRaised, skipped: false, byReason };
  });
}

/** Locks the given task rows that nobody else holds (SKIP LOCKED); returns their ids. */
async function lockLive(tx: Tx, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await tx.$queryRaw<{ id: string }[]>`
    SELECT id FROM tasks WHERE id = ANY(${ids}::text[]) ORDER BY id FOR UPDATE SKIP LOCKED`;
  return new Set(rows.map((r) => r.id));
}
