import type { Database } from "../../db/client";
import { pruneIdempotencyRecords } from "../../db/idempotency-retention";
import type { Logger } from "../../logger";
import type { ChangeBus } from "../../realtime/change-bus";
import type { EngineContext } from "../context";
import { OUTAGE_RETRY_MS, outageGuard } from "../outage";
import { sweepSchedules } from "../scheduling/schedule-sweep";
import { archiveFinishedTasks } from "../tracking/archive";
import { pruneAuditLog } from "../tracking/audit-retention";
import { pruneDeliveredEvents } from "../tracking/event-outbox";
import { catchUpRollups, compactRollups } from "../tracking/rollups";
import { syncClientIntakeSubscription } from "./client-intake-notifier";
import { sweepEventsToDeliveries } from "./delivery-sweep";
import { DeliveryWorker, type DeliveryWorkerOptions } from "./delivery-worker";
import { type IntegrationSettings, integrationSettingsFromEnv } from "./settings";

// The integrations' loops in a server process:
// - the delivery sweep (committed events → webhook deliveries), woken by every committed change
//   heard on the change bus (debounced) and by a 2 s poll; once across instances (advisory lock);
// - the delivery worker (sends due deliveries, retries), woken after the sweep and every 1 s;
// - the schedule sweep, at start and every 30 s;
// - the daily housekeeping: archive finished tasks, prune old delivery logs and inbound ids;
// - the rollup compaction, every minute: folds the metrics rollups' delta rows (rollups.ts), so
//   the metrics read one row per queue and hour, not one per change.
// Each loop runs one round at a time; an error is logged and the loop goes on.

export interface IntegrationOptions extends Partial<IntegrationSettings> {
  /** Run the delivery sweep and worker (default true). */
  deliveries?: boolean;
  /** Run the schedule sweep (default true). */
  schedules?: boolean;
  /** Run the daily archive and pruning (default true). */
  housekeeping?: boolean;
  worker?: DeliveryWorkerOptions;
  eventPollMs?: number;
  workerPollMs?: number;
  scheduleSweepMs?: number;
  housekeepingMs?: number;
  /** Between two rollup compactions (default 60 s; with the housekeeping). */
  rollupCompactMs?: number;
  /** How often the pending rollups are brought up to date (default 2 s; readers also do it first). */
  rollupCatchUpMs?: number;
  debounceMs?: number;
}

export interface Integrations {
  readonly worker: DeliveryWorker | null;
  /** Asks for a delivery sweep soon. */
  wake(): void;
  stop(): Promise<void>;
}

interface Loop {
  trigger(delayMs?: number): void;
  stop(): Promise<void>;
}

/** Runs `round` every `intervalMs` (and when triggered), never two rounds at once. */
function loop(name: string, intervalMs: number, round: () => Promise<unknown>, log: Logger): Loop {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let dueAt = Number.POSITIVE_INFINITY;
  let running: Promise<void> | undefined;
  let again = false;
  const guard = outageGuard(log, name);

  function schedule(delayMs: number): void {
    if (stopped) return;
    const at = Date.now() + delayMs;
    if (timer && at >= dueAt) return;
    clearTimeout(timer);
    dueAt = at;
    timer = setTimeout(run, delayMs);
    timer.unref();
  }

  function run(): void {
    timer = undefined;
    dueAt = Number.POSITIVE_INFINITY;
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = (async () => {
      let more = false;
      let outage = false;
      try {
        more = (await round()) === true;
        guard.succeeded();
      } catch (error) {
        outage = guard.failed(error, "integration round failed");
      } finally {
        running = undefined;
      }
      const soon = more || again;
      again = false;
      schedule(soon ? 0 : outage ? Math.min(intervalMs, OUTAGE_RETRY_MS) : intervalMs);
    })();
  }

  return {
    trigger(delayMs = 0) {
      if (running) again = true;
      else schedule(delayMs);
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}

/** Deletes delivery logs and inbound message ids older than the retention. */
export async function pruneIntegrationLogs(ctx: EngineContext, retentionDays: number) {
  const cutoff = new Date(ctx.clock.now().getTime() - retentionDays * 86_400_000);
  const deliveries = await ctx.prisma.webhookDelivery.deleteMany({
    where: { status: { in: ["succeeded", "failed"] }, completedAt: { lt: cutoff } },
  });
  const messages = await ctx.prisma.inboundWebhookMessage.deleteMany({
    where: { receivedAt: { lt: cutoff } },
  });
  return { deliveries: deliveries.count, inboundMessages: messages.count };
}

/**
 * Starts the integrations on this instance. Options default from the environment
 * (integrationSettingsFromEnv); ORCHESTRATOR_INTEGRATIONS=0 starts nothing.
 */
export async function startIntegrations(
  db: Database,
  ctx: EngineContext,
  changes: ChangeBus,
  logger: Logger,
  options: IntegrationOptions = {},
): Promise<Integrations> {
  const settings = { ...integrationSettingsFromEnv(), ...options };
  const log = logger.child({ component: "integrations" });
  if (!settings.enabled) {
    log.info("integrations off on this instance (ORCHESTRATOR_INTEGRATIONS=0)");
    return { worker: null, wake() {}, async stop() {} };
  }

  const notifying = await syncClientIntakeSubscription(ctx, settings.clientIntake);
  log.info({ clientIntake: notifying, database: db.kind }, "integrations starting");

  const loops: Loop[] = [];
  let worker: DeliveryWorker | null = null;
  let unsubscribe: (() => void) | undefined;
  let wakeSweep: (() => void) | undefined;

  if (settings.deliveries ?? true) {
    const w = new DeliveryWorker(ctx, {
      policy: settings.policy,
      concurrency: settings.concurrency,
      ...settings.worker,
    });
    worker = w;
    const sending = loop(
      "webhook-worker",
      settings.workerPollMs ?? 1_000,
      async () => {
        const result = await w.runOnce();
        if (result.failed > 0) log.warn({ failed: result.failed }, "webhook deliveries given up");
        return w.isFull(result);
      },
      log,
    );
    const sweeping = loop(
      "webhook-sweep",
      settings.eventPollMs ?? 2_000,
      async () => {
        const result = await sweepEventsToDeliveries(ctx);
        if (result.deliveries > 0) sending.trigger();
        return result.more;
      },
      log,
    );
    loops.push(sweeping, sending);
    wakeSweep = () => sweeping.trigger();
    const debounce = settings.debounceMs ?? 100;
    unsubscribe = changes.subscribe(() => sweeping.trigger(debounce));
    sweeping.trigger();
    sending.trigger();
  }

  if (settings.schedules ?? true) {
    const scheduling = loop(
      "schedule-sweep",
      settings.scheduleSweepMs ?? 30_000,
      async () => {
        const runs = await sweepSchedules(ctx);
        for (const run of runs) {
          if (run.outcome === "failed") log.warn({ run }, "scheduled run failed");
          else log.info({ run }, `scheduled run ${run.outcome}`);
        }
      },
      log,
    );
    loops.push(scheduling);
    scheduling.trigger();
  }

  if (settings.housekeeping ?? true) {
    const housekeeping = loop(
      "housekeeping",
      settings.housekeepingMs ?? 86_400_000,
      async () => {
        const archived = await archiveFinishedTasks(ctx, { afterDays: settings.archiveAfterDays });
        const logs = await pruneIntegrationLogs(ctx, settings.retentionDays);
        const events = await pruneDeliveredEvents(ctx, { retentionHours: settings.eventsRetentionHours });
        const audit = await pruneAuditLog(ctx, { retentionDays: settings.auditRetentionDays });
        await pruneIdempotencyRecords(ctx.prisma, ctx.clock.now());
        const pruned = { ...logs, events, audit };
        if (archived.length > 0 || pruned.deliveries + pruned.inboundMessages + events + audit > 0) {
          log.info({ archived: archived.length, ...pruned }, "housekeeping");
        }
      },
      log,
    );
    loops.push(housekeeping);
    // Not in the start-up rush: a minute after start, then daily.
    housekeeping.trigger(60_000);
    // Folds the rollups' delta rows; and keeps the tasks pending a resync few, so a metrics read
    // rarely has any to do first. Each runs first one period after start.
    const rollupLoops: [string, number, () => Promise<unknown>][] = [
      ["rollup-compaction", settings.rollupCompactMs ?? 60_000, () => compactRollups(ctx)],
      ["rollup-catch-up", settings.rollupCatchUpMs ?? 2_000, () => catchUpRollups(ctx)],
    ];
    for (const [name, periodMs, run] of rollupLoops) {
      const periodic = loop(name, periodMs, run, log);
      loops.push(periodic);
      periodic.trigger(periodMs);
    }
  }

  return {
    worker,
    wake() {
      wakeSweep?.();
    },
    async stop() {
      unsubscribe?.();
      await Promise.all(loops.map((l) => l.stop()));
    },
  };
}
