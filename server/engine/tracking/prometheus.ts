import { createHash, timingSafeEqual } from "node:crypto";
import { Counter, collectDefaultMetrics, Gauge, Registry } from "prom-client";
import type { KpiName, KpiSet, MetricsReport } from "@/lib/metrics";
import { TASK_STATES } from "@/lib/states";
import type { EngineContext } from "../context";
import { collectMetrics } from "./metrics-collector";

// Prometheus exposition of the engine, scraped at GET /api/metrics (bearer token METRICS_TOKEN).
// Gauges are computed at scrape time in collect(): the metrics below cost a few queries per
// scrape, shared by all gauges of that scrape. Each registry is its own (never prom-client's
// global one) so tests are isolated; the server keeps one per process on globalThis, because
// Next's route bundle has its own copies of modules.

/** Label value for the KPIs over all queues. */
export const ALL_QUEUES_LABEL = "all";

/** The KPIs exported over this trailing window (the wall's "today"). */
export const KPI_WINDOW_HOURS = 24;

// --- Counters the engine increments --------------------------------------------------------------

export const ENGINE_COUNTER_DEFS = {
  transitions: {
    name: "orchestrator_transitions_total",
    help: "State transitions committed, by from and to state",
    labelNames: ["from", "to"],
  },
  dispatches: {
    name: "orchestrator_dispatches_total",
    help: "Tasks handed to an executor, by queue",
    labelNames: ["queue"],
  },
  retries: {
    name: "orchestrator_retries_total",
    help: "Retries after a failure, by queue",
    labelNames: ["queue"],
  },
  escalations: {
    name: "orchestrator_escalations_created_total",
    help: "Escalations raised, by reason",
    labelNames: ["reason"],
  },
} as const;

export type EngineCounterName = keyof typeof ENGINE_COUNTER_DEFS;
export type EngineCounters = Record<EngineCounterName, Counter>;

/** A fresh set of engine counters, in no registry (tests; the process uses engineCounters()). */
export function createEngineCounters(): EngineCounters {
  const entries = Object.entries(ENGINE_COUNTER_DEFS).map(([key, def]) => [
    key,
    new Counter({ name: def.name, help: def.help, labelNames: [...def.labelNames], registers: [] }),
  ]);
  return Object.fromEntries(entries) as EngineCounters;
}

const COUNTERS_KEY = Symbol.for("task-orchestrator.engine-counters");
const REGISTRY_KEY = Symbol.for("task-orchestrator.prometheus-registry");

type GlobalWithMetrics = typeof globalThis & {
  [COUNTERS_KEY]?: EngineCounters;
  [REGISTRY_KEY]?: { ctx: EngineContext; registry: Registry };
};

/** The process's engine counters, shared by the engine and the /api/metrics route bundle. */
export function engineCounters(): EngineCounters {
  const g = globalThis as GlobalWithMetrics;
  g[COUNTERS_KEY] ??= createEngineCounters();
  return g[COUNTERS_KEY];
}

/**
 * For the engine: count something that happened, e.g.
 * `incrementEngineCounter("transitions", { from: "QUEUED", to: "SCHEDULED" })`.
 * Labels not declared for the counter throw (prom-client), so a typo shows up in tests.
 */
export function incrementEngineCounter(
  name: EngineCounterName,
  labels: Record<string, string> = {},
  value = 1,
): void {
  engineCounters()[name].inc(labels, value);
}

// --- Gauges computed at scrape time -----------------------------------------------------------

interface EngineSnapshot {
  tasks: { queue_name: string; state: string; count: number }[];
  queues: { name: string; capacity: number | null }[];
  escalations: { status: string; count: number }[];
  kpis: MetricsReport;
}

const OPEN_ESCALATION_STATUSES = ["OPEN", "ACKNOWLEDGED"] as const;

async function loadSnapshot(ctx: EngineContext): Promise<EngineSnapshot> {
  const to = ctx.clock.now();
  const from = new Date(to.getTime() - KPI_WINDOW_HOURS * 3_600_000);
  const [tasks, queues, escalations, kpis] = await Promise.all([
    ctx.prisma.$queryRaw<EngineSnapshot["tasks"]>`
      SELECT queue_name, state::text AS state, count(*)::int AS count
      FROM tasks WHERE archived_at IS NULL GROUP BY queue_name, state`,
    ctx.prisma.queue.findMany({ select: { name: true, capacity: true }, orderBy: { sortOrder: "asc" } }),
    ctx.prisma.$queryRaw<EngineSnapshot["escalations"]>`
      SELECT status::text AS status, count(*)::int AS count
      FROM escalations WHERE status <> 'RESOLVED' GROUP BY status`,
    collectMetrics(ctx, { from, to }, { series: false }),
  ]);
  return { tasks, queues, escalations, kpis };
}

/** One load per scrape: the gauges' collect() run together and share the in-flight load. */
function sharedLoad<T>(load: () => Promise<T>): () => Promise<T> {
  let inflight: Promise<T> | null = null;
  return () => {
    inflight ??= load().finally(() => {
      inflight = null;
    });
    return inflight;
  };
}

type KpiGaugeSpec = {
  name: string;
  help: string;
  kpi: KpiName;
  /** Percentages are exported as 0..1 ratios, the Prometheus convention. */
  scale: number;
};

const KPI_GAUGES: KpiGaugeSpec[] = [
  {
    name: "orchestrator_kpi_queue_time_seconds",
    help: `Mean queue time of tasks started in the last ${KPI_WINDOW_HOURS}h`,
    kpi: "queueTime",
    scale: 1,
  },
  {
    name: "orchestrator_kpi_sla_compliance_ratio",
    help: `Share of SLAs met among those decided in the last ${KPI_WINDOW_HOURS}h`,
    kpi: "slaCompliance",
    scale: 0.01,
  },
  {
    name: "orchestrator_kpi_throughput_per_day",
    help: `Tasks completed per day over the last ${KPI_WINDOW_HOURS}h`,
    kpi: "throughput",
    scale: 1,
  },
  {
    name: "orchestrator_kpi_error_ratio",
    help: `Share of active tasks that were FAILED in the last ${KPI_WINDOW_HOURS}h`,
    kpi: "errorRate",
    scale: 0.01,
  },
  {
    name: "orchestrator_kpi_retry_ratio",
    help: `Share of active tasks retried in the last ${KPI_WINDOW_HOURS}h`,
    kpi: "retryRate",
    scale: 0.01,
  },
  {
    name: "orchestrator_kpi_blocked_ratio",
    help: `Share of active tasks that were BLOCKED in the last ${KPI_WINDOW_HOURS}h`,
    kpi: "blockedRate",
    scale: 0.01,
  },
];

/** Each KPI set of the snapshot with its queue label: per queue, and "all". */
function kpiSets(report: MetricsReport): { queue: string; kpis: KpiSet }[] {
  return [
    { queue: ALL_QUEUES_LABEL, kpis: report.overall },
    ...report.queues.map((q) => ({ queue: q.queue, kpis: q.kpis })),
  ];
}

export interface PrometheusOptions {
  /** Engine counters to expose; default the process's own (engineCounters()). */
  counters?: EngineCounters;
  /** Also expose prom-client's process metrics (CPU, memory, event loop). */
  defaultMetrics?: boolean;
}

/** A new registry exposing the engine's gauges (computed from `ctx` at scrape time) and counters. */
export function createPrometheusRegistry(ctx: EngineContext, options: PrometheusOptions = {}): Registry {
  const registry = new Registry();
  const snapshot = sharedLoad(() => loadSnapshot(ctx));
  const registers = [registry];

  new Gauge({
    name: "orchestrator_tasks",
    help: "Tasks (not archived) by queue and state",
    labelNames: ["queue", "state"],
    registers,
    async collect() {
      const { tasks, queues } = await snapshot();
      this.reset();
      for (const q of queues) for (const state of TASK_STATES) this.set({ queue: q.name, state }, 0);
      for (const row of tasks) this.set({ queue: row.queue_name, state: row.state }, row.count);
    },
  });

  new Gauge({
    name: "orchestrator_queue_in_progress",
    help: "Tasks IN_PROGRESS by queue (with SCHEDULED ones, the slots capacity limits)",
    labelNames: ["queue"],
    registers,
    async collect() {
      const { tasks, queues } = await snapshot();
      this.reset();
      for (const q of queues) {
        const row = tasks.find((t) => t.queue_name === q.name && t.state === "IN_PROGRESS");
        this.set({ queue: q.name }, row?.count ?? 0);
      }
    },
  });

  new Gauge({
    name: "orchestrator_queue_capacity",
    help: "Max slots in use (SCHEDULED + IN_PROGRESS) at once by queue (unlimited queues are not listed)",
    labelNames: ["queue"],
    registers,
    async collect() {
      const { queues } = await snapshot();
      this.reset();
      for (const q of queues) if (q.capacity !== null) this.set({ queue: q.name }, q.capacity);
    },
  });

  new Gauge({
    name: "orchestrator_escalations_open",
    help: "Escalations not resolved, by status",
    labelNames: ["status"],
    registers,
    async collect() {
      const { escalations } = await snapshot();
      this.reset();
      for (const status of OPEN_ESCALATION_STATUSES) {
        this.set({ status }, escalations.find((e) => e.status === status)?.count ?? 0);
      }
    },
  });

  for (const spec of KPI_GAUGES) {
    new Gauge({
      name: spec.name,
      help: `${spec.help} (queue="${ALL_QUEUES_LABEL}" over all queues; absent when nothing was measured)`,
      labelNames: ["queue"],
      registers,
      async collect() {
        const { kpis } = await snapshot();
        this.reset();
        for (const { queue, kpis: set } of kpiSets(kpis)) {
          const value = set[spec.kpi].value;
          if (value !== null) this.set({ queue }, value * spec.scale);
        }
      },
    });
  }

  new Gauge({
    name: "orchestrator_kpi_cycle_time_seconds",
    help: `Cycle time (created to completed) of tasks completed in the last ${KPI_WINDOW_HOURS}h: mean, p50, p90`,
    labelNames: ["queue", "stat"],
    registers,
    async collect() {
      const { kpis } = await snapshot();
      this.reset();
      for (const { queue, kpis: set } of kpiSets(kpis)) {
        const { value, p50, p90 } = set.cycleTime;
        if (value !== null) this.set({ queue, stat: "mean" }, value);
        if (p50 !== null) this.set({ queue, stat: "p50" }, p50);
        if (p90 !== null) this.set({ queue, stat: "p90" }, p90);
      }
    },
  });

  new Gauge({
    name: "orchestrator_kpi_target_met",
    help: `1 when the KPI over the last ${KPI_WINDOW_HOURS}h meets its target, 0 when it misses it (absent without target or data)`,
    labelNames: ["kpi", "queue"],
    registers,
    async collect() {
      const { kpis } = await snapshot();
      this.reset();
      for (const { queue, kpis: set } of kpiSets(kpis)) {
        for (const k of Object.values(set)) {
          if (k.status === "pass" || k.status === "fail") {
            this.set({ kpi: k.name, queue }, k.status === "pass" ? 1 : 0);
          }
        }
      }
    },
  });

  for (const counter of Object.values(options.counters ?? engineCounters())) registry.registerMetric(counter);
  if (options.defaultMetrics) collectDefaultMetrics({ register: registry });
  return registry;
}

/** The process's registry for `ctx` (built on first use, with process metrics). */
export function prometheusRegistry(ctx: EngineContext): Registry {
  const g = globalThis as GlobalWithMetrics;
  const held = g[REGISTRY_KEY];
  if (held && held.ctx === ctx) return held.registry;
  const registry = createPrometheusRegistry(ctx, { defaultMetrics: true });
  g[REGISTRY_KEY] = { ctx, registry };
  return registry;
}

// --- Scrape authentication ---------------------------------------------------------------------

export type ScrapeAccess = "ok" | "disabled" | "unauthorized";

const digest = (value: string) => createHash("sha256").update(value).digest();

/**
 * `Authorization: Bearer <token>` against METRICS_TOKEN: "disabled" when no token is configured
 * (the endpoint answers 404), "unauthorized" for a missing or wrong one. Constant-time compare.
 */
export function checkScrapeToken(authorization: string | null, expected: string | undefined): ScrapeAccess {
  if (!expected) return "disabled";
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization ?? "");
  if (!match?.[1]) return "unauthorized";
  return timingSafeEqual(digest(match[1]), digest(expected)) ? "ok" : "unauthorized";
}
