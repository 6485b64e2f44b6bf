import {
  type CycleTimeKpi,
  KPI_UNITS,
  type Kpi,
  type KpiName,
  type KpiSet,
  type KpiStatus,
  kpiStatus,
  type MetricsReport,
  type MetricsSeriesPoint,
  type QueueKpis,
  type RateKpi,
  type ThroughputKpi,
  targetFor,
} from "@/lib/metrics";
import { isQueueName, type QueueName } from "@/lib/queues";
import { resolveTimeWindow, type TimeWindow } from "@/lib/schemas/tracking";
import type { PrismaClient } from "../../db/client";
import { asQueryTimeout, queryBudgets } from "../../db/query-budget";
import type { EngineContext } from "../context";
import { validationError } from "../errors";
import {
  catchUpRollups,
  histogramPercentile,
  PENDING_BREACHES_FROM,
  rollupCover,
  rollupCoverParams,
  rollupRowsSql,
  rollupWindow,
} from "./rollups";

// metrics-collector: the seven KPIs of the seed (SPEC §6) over any window [from, to), per queue
// and overall, each against its target, plus a per-day series. A read model over the rollups
// (rollups.ts: counters per queue by hour, day and block of days), plus the live tasks whose SLA
// breach is pending; nothing loaded row by row: a 90-day window reads its queues' days (and
// hours at its two edges), and the histogram's blocks of days.
// Archived tasks count: the metrics are history.
//
// Windows are hour-resolved: `from` is taken down to its UTC hour and `to` up to its hour (an end
// at or after now is exact); the answer's `window` says which window was measured.
//
// Definitions (a task belongs to the queue, skill and client it has now; every counter moves with
// it when it changes queue). Each is a sum over hours, so a rollup holds it exactly:
// - Queue time: for tasks whose first IN_PROGRESS falls in the window, the mean of
//   (first IN_PROGRESS − queue entry), queue entry being the first QUEUED of the history (the
//   task's `queue_entered_at` when there is none). Time on hold counts: the task was waiting.
// - Cycle time: for tasks whose first COMPLETED falls in the window, created_at → COMPLETED;
//   the mean is exact; p50 and p90 are read from a histogram (8 buckets per doubling, by queue
//   and hour, each value taken as its bucket's middle), within 4.4 % of percentile_cont (0.5 s
//   below 1 s). Reported, no target.
// - SLA compliance: the SLA runs from queue entry to taking charge, against the task's
//   sla_deadline (which the paused clock pushes back, server/engine/sla). Met when the first
//   IN_PROGRESS is at or before the deadline, decided at that start; breached at the deadline
//   when the task started later, finished (completed or cancelled) at or after its deadline
//   without starting, or is still live, never started, with its deadline past. Tasks finished
//   before their deadline without a start, and tasks without a deadline (backlog), are left out.
//   The KPI is met / decided over the tasks whose SLA was decided in the window.
// - Throughput: tasks completed in the window / window length in days. Reported, no target; the
//   queue's capacity is given beside it.
// - Error, retry, blocked rates: over the tasks that went to work in the window (their first
//   entry into an execution state: IN_PROGRESS, FAILED, BLOCKED, UNBLOCKED), the share that has
//   failed (error), been retried — FAILED → IN_PROGRESS — (retry), been blocked (blocked), at
//   any time so far. A cohort: a task counts once, in the hour it went to work, and a later
//   failure updates that hour's counter.
// - Series buckets are UTC calendar days clipped to the window, with the same definitions.
// Percentages are rounded to 2 decimals, seconds to the millisecond, per-day to 3 decimals;
// pass/fail is judged on the rounded value, so what is shown agrees with its status.

export const DAY_MS = 86_400_000;

export interface WindowInput {
  /** Default: `to` − 7 days. */
  from?: Date;
  /** Default: now (the engine's clock). */
  to?: Date;
}

export interface MetricsWindow extends WindowInput {
  /** Restrict everything (overall, queues, series) to one queue. */
  queue?: QueueName;
}

/** Fills the window's defaults from the clock and checks it (from < to, ≤ 366 days): VALIDATION naming `from`. */
export function resolveWindow(now: Date, input: WindowInput): TimeWindow {
  const resolved = resolveTimeWindow(input, now);
  if (!resolved.ok) throw validationError(resolved.fields);
  return resolved.window;
}

/** A sub-window: a period (day, week, or the whole window) clipped to the window, numbered from 1. */
export interface Bucket {
  idx: number;
  /** The period's own start (a UTC midnight, a Monday for weeks), before clipping to the window. */
  period: Date;
  start: Date;
  end: Date;
}

/**
 * Equal periods from `origin`, `stepSeconds` long, clipped to [from, to): bucket k covers
 * [origin + (k − 1) × step, origin + k × step) ∩ [from, to). The SQL finds a timestamp's bucket
 * by arithmetic (bucketOfSql), never by a range join, so a year of days stays cheap.
 */
export interface Bucketing {
  origin: Date;
  stepSeconds: number;
  buckets: Bucket[];
}

/** UTC calendar days, ISO weeks (starting Monday) or the whole window, covering [from, to). */
export function bucketing(from: Date, to: Date, unit: "day" | "week" | "whole"): Bucketing {
  if (unit === "whole") {
    return {
      origin: from,
      stepSeconds: (to.getTime() - from.getTime()) / 1000,
      buckets: [{ idx: 1, period: from, start: from, end: to }],
    };
  }
  const first = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate()));
  if (unit === "week") first.setUTCDate(first.getUTCDate() - ((first.getUTCDay() + 6) % 7));
  const step = (unit === "week" ? 7 : 1) * DAY_MS;
  const buckets: Bucket[] = [];
  for (let t = first.getTime(), idx = 1; t < to.getTime(); t += step, idx++) {
    buckets.push({
      idx,
      period: new Date(t),
      start: new Date(Math.max(t, from.getTime())),
      end: new Date(Math.min(t + step, to.getTime())),
    });
  }
  return { origin: first, stepSeconds: step / 1000, buckets };
}

/** UTC calendar days (or ISO weeks) covering [from, to), each clipped to it. */
export function calendarBuckets(from: Date, to: Date, unit: "day" | "week"): Bucket[] {
  return bucketing(from, to, unit).buckets;
}

/** SQL: the bucket number of a timestamp, given a `p` (params) row with `origin` and `step`. */
export const bucketOfSql = (ts: string) =>
  `(floor(EXTRACT(EPOCH FROM (${ts}) - p.origin) / p.step)::int + 1)`;

/**
 * Runs one of these analytic reads, named `name` in the logs. JIT is off for it: the planner
 * cannot size the per-row generate_series, over-estimates the cost and would spend a second
 * compiling a query that runs in a fraction of that. Its statement timeout is the "analytic"
 * budget (query-budget.ts), and the transaction's own limit is that budget plus a margin, so
 * Prisma never refuses the commit of a query that finished (its default is 5 s); past the budget
 * PostgreSQL cancels the query and this throws QueryTimeoutError (503 QUERY_TIMEOUT).
 */
export async function analyticQuery<T>(
  prisma: PrismaClient,
  name: string,
  sql: string,
  ...params: unknown[]
): Promise<T[]> {
  const budget = queryBudgets().analytic;
  try {
    const [, , rows] = await prisma.$transaction(
      [
        prisma.$executeRawUnsafe("SET LOCAL jit = off"),
        prisma.$executeRawUnsafe(`SET LOCAL statement_timeout = ${budget}`),
        prisma.$queryRawUnsafe<T[]>(sql, ...params),
      ],
      { timeout: budget + 5_000, maxWait: 10_000 },
    );
    return rows;
  } catch (error) {
    throw asQueryTimeout(error, name, budget);
  }
}

export const round = (value: number, decimals: number): number => {
  const f = 10 ** decimals;
  return Math.round(value * f) / f;
};

export const percent = (part: number, whole: number): number | null =>
  whole === 0 ? null : round((100 * part) / whole, 2);

const seconds = (value: number | null): number | null => (value === null ? null : round(value, 3));

interface MetricsRow {
  idx: number;
  queue_name: string | null;
  completed: number;
  cycle_ms: number;
  started: number;
  queue_ms: number;
  sla_total: number;
  sla_met: number;
  active: number;
  failed: number;
  retried: number;
  blocked: number;
}

/**
 * The counters per queue and overall, over the whole window (idx 0, with per-queue rows) and by
 * bucket (1..n, overall only). $1 from, $2 to, $3 now, $4 queue or null, $5 origin, $6 step (s),
 * $7 n (0 = no series), $8 on: the window's cover (rollupCoverParams: by days when there is a
 * series, so that a row never straddles two buckets).
 */
export const METRICS_SQL = `
WITH params AS (
  SELECT $1::timestamptz AS w_from, $2::timestamptz AS w_to, $3::timestamptz AS now, $4::text AS queue,
         $5::timestamptz AS origin, $6::float8 AS step, $7::int AS buckets
),
r AS (
  SELECT r.key AS queue_name, r.at, r.completed, r.cycle_ms, r.started, r.queue_ms,
         r.sla_total, r.sla_met, r.active, r.failed, r.retried, r.blocked
  FROM (${rollupRowsSql("q", 8)}) r, params p
  WHERE p.queue IS NULL OR r.key = p.queue
  UNION ALL
  SELECT t.queue_name, t.sla_deadline, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0
  FROM ${PENDING_BREACHES_FROM} AND (p.queue IS NULL OR t.queue_name = p.queue)
),
b AS (
  SELECT 0 AS idx, r.* FROM r
  UNION ALL
  SELECT ${bucketOfSql("r.at")}, r.* FROM r, params p WHERE p.buckets > 0
)
SELECT idx, queue_name,
       sum(completed)::int AS completed, sum(cycle_ms)::float8 AS cycle_ms,
       sum(started)::int AS started, sum(queue_ms)::float8 AS queue_ms,
       sum(sla_total)::int AS sla_total, sum(sla_met)::int AS sla_met,
       sum(active)::int AS active, sum(failed)::int AS failed,
       sum(retried)::int AS retried, sum(blocked)::int AS blocked
FROM b
GROUP BY GROUPING SETS ((idx), (idx, queue_name))
HAVING idx = 0 OR GROUPING(queue_name) = 1`;

/** The cycle-time histogram per queue over a window. $1 queue or null, $2 on: the window's cover. */
const HISTOGRAM_SQL = `
SELECT r.key AS queue_name, r.cycle_bucket AS bucket, sum(r.completed)::int AS n
FROM (${rollupRowsSql("h", 2)}) r
WHERE $1::text IS NULL OR r.key = $1::text
GROUP BY 1, 2`;

type Counters = Omit<MetricsRow, "idx" | "queue_name">;
interface KpiInput extends Counters {
  p50: number | null;
  p90: number | null;
}

const EMPTY_ROW: Counters = {
  completed: 0,
  cycle_ms: 0,
  started: 0,
  queue_ms: 0,
  sla_total: 0,
  sla_met: 0,
  active: 0,
  failed: 0,
  retried: 0,
  blocked: 0,
};

function kpi(name: KpiName, value: number | null, sample: number, queue: QueueName | null): Kpi {
  const target = targetFor(name, queue);
  return { name, value, unit: KPI_UNITS[name], target, status: kpiStatus(value, target), sample };
}

function rateKpi(name: KpiName, count: number, sample: number): RateKpi {
  return { ...kpi(name, percent(count, sample), sample, null), count };
}

/** Mean seconds of a sum of milliseconds over `n`; null when nothing was measured. */
export const meanSeconds = (sumMs: number, n: number): number | null => (n === 0 ? null : sumMs / n / 1000);

function kpiSet(row: KpiInput, queue: QueueName | null, days: number): KpiSet {
  const cycleTime: CycleTimeKpi = {
    ...kpi("cycleTime", seconds(meanSeconds(row.cycle_ms, row.completed)), row.completed, queue),
    name: "cycleTime",
    p50: seconds(row.p50),
    p90: seconds(row.p90),
  };
  const throughput: ThroughputKpi = {
    ...kpi("throughput", round(row.completed / days, 3), row.completed, queue),
    name: "throughput",
    completed: row.completed,
  };
  return {
    queueTime: kpi("queueTime", seconds(meanSeconds(row.queue_ms, row.started)), row.started, queue),
    cycleTime,
    slaCompliance: rateKpi("slaCompliance", row.sla_met, row.sla_total),
    throughput,
    errorRate: rateKpi("errorRate", row.failed, row.active),
    retryRate: rateKpi("retryRate", row.retried, row.active),
    blockedRate: rateKpi("blockedRate", row.blocked, row.active),
  };
}

/** Overall queue time has no single target: it fails when a queue fails, passes when one passes and none fails. */
function worstStatus(statuses: KpiStatus[], fallback: KpiStatus): KpiStatus {
  if (statuses.includes("fail")) return "fail";
  if (statuses.includes("pass")) return "pass";
  return fallback;
}

function seriesPoint(bucket: Bucket, row: Counters): MetricsSeriesPoint {
  const days = (bucket.end.getTime() - bucket.start.getTime()) / DAY_MS;
  return {
    start: bucket.start.toISOString(),
    end: bucket.end.toISOString(),
    completed: row.completed,
    throughputPerDay: round(row.completed / days, 3),
    queueTimeSeconds: seconds(meanSeconds(row.queue_ms, row.started)),
    started: row.started,
    slaCompliancePercent: percent(row.sla_met, row.sla_total),
    slaTotal: row.sla_total,
    errorRatePercent: percent(row.failed, row.active),
    retryRatePercent: percent(row.retried, row.active),
    blockedRatePercent: percent(row.blocked, row.active),
    active: row.active,
  };
}

/**
 * The KPIs over [from, to) as of `ctx.clock.now()` (default: the last 7 days): overall, per queue
 * (every queue, measured or not), and a per-day series unless `series: false`.
 */
export async function collectMetrics(
  ctx: EngineContext,
  window: MetricsWindow,
  options: { series?: boolean } = {},
): Promise<MetricsReport> {
  const now = ctx.clock.now();
  const asked = resolveWindow(now, window);
  const { from, to } = rollupWindow(asked.from, asked.to, now);
  const queue = window.queue ?? null;
  const days = (to.getTime() - from.getTime()) / DAY_MS;
  const byDay = bucketing(from, to, "day");
  const buckets = options.series === false ? [] : byDay.buckets;

  await catchUpRollups(ctx);
  const [rows, histogram, queues] = await Promise.all([
    analyticQuery<MetricsRow>(
      ctx.prisma,
      "metrics",
      METRICS_SQL,
      from,
      to,
      now,
      queue,
      byDay.origin,
      byDay.stepSeconds,
      buckets.length,
      ...rollupCoverParams(rollupCover(from, to, buckets.length > 0 ? "days" : "blocks")),
    ),
    analyticQuery<{ queue_name: string; bucket: number; n: number }>(
      ctx.prisma,
      "metrics histogram",
      HISTOGRAM_SQL,
      queue,
      ...rollupCoverParams(rollupCover(from, to, "blocks")),
    ),
    ctx.prisma.queue.findMany({ select: { name: true, capacity: true }, orderBy: { sortOrder: "asc" } }),
  ]);

  const find = (idx: number, queueName: string | null): Counters =>
    rows.find((r) => r.idx === idx && r.queue_name === queueName) ?? EMPTY_ROW;
  const withPercentiles = (counters: Counters, queueName: string | null): KpiInput => {
    const hist = new Map<number, number>();
    for (const h of histogram) {
      if (queueName === null || h.queue_name === queueName)
        hist.set(h.bucket, (hist.get(h.bucket) ?? 0) + h.n);
    }
    return { ...counters, p50: histogramPercentile(hist, 0.5), p90: histogramPercentile(hist, 0.9) };
  };

  const perQueue: QueueKpis[] = queues
    .filter((q): q is { name: QueueName; capacity: number | null } => isQueueName(q.name))
    .filter((q) => queue === null || q.name === queue)
    .map((q) => ({
      queue: q.name,
      capacity: q.capacity,
      kpis: kpiSet(withPercentiles(find(0, q.name), q.name), q.name, days),
    }));

  const overall = kpiSet(withPercentiles(find(0, null), null), queue, days);
  if (queue === null) {
    overall.queueTime.status = worstStatus(
      perQueue.map((q) => q.kpis.queueTime.status),
      overall.queueTime.status,
    );
  }

  return {
    window: { from: from.toISOString(), to: to.toISOString(), days: round(days, 4) },
    queue,
    generatedAt: now.toISOString(),
    overall,
    queues: perQueue,
    series: buckets.map((b) => seriesPoint(b, find(b.idx, null))),
  };
}
