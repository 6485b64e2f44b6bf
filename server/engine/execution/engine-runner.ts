import { EVENTS_CHANNEL } from "@/lib/events";
import type { Database, Unlisten } from "../../db/client";
import type { Logger } from "../../logger";
import type { EngineContext } from "../context";
import { runEscalationSweeps } from "../escalation/sweeps";
import { OUTAGE_RETRY_MS, outageGuard } from "../outage";
import { dispatchOnce } from "./dispatcher";
import { sweepExpiredLeases } from "./lease-sweep";
import { completeReadyParents } from "./parallel-executor";
import type { Random, RetryPolicy } from "./retry-policy";
import { Simulator, type SimulatorOptions } from "./simulator";

// The engine's loops in a server process: the dispatcher, woken at once by committed changes
// (LISTEN on the events channel, debounced), when the next planned date or retry falls due,
// and by a fallback poll; the lease sweep and the parked-parent sweep on an interval; the
// simulator when enabled. Several processes may run it on one database: dispatch serialises
// per queue on row locks, the lease sweep runs in one process at a time (advisory lock).

export interface EngineOptions {
  /** Run the dispatcher (default true). */
  dispatch?: boolean;
  /** Fallback dispatch poll when no change is heard (default 5 s). */
  pollMs?: number;
  /** Wait after a change before dispatching, to batch bursts (default 100 ms). */
  debounceMs?: number;
  /** Lease sweep and parent sweep interval (default 5 s). */
  sweepMs?: number;
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
  /** Asks for a dispatch round soon (debounced). */
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

export async function startEngine(
  db: Database,
  ctx: EngineContext,
  logger: Logger,
  options: EngineOptions = {},
): Promise<EngineRunner> {
  const log = logger.child({ component: "engine" });
  const pollMs = options.pollMs ?? 5_000;
  const debounceMs = options.debounceMs ?? 100;
  const sweepMs = options.sweepMs ?? 5_000;
  const escalationSweepMs = options.escalationSweepMs ?? 60_000;
  let lastEscalationSweep = 0;
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

  let unlisten: Unlisten | undefined;
  if (dispatchEnabled) {
    unlisten = await db.listen(
      EVENTS_CHANNEL,
      (payload) => {
        try {
          const event = JSON.parse(payload) as { type?: string };
          if (event.type && QUIET_EVENTS.has(event.type)) return;
        } catch {
          /* wake anyway */
        }
        scheduleDispatch(debounceMs);
        // After the LISTEN connection healed: changes committed meanwhile were not heard.
      },
      { onGap: () => scheduleDispatch(0) },
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
      await simulator?.stop();
      await Promise.all([inFlight, sweeping]);
      log.info("engine stopped");
    },
  };
}
