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

// metrics-collector: the seven KPIs of the seed (SPEC §6) over any window [from, to), per queue
// and overall, each against its target, plus a per-day series. A read model: one SQL query over
// tasks and task_state_history (and a lookup of the queues), nothing loaded row by row. Archived
// tasks count: the metrics are history.
//
// Definitions (a task belongs to the queue it is in now, `tasks.queue_name`):
// - Queue time: for tasks whose first IN_PROGRESS falls in the window, the mean of
//   (first IN_PROGRESS − queue entry), queue entry being the first QUEUED of the history (the
//   task's `queue_entered_at` when there is none). Time on hold counts: the task was waiting.
// - Cycle time: for tasks whose COMPLETED falls in the window, created_at → COMPLETED; mean,
//   p50 and p90 (percentile_cont, linear interpolation). Reported, no target.
// - SLA compliance: the SLA runs from queue entry to taking charge. A task's SLA is met when its
//   first IN_PROGRESS is at or before its sla_deadline, and then it is decided at that start; it is
//   breached when the deadline passed (deadline < now) without a start, and then decided at the
//   deadline (a later start or cancellation does not change it). Tasks cancelled before their
//   deadline without being started, and tasks without a deadline (backlog), are left out. The KPI
//   is met / decided over the tasks whose SLA was decided in the window.
// - Throughput: tasks completed in the window / window length in days. Reported, no target; the
//   queue's capacity is given beside it.
// - Error, retry, blocked rates: over the tasks active in the window, i.e. in an execution state
//   (IN_PROGRESS, FAILED, BLOCKED, UNBLOCKED) at some moment of the window: the share that was
//   FAILED at some moment of the window (error), that was retried — FAILED → IN_PROGRESS — in
//   the window (retry), that was BLOCKED at some moment of the window (blocked).
// - Series buckets are UTC calendar days clipped to the window, with the same definitions.
// - Nothing after `now` counts: a deadline not yet passed is not a breach, an open state runs
//   until now, and buckets starting at or after now are empty. A state entered and left in the
//   same instant (FAILED then retried at once) still counts, as lasting 1 µs.
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
  cycle_mean: number | null;
  cycle_p50: number | null;
  cycle_p90: number | null;
  started: number;
  queue_mean: number | null;
  sla_total: number;
  sla_met: number;
  active: number;
  failed: number;
  retried: number;
  blocked: number;
}

/**
 * Shared by the metrics and the reports: per-task facts from the history. Expects a `params` CTE
 * with `now`, and a `scope` CTE with the tasks' id, created_at, queue_entered_at, sla_deadline
 * (and whatever else the caller needs, kept in `facts`). Gives `hist` (each history row with the
 * time the next one starts: `until`, null while current) and `facts` (scope + entered_at,
 * started_at, completed_at, cancelled_at, sla_at — when the SLA was decided, null while
 * undecided or not applicable — and sla_met).
 */
export const TASK_FACTS_CTES = `
hist AS (
  SELECT h.task_id, h.state, h.from_state, h.at,
         LEAD(h.at) OVER (PARTITION BY h.task_id ORDER BY h.at, h.id) AS until
  FROM task_state_history h JOIN scope s ON s.id = h.task_id
  -- no history row is older than its task: this bound lets the time index skip older history
  WHERE h.at >= (SELECT min(s2.created_at) FROM scope s2)
),
firsts AS (
  SELECT task_id,
         min(at) FILTER (WHERE state = 'QUEUED') AS queued_at,
         min(at) FILTER (WHERE state = 'IN_PROGRESS') AS started_at,
         min(at) FILTER (WHERE state = 'COMPLETED') AS completed_at,
         min(at) FILTER (WHERE state = 'CANCELLED') AS cancelled_at
  FROM hist GROUP BY task_id
),
facts AS (
  SELECT s.*, COALESCE(x.queued_at, s.queue_entered_at) AS entered_at,
         x.started_at, x.completed_at, x.cancelled_at,
         -- the SLA is decided at the start when met, at the deadline when breached
         CASE WHEN x.started_at <= s.sla_deadline THEN x.started_at
              WHEN s.sla_deadline < p.now AND (x.cancelled_at IS NULL OR x.cancelled_at >= s.sla_deadline)
              THEN s.sla_deadline
         END AS sla_at,
         COALESCE(x.started_at <= s.sla_deadline, false) AS sla_met
  FROM scope s CROSS JOIN params p LEFT JOIN firsts x ON x.task_id = s.id
)`;

/**
 * Tasks that can have anything in [w_from, w_to): created before its end, not finished before
 * its start. Written on the bind parameters ($1 from, $2 to) as an OR of two indexed arms (live
 * tasks; tasks whose state changed since the window's start), so a window reads its own tasks,
 * not the whole history (migration 20261201223500_window_indexes).
 */
export const SCOPE_WHERE = `t.created_at < $2::timestamptz
    AND (t.state NOT IN ('COMPLETED', 'CANCELLED') OR t.state_changed_at >= $1::timestamptz)`;

/**
 * The measured points (completions, starts, SLA decisions) and the execution runs, each given
 * its bucket. idx 0 is the whole window (with per-queue rows); buckets 1..n the series (overall
 * only). $1 from, $2 to, $3 now, $4 queue or null, $5 origin, $6 step (s), $7 n (0 = no series).
 */
export const METRICS_SQL = `
WITH params AS (
  SELECT $1::timestamptz AS w_from, $2::timestamptz AS w_to, $3::timestamptz AS now, $4::text AS queue,
         $5::timestamptz AS origin, $6::float8 AS step, $7::int AS buckets
),
scope AS (
  SELECT t.id, t.queue_name, t.created_at, t.queue_entered_at, t.sla_deadline
  FROM tasks t, params p
  WHERE (p.queue IS NULL OR t.queue_name = p.queue) AND ${SCOPE_WHERE}
),
${TASK_FACTS_CTES},
points AS (
  SELECT f.queue_name, 'completed' AS kind, f.completed_at AS at,
         EXTRACT(EPOCH FROM f.completed_at - f.created_at)::float8 AS v
  FROM facts f WHERE f.completed_at IS NOT NULL
  UNION ALL
  SELECT f.queue_name, 'started', f.started_at, EXTRACT(EPOCH FROM f.started_at - f.entered_at)::float8
  FROM facts f WHERE f.started_at IS NOT NULL
  UNION ALL
  SELECT f.queue_name, 'sla', f.sla_at, CASE WHEN f.sla_met THEN 1 ELSE 0 END
  FROM facts f WHERE f.sla_at IS NOT NULL
),
points_in AS (
  SELECT pt.* FROM points pt, params p WHERE pt.at >= p.w_from AND pt.at < p.w_to
),
bucketed_points AS (
  SELECT 0 AS idx, pt.* FROM points_in pt
  UNION ALL
  SELECT ${bucketOfSql("pt.at")}, pt.* FROM points_in pt, params p WHERE p.buckets > 0
),
-- time in an execution state, clipped to the window and to now; an instant counts as 1 µs
runs AS (
  SELECT h.task_id, s.queue_name, h.state, h.from_state, h.at,
         GREATEST(h.at, p.w_from) AS lo,
         LEAST(GREATEST(COALESCE(h.until, 'infinity'::timestamptz), h.at + interval '1 microsecond'),
               p.w_to, p.now) AS hi
  FROM hist h JOIN scope s ON s.id = h.task_id CROSS JOIN params p
  WHERE h.state IN ('IN_PROGRESS', 'FAILED', 'BLOCKED', 'UNBLOCKED') AND h.at < p.w_to
),
bucketed_runs AS (
  SELECT 0 AS idx, r.* FROM runs r WHERE r.hi > r.lo
  UNION ALL
  SELECT k, r.*
  FROM runs r CROSS JOIN params p
  CROSS JOIN generate_series(${bucketOfSql("r.lo")}, ${bucketOfSql("r.hi - interval '1 microsecond'")}) AS k
  WHERE r.hi > r.lo AND p.buckets > 0
),
spans AS (
  SELECT r.idx, r.task_id, r.queue_name,
         bool_or(r.state = 'FAILED') AS failed,
         bool_or(r.state = 'BLOCKED') AS blocked,
         bool_or(r.state = 'IN_PROGRESS' AND r.from_state = 'FAILED' AND r.at >= p.w_from
                 AND (r.idx = 0 OR ${bucketOfSql("r.at")} = r.idx)) AS retried
  FROM bucketed_runs r CROSS JOIN params p
  GROUP BY r.idx, r.task_id, r.queue_name
),
agg AS (
  SELECT pt.idx, pt.queue_name,
         count(*) FILTER (WHERE pt.kind = 'completed') AS completed,
         avg(pt.v) FILTER (WHERE pt.kind = 'completed') AS cycle_mean,
         percentile_cont(0.5) WITHIN GROUP (ORDER BY pt.v) FILTER (WHERE pt.kind = 'completed') AS cycle_p50,
         percentile_cont(0.9) WITHIN GROUP (ORDER BY pt.v) FILTER (WHERE pt.kind = 'completed') AS cycle_p90,
         count(*) FILTER (WHERE pt.kind = 'started') AS started,
         avg(pt.v) FILTER (WHERE pt.kind = 'started') AS queue_mean,
         count(*) FILTER (WHERE pt.kind = 'sla') AS sla_total,
         count(*) FILTER (WHERE pt.kind = 'sla' AND pt.v = 1) AS sla_met,
         0 AS active, 0 AS failed, 0 AS retried, 0 AS blocked
  FROM bucketed_points pt
  GROUP BY GROUPING SETS ((pt.idx), (pt.idx, pt.queue_name))
  HAVING pt.idx = 0 OR GROUPING(pt.queue_name) = 1
  UNION ALL
  SELECT sp.idx, sp.queue_name, 0, NULL, NULL, NULL, 0, NULL, 0, 0,
         count(*), count(*) FILTER (WHERE sp.failed), count(*) FILTER (WHERE sp.retried),
         count(*) FILTER (WHERE sp.blocked)
  FROM spans sp
  GROUP BY GROUPING SETS ((sp.idx), (sp.idx, sp.queue_name))
  HAVING sp.idx = 0 OR GROUPING(sp.queue_name) = 1
)
SELECT idx, queue_name,
       sum(completed)::int AS completed, max(cycle_mean)::float8 AS cycle_mean,
       max(cycle_p50)::float8 AS cycle_p50, max(cycle_p90)::float8 AS cycle_p90,
       sum(started)::int AS started, max(queue_mean)::float8 AS queue_mean,
       sum(sla_total)::int AS sla_total, sum(sla_met)::int AS sla_met,
       sum(active)::int AS active, sum(failed)::int AS failed,
       sum(retried)::int AS retried, sum(blocked)::int AS blocked
FROM agg
GROUP BY idx, queue_name`;

const EMPTY_ROW: Omit<MetricsRow, "idx" | "queue_name"> = {
  completed: 0,
  cycle_mean: null,
  cycle_p50: null,
  cycle_p90: null,
  started: 0,
  queue_mean: null,
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

function kpiSet(row: Omit<MetricsRow, "idx" | "queue_name">, queue: QueueName | null, days: number): KpiSet {
  const cycleTime: CycleTimeKpi = {
    ...kpi("cycleTime", seconds(row.cycle_mean), row.completed, queue),
    name: "cycleTime",
    p50: seconds(row.cycle_p50),
    p90: seconds(row.cycle_p90),
  };
  const throughput: ThroughputKpi = {
    ...kpi("throughput", round(row.completed / days, 3), row.completed, queue),
    name: "throughput",
    completed: row.completed,
  };
  return {
    queueTime: kpi("queueTime", seconds(row.queue_mean), row.started, queue),
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

function seriesPoint(bucket: Bucket, row: Omit<MetricsRow, "idx" | "queue_name">): MetricsSeriesPoint {
  const days = (bucket.end.getTime() - bucket.start.getTime()) / DAY_MS;
  return {
    start: bucket.start.toISOString(),
    end: bucket.end.toISOString(),
    completed: row.completed,
    throughputPerDay: round(row.completed / days, 3),
    queueTimeSeconds: seconds(row.queue_mean),
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
  const { from, to } = resolveWindow(now, window);
  const queue = window.queue ?? null;
  const days = (to.getTime() - from.getTime()) / DAY_MS;
  const byDay = bucketing(from, to, "day");
  const buckets = options.series === false ? [] : byDay.buckets;

  const [rows, queues] = await Promise.all([
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
    ),
    ctx.prisma.queue.findMany({ select: { name: true, capacity: true }, orderBy: { sortOrder: "asc" } }),
  ]);

  const find = (idx: number, queueName: string | null) =>
    rows.find((r) => r.idx === idx && r.queue_name === queueName) ?? EMPTY_ROW;

  const perQueue: QueueKpis[] = queues
    .filter((q): q is { name: QueueName; capacity: number | null } => isQueueName(q.name))
    .filter((q) => queue === null || q.name === queue)
    .map((q) => ({ queue: q.name, capacity: q.capacity, kpis: kpiSet(find(0, q.name), q.name, days) }));

  const overall = kpiSet(find(0, null), queue, days);
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
