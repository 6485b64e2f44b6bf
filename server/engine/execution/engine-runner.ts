import { EVENTS_CHANNEL, type EventsNotice, parseEventsNotice, wakingTypes } from "@/lib/events";
import type { Database, Unlisten } from "../../db/client";
import type { Logger } from "../../logger";
import type { EngineContext } from "../context";
import { followTaskChanges } from "../escalation/follow-changes";
import { runEscalationSweeps } from "../escalation/sweeps";
import { OUTAGE_RETRY_MS, outageGuard } from "../outage";
import { reconcileSlots } from "../queue/capacity-monitor";
import { dispatchOnce, dispatchQueue } from "./dispatcher";
import { sweepExpiredLeases } from "./lease-sweep";
import { completeReadyParents } from "./parallel-executor";
import { QueueRounds } from "./queue-rounds";
import type { Random, RetryPolicy } from "./retry-policy";
import { Simulator, type SimulatorOptions } from "./simulator";

// The engine's loops in a server process: the dispatcher, woken at once by committed changes
// (LISTEN on the events channel; wake-ups coalesce: one round in flight, re-run if woken meanwhile), when the next planned date or retry falls due,
// and by a fallback poll; the lease sweep and the parked-parent sweep on an interval; the
// simulator when enabled. Several processes may run it on one database: dispatch serialises
// per queue on row locks, the lease sweep runs in one process at a time (advisory lock).

export interface EngineOptions {
  /** Run the dispatcher (default true). */
  dispatch?: boolean;
  /** Fallback dispatch poll when no change is heard (default 5 s). */
  pollMs?: number;
  /**
   * Wait after a change before dispatching (default 0: none). Wake-ups coalesce instead: at
   * most one round is in flight, and one woken meanwhile runs again right after it.
   */
  debounceMs?: number;
  /** Lease sweep and parent sweep interval (default 5 s). */
  sweepMs?: number;
  /** Slots-in-use reconcile (queue_slots against a count; drift is logged) interval (default 60 s; 0 = off). */
  reconcileMs?: number;
  /** Escalation sweeps (blocked > 24 h, SLA < 1 h) interval (default 60 s; 0 = off). */
  escalationSweepMs?: number;
  batchLimit?: number;
  retryPolicy?: RetryPolicy;
  random?: Random;
  /** The built-in simulated executor; false (default) = off. */
  simulator?: SimulatorOptions | false;
  /** This server's public base URL, for the callback URLs of webhook pushes (webhook-push.ts). */
  publicUrl?: string;
}

export interface EngineRunner {
  /** Asks for a dispatch round now (or right after the one in flight). */
  wake(): void;
  readonly simulator: Simulator | null;
  /** Stops the loops and waits for the work in flight. */
  stop(): Promise<void>;
}

/** Changes that cannot free a slot nor make a task eligible: no need to dispatch. */
const QUIET_EVENTS = new Set([
  "task.scheduled",
  "task.heartbeat",
  "task.progress",
  "task.claimed",
  "task.step_advanced",
]);

/** The notified kinds of change that may give the dispatcher work (wakingTypes, lib/events.ts). */
export function dispatchWakingTypes(notice: EventsNotice): string[] {
  return wakingTypes(notice).filter((type) => !QUIET_EVENTS.has(type));
}

/**
 * Changes whose follow-up is all in their queue's round (a slot freed, a task made eligible):
 * no full round needed. Anything else (a retry to plan, an unblocked task to resume, a push to
 * a webhook executor) also wakes the full round, which covers every queue.
 */
const QUEUE_ROUND_COVERS = new Set([
  "task.queued",
  "task.completed",
  "task.cancelled",
  "task.on_hold",
  "task.blocked",
  "task.unblocked_by_dependency",
  "task.reordered",
]);

export async function startEngine(
  db: Database,
  ctx: EngineContext,
  logger: Logger,
  options: EngineOptions = {},
): Promise<EngineRunner> {
  const log = logger.child({ component: "engine" });
  const pollMs = options.pollMs ?? 5_000;
  const debounceMs = options.debounceMs ?? 0;
  const sweepMs = options.sweepMs ?? 5_000;
  const escalationSweepMs = options.escalationSweepMs ?? 60_000;
  let lastEscalationSweep = 0;
  const reconcileMs = options.reconcileMs ?? 60_000;
  let lastReconcile = Date.now();
  const dispatchEnabled = options.dispatch ?? true;
  let stopped = false;
  let wakeTimer: NodeJS.Timeout | undefined;
  let wakeAt = Number.POSITIVE_INFINITY;
  let inFlight: Promise<void> | undefined;
  let again = false;
  const dispatchOutage = outageGuard(log, "dispatch");
  const sweepOutage = outageGuard(log, "sweep");

  /** Runs a dispatch round no later than `delayMs` from now. */
  function scheduleDispatch(delayMs: number): void {
    if (stopped || !dispatchEnabled) return;
    const at = Date.now() + Math.max(0, delayMs);
    if (wakeTimer && at >= wakeAt) return;
    clearTimeout(wakeTimer);
    wakeAt = at;
    wakeTimer = setTimeout(runDispatch, Math.max(0, delayMs));
    wakeTimer.unref();
  }

  function runDispatch(): void {
    wakeTimer = undefined;
    wakeAt = Number.POSITIVE_INFINITY;
    if (stopped) return;
    if (inFlight) {
      again = true;
      return;
    }
    inFlight = (async () => {
      let next = pollMs;
      try {
        const result = await dispatchOnce(ctx, {
          batchLimit: options.batchLimit,
          publicUrl: options.publicUrl,
        });
        if (result.scheduled.length + result.restarted.length + result.pushed.length > 0) {
          log.debug(
            {
              scheduled: result.scheduled.length,
              restarted: result.restarted.length,
              pushed: result.pushed.length,
            },
            "dispatched",
          );
        }
        if (result.more) next = 0;
        if (result.nextDueAt)
          next = Math.min(next, result.nextDueAt.getTime() - ctx.clock.now().getTime() + 5);
        dispatchOutage.succeeded();
      } catch (error) {
        dispatchOutage.failed(error, "dispatch round failed");
        next = Math.min(next, OUTAGE_RETRY_MS);
      } finally {
        inFlight = undefined;
      }
      if (again) {
        again = false;
        next = 0;
      }
      scheduleDispatch(next);
    })();
  }

  // Escalations whose cause a task change took away are resolved right after it (follow-changes.ts).
  const escalationFollower = followTaskChanges(ctx, {
    onError: (error) => log.error({ err: error }, "escalation auto-resolution failed"),
  });
  // A change in a queue wakes that queue's round at once (queue-rounds.ts); changes the queue
  // round does not cover (a retry, an unblock, an unknown kind) wake the whole round too.
  const queueRounds = new QueueRounds(
    (queue) => dispatchQueue(ctx, queue, options.batchLimit, { publicUrl: options.publicUrl }, false),
    (queue, error) => {
      log.error({ err: error, queue }, "queue dispatch round failed");
      scheduleDispatch(1_000);
    },
  );
  let unlisten: Unlisten | undefined;
  if (dispatchEnabled || escalationSweepMs > 0) {
    unlisten = await db.listen(
      EVENTS_CHANNEL,
      (payload) => {
        const notice = parseEventsNotice(payload);
        if (notice && escalationSweepMs > 0) escalationFollower.heard(notice.ids, notice.types);
        if (!dispatchEnabled) return;
        if (!notice) return scheduleDispatch(debounceMs);
        const loud = dispatchWakingTypes(notice);
        if (loud.length === 0) return;
        if (debounceMs === 0) for (const queue of notice.queues) queueRounds.wake(queue);
        if (debounceMs > 0 || loud.some((type) => !QUEUE_ROUND_COVERS.has(type)))
          scheduleDispatch(debounceMs);
      },
      // After the LISTEN connection healed: changes committed meanwhile were not heard.
      { onGap: () => dispatchEnabled && scheduleDispatch(0) },
    );
  }

  let sweepTimer: NodeJS.Timeout | undefined;
  let sweeping: Promise<void> | undefined;
  function scheduleSweep(): void {
    if (stopped) return;
    sweepTimer = setTimeout(() => {
      sweeping = (async () => {
        try {
          const swept = await sweepExpiredLeases(ctx, {
            policy: options.retryPolicy,
            random: options.random,
          });
          if (swept.expired.length > 0)
            log.warn({ tasks: swept.expired }, "leases expired: tasks sent to retry");
          const parents = await completeReadyParents(ctx);
          if (parents.length > 0) log.info({ tasks: parents }, "parents completed by sweep");
          if (reconcileMs > 0 && Date.now() - lastReconcile >= reconcileMs) {
            lastReconcile = Date.now();
            const drift = await reconcileSlots(ctx);
            if (drift.length > 0) log.warn({ drift }, "slots in use drifted from the count: corrected");
          }
          if (escalationSweepMs > 0 && Date.now() - lastEscalationSweep >= escalationSweepMs) {
            lastEscalationSweep = Date.now();
            const escalations = await runEscalationSweeps(ctx);
            if (escalations.raised || escalations.closed) log.warn(escalations, "escalation sweep");
          }
          sweepOutage.succeeded();
        } catch (error) {
          sweepOutage.failed(error, "sweep failed");
        } finally {
          sweeping = undefined;
        }
        scheduleSweep();
      })();
    }, sweepMs);
    sweepTimer.unref();
  }

  const simulator = options.simulator
    ? new Simulator(ctx, logger, { random: options.random, ...options.simulator })
    : null;

  scheduleDispatch(0);
  scheduleSweep();
  simulator?.start();
  log.info({ dispatch: dispatchEnabled, simulator: simulator?.workerId ?? false }, "engine started");

  return {
    simulator,
    wake: () => scheduleDispatch(debounceMs),
    async stop() {
      if (stopped) return;
      stopped = true;
      clearTimeout(wakeTimer);
      clearTimeout(sweepTimer);
      await unlisten?.();
      escalationFollower.stop();
      await simulator?.stop();
      await Promise.all([inFlight, sweeping, queueRounds.stop(), escalationFollower.flush()]);
      log.info("engine stopped");
    },
  };
}
