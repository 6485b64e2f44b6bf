import type { QueueName } from "./queues";
import type { TaskStateName } from "./states";

// The seven key metrics of the seed ("Métriques Clés", SPEC §6): names, targets and the shapes
// the metrics API returns, shared by the engine (metrics-collector) and the UI (dashboard, wall).
// Exact definitions: docs in server/engine/tracking/metrics-collector.ts.

export const KPI_NAMES = [
  "queueTime",
  "cycleTime",
  "slaCompliance",
  "throughput",
  "errorRate",
  "retryRate",
  "blockedRate",
] as const;

export type KpiName = (typeof KPI_NAMES)[number];

export const KPI_LABELS: Record<KpiName, string> = {
  queueTime: "Queue time",
  cycleTime: "Cycle time",
  slaCompliance: "SLA compliance",
  throughput: "Throughput",
  errorRate: "Error rate",
  retryRate: "Retry rate",
  blockedRate: "Blocked rate",
};

export type KpiUnit = "seconds" | "percent" | "per_day";

export const KPI_UNITS: Record<KpiName, KpiUnit> = {
  queueTime: "seconds",
  cycleTime: "seconds",
  slaCompliance: "percent",
  throughput: "per_day",
  errorRate: "percent",
  retryRate: "percent",
  blockedRate: "percent",
};

/** Where a target comes from: the seed's table, or a decision of ours where the seed is silent. */
export type TargetSource = "seed" | "orchestrator";

export interface KpiTarget {
  /** The value must be strictly below (`lt`) or strictly above (`gt`) the threshold, as the seed writes `< 5 %`, `> 95 %`. */
  comparator: "lt" | "gt";
  value: number;
  unit: KpiUnit;
  source: TargetSource;
}

/**
 * pass / fail against the target; `no_target` when the KPI is only reported (cycle time, throughput,
 * queue time of backlog and scheduled); `no_data` when nothing was measured in the window.
 */
export type KpiStatus = "pass" | "fail" | "no_target" | "no_data";

const HOUR = 3600;

/**
 * Mean queue time targets per queue. Seed: high_priority < 2 h, normal < 8 h. Ours, with the same
 * ratio to the queue's SLA (about a quarter to a third of it): critical < 15 min, urgent < 30 min,
 * low_priority < 24 h. backlog (best effort) and scheduled (waits for its planned date by design)
 * are reported without a target.
 */
export const QUEUE_TIME_TARGETS: Record<QueueName, KpiTarget | null> = {
  critical: { comparator: "lt", value: 15 * 60, unit: "seconds", source: "orchestrator" },
  urgent: { comparator: "lt", value: 30 * 60, unit: "seconds", source: "orchestrator" },
  high_priority: { comparator: "lt", value: 2 * HOUR, unit: "seconds", source: "seed" },
  normal: { comparator: "lt", value: 8 * HOUR, unit: "seconds", source: "seed" },
  low_priority: { comparator: "lt", value: 24 * HOUR, unit: "seconds", source: "orchestrator" },
  backlog: null,
  scheduled: null,
};

/** The seed's targets that hold for every queue and overall. Cycle time ("varies with complexity") and throughput ("per capacity") are reported only. */
export const KPI_TARGETS: Record<Exclude<KpiName, "queueTime">, KpiTarget | null> = {
  cycleTime: null,
  slaCompliance: { comparator: "gt", value: 95, unit: "percent", source: "seed" },
  throughput: null,
  errorRate: { comparator: "lt", value: 5, unit: "percent", source: "seed" },
  retryRate: { comparator: "lt", value: 10, unit: "percent", source: "seed" },
  blockedRate: { comparator: "lt", value: 15, unit: "percent", source: "seed" },
};

export function targetFor(kpi: KpiName, queue: QueueName | null): KpiTarget | null {
  if (kpi === "queueTime") return queue ? QUEUE_TIME_TARGETS[queue] : null;
  return KPI_TARGETS[kpi];
}

/** Status of a measured value against a target. */
export function kpiStatus(value: number | null, target: KpiTarget | null): KpiStatus {
  if (value === null) return "no_data";
  if (!target) return "no_target";
  const ok = target.comparator === "lt" ? value < target.value : value > target.value;
  return ok ? "pass" : "fail";
}

export interface Kpi {
  name: KpiName;
  /** null when nothing was measured (an empty denominator). */
  value: number | null;
  unit: KpiUnit;
  target: KpiTarget | null;
  status: KpiStatus;
  /** How many tasks the value is computed over (its denominator). */
  sample: number;
}

export interface CycleTimeKpi extends Kpi {
  name: "cycleTime";
  /** Median and 90th percentile (linear interpolation), seconds. */
  p50: number | null;
  p90: number | null;
}

export interface ThroughputKpi extends Kpi {
  name: "throughput";
  /** Tasks completed in the window (value = completed / window days). */
  completed: number;
}

export interface RateKpi extends Kpi {
  /** Numerator: tasks that met the condition (SLA met, failed, retried, blocked). */
  count: number;
}

export interface KpiSet {
  queueTime: Kpi;
  cycleTime: CycleTimeKpi;
  slaCompliance: RateKpi;
  throughput: ThroughputKpi;
  errorRate: RateKpi;
  retryRate: RateKpi;
  blockedRate: RateKpi;
}

export interface QueueKpis {
  queue: QueueName;
  /** Max tasks IN_PROGRESS at once (null = unlimited), for reading throughput "per capacity". */
  capacity: number | null;
  kpis: KpiSet;
}

/** One bucket of the time series: a UTC calendar day, clipped to the window. */
export interface MetricsSeriesPoint {
  start: string;
  end: string;
  completed: number;
  throughputPerDay: number;
  queueTimeSeconds: number | null;
  started: number;
  slaCompliancePercent: number | null;
  slaTotal: number;
  errorRatePercent: number | null;
  retryRatePercent: number | null;
  blockedRatePercent: number | null;
  active: number;
}

export interface MetricsReport {
  window: { from: string; to: string; days: number };
  /** The queue the whole report is restricted to, or null for all queues. */
  queue: QueueName | null;
  generatedAt: string;
  overall: KpiSet;
  queues: QueueKpis[];
  series: MetricsSeriesPoint[];
}

// --- Reports (report-generator) --------------------------------------------------------------

export const REPORT_GROUPS = ["day", "week", "queue", "skill", "client"] as const;
export type ReportGroupBy = (typeof REPORT_GROUPS)[number];

export const REPORT_FORMATS = ["json", "csv"] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export interface ReportRow {
  /** The queue, skill or client (null = none given); for day/week, the period's first day (YYYY-MM-DD). */
  group: string | null;
  /** The sub-window the row covers: the period clipped to the report window, or the whole window. */
  from: string;
  to: string;
  /** Tasks active in the row's window: created before its end and not finished before its start. */
  tasks: number;
  /** Those tasks by their state at the end of the row's window. */
  byState: Record<TaskStateName, number>;
  completed: number;
  /** Tasks that entered FAILED in the row's window. */
  failed: number;
  cycleTimeMeanSeconds: number | null;
  slaMet: number;
  slaTotal: number;
  slaCompliancePercent: number | null;
}

export interface TrackingReport {
  groupBy: ReportGroupBy;
  window: { from: string; to: string };
  generatedAt: string;
  rows: ReportRow[];
}

// --- Audit log (audit-query) ------------------------------------------------------------------

export const AUDIT_PAGE_MAX = 200;
export const AUDIT_PAGE_DEFAULT = 50;

export interface AuditEntryView {
  /** bigint as a string; also the pagination cursor. */
  id: string;
  at: string;
  actor: string;
  action: string;
  taskId: string | null;
  fromState: TaskStateName | null;
  toState: TaskStateName | null;
  reason: string | null;
  details: unknown;
}

export interface AuditPage {
  entries: AuditEntryView[];
  /** Pass as `cursor` to get the next (older) page; null on the last page. */
  nextCursor: string | null;
}
