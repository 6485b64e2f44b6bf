import type { ReportGroupBy, ReportRow, TrackingReport } from "@/lib/metrics";
import { QUEUE_NAMES } from "@/lib/queues";
import { TASK_STATES, type TaskStateName } from "@/lib/states";
import type { EngineContext } from "../context";
import {
  analyticQuery,
  type Bucket,
  bucketing,
  bucketOfSql,
  percent,
  resolveWindow,
  round,
  SCOPE_WHERE,
  TASK_FACTS_CTES,
  type WindowInput,
} from "./metrics-collector";

// report-generator: summaries on demand over a window [from, to), grouped by period (UTC day or
// ISO week), queue, skill (skill_target) or client (client_name); as JSON or CSV. One SQL query.
//
// For each row — a group over the whole window, or a period clipped to the window:
// - tasks: tasks active in the row's window (created before its end, not COMPLETED/CANCELLED
//   before its start), and byState: those tasks by their state at the end of the row's window;
// - completed: tasks completed in it; failed: tasks that entered FAILED in it;
// - cycleTimeMeanSeconds: mean created → completed of the tasks completed in it;
// - SLA: the metrics' definition (decided in the row's window: met at start, breached at deadline).
// Period rows are all listed, empty ones too; group rows only for groups that have tasks.

export interface ReportRequest extends WindowInput {
  groupBy: ReportGroupBy;
}

const GROUP_KEY_SQL: Record<ReportGroupBy, string> = {
  day: "NULL::text",
  week: "NULL::text",
  queue: "t.queue_name",
  skill: "NULLIF(t.skill_target, '')",
  client: "NULLIF(t.client_name, '')",
};

const stateColumn = (state: TaskStateName) => `s_${state.toLowerCase()}`;
const STATE_COLUMNS = TASK_STATES.map(stateColumn);

/**
 * Buckets are the periods (or one: the whole window). A task is active in buckets a_lo..a_hi:
 * from the one it was created in (or the first) to the one it finished in (or the last). Its
 * state at the end of bucket k is held by the history row with at < end_k <= until, i.e. the
 * row whose [at, until) spans k's end: buckets bucket(at)..bucket(until) − 1.
 * $1 from, $2 to, $3 now, $4 origin, $5 step (s), $6 n.
 */
function reportSql(groupBy: ReportGroupBy): string {
  const zeros = (names: string[]) => names.map((n) => `0 AS ${n}`).join(", ");
  return `
WITH params AS (
  SELECT $1::timestamptz AS w_from, $2::timestamptz AS w_to, $3::timestamptz AS now,
         $4::timestamptz AS origin, $5::float8 AS step, $6::int AS buckets
),
scope AS (
  SELECT t.id, t.created_at, t.queue_entered_at, t.sla_deadline, ${GROUP_KEY_SQL[groupBy]} AS grp,
         CASE WHEN t.state IN ('COMPLETED', 'CANCELLED') THEN t.state_changed_at END AS ended_at
  FROM tasks t, params p
  WHERE ${SCOPE_WHERE}
),
${TASK_FACTS_CTES},
active AS (
  SELECT f.id, f.grp,
         ${bucketOfSql("GREATEST(f.created_at, p.w_from)")} AS a_lo,
         CASE WHEN f.ended_at IS NULL OR f.ended_at >= p.w_to THEN p.buckets
              ELSE ${bucketOfSql("f.ended_at")} END AS a_hi
  FROM facts f CROSS JOIN params p
),
end_states AS (
  SELECT k AS idx, a.grp, h.state
  FROM hist h JOIN active a ON a.id = h.task_id CROSS JOIN params p
  CROSS JOIN generate_series(
    GREATEST(${bucketOfSql("h.at")}, a.a_lo),
    LEAST(CASE WHEN h.until IS NULL OR h.until >= p.w_to THEN p.buckets ELSE ${bucketOfSql("h.until")} - 1 END, a.a_hi)
  ) AS k
  WHERE h.at < p.w_to
),
events AS (
  SELECT ${bucketOfSql("f.completed_at")} AS idx, f.grp, 'completed' AS kind,
         EXTRACT(EPOCH FROM f.completed_at - f.created_at)::float8 AS v
  FROM facts f CROSS JOIN params p WHERE f.completed_at >= p.w_from AND f.completed_at < p.w_to
  UNION ALL
  SELECT ${bucketOfSql("f.sla_at")}, f.grp, 'sla', CASE WHEN f.sla_met THEN 1 ELSE 0 END
  FROM facts f CROSS JOIN params p WHERE f.sla_at >= p.w_from AND f.sla_at < p.w_to
),
failures AS (
  SELECT DISTINCT ${bucketOfSql("h.at")} AS idx, s.grp, h.task_id
  FROM hist h JOIN scope s ON s.id = h.task_id CROSS JOIN params p
  WHERE h.state = 'FAILED' AND h.at >= p.w_from AND h.at < p.w_to
),
parts AS (
  SELECT idx, grp, count(*) AS tasks,
         ${TASK_STATES.map((st) => `count(*) FILTER (WHERE state = '${st}') AS ${stateColumn(st)}`).join(",\n         ")},
         0 AS completed, 0 AS failed, NULL::float8 AS cycle_mean, 0 AS sla_total, 0 AS sla_met
  FROM end_states GROUP BY idx, grp
  UNION ALL
  SELECT idx, grp, 0, ${zeros(STATE_COLUMNS)},
         count(*) FILTER (WHERE kind = 'completed'), 0, avg(v) FILTER (WHERE kind = 'completed'),
         count(*) FILTER (WHERE kind = 'sla'), count(*) FILTER (WHERE kind = 'sla' AND v = 1)
  FROM events GROUP BY idx, grp
  UNION ALL
  SELECT idx, grp, 0, ${zeros(STATE_COLUMNS)}, 0, count(*), NULL, 0, 0
  FROM failures GROUP BY idx, grp
)
SELECT idx, grp, sum(tasks)::int AS tasks,
       ${STATE_COLUMNS.map((c) => `sum(${c})::int AS ${c}`).join(", ")},
       sum(completed)::int AS completed, sum(failed)::int AS failed, max(cycle_mean)::float8 AS cycle_mean,
       sum(sla_total)::int AS sla_total, sum(sla_met)::int AS sla_met
FROM parts
GROUP BY idx, grp`;
}

type ReportSqlRow = {
  idx: number;
  grp: string | null;
  tasks: number;
  completed: number;
  failed: number;
  cycle_mean: number | null;
  sla_total: number;
  sla_met: number;
} & Record<string, number>;

const isoDay = (d: Date) => d.toISOString().slice(0, 10);

function emptyByState(): Record<TaskStateName, number> {
  return Object.fromEntries(TASK_STATES.map((s) => [s, 0])) as Record<TaskStateName, number>;
}

function toRow(group: string | null, bucket: Bucket, r: ReportSqlRow | undefined): ReportRow {
  const byState = emptyByState();
  if (r) for (const s of TASK_STATES) byState[s] = r[stateColumn(s)] ?? 0;
  return {
    group,
    from: bucket.start.toISOString(),
    to: bucket.end.toISOString(),
    tasks: r?.tasks ?? 0,
    byState,
    completed: r?.completed ?? 0,
    failed: r?.failed ?? 0,
    cycleTimeMeanSeconds: r?.cycle_mean == null ? null : round(r.cycle_mean, 3),
    slaMet: r?.sla_met ?? 0,
    slaTotal: r?.sla_total ?? 0,
    slaCompliancePercent: percent(r?.sla_met ?? 0, r?.sla_total ?? 0),
  };
}

function compareGroups(groupBy: ReportGroupBy) {
  return (a: ReportSqlRow, b: ReportSqlRow): number => {
    if (a.grp === b.grp) return 0;
    if (a.grp === null) return 1;
    if (b.grp === null) return -1;
    if (groupBy === "queue") {
      return (
        (QUEUE_NAMES as readonly string[]).indexOf(a.grp) - (QUEUE_NAMES as readonly string[]).indexOf(b.grp)
      );
    }
    return a.grp < b.grp ? -1 : 1;
  };
}

/** A summary of [from, to) (default: the last 7 days) grouped as asked, as of `ctx.clock.now()`. */
export async function generateReport(ctx: EngineContext, request: ReportRequest): Promise<TrackingReport> {
  const now = ctx.clock.now();
  const { from, to } = resolveWindow(now, request);
  const { groupBy } = request;
  const byPeriod = groupBy === "day" || groupBy === "week";
  const periods = bucketing(from, to, byPeriod ? groupBy : "whole");
  const whole = periods.buckets[0]!;

  const rows = await analyticQuery<ReportSqlRow>(
    ctx.prisma,
    `report by ${groupBy}`,
    reportSql(groupBy),
    from,
    to,
    now,
    periods.origin,
    periods.stepSeconds,
    periods.buckets.length,
  );

  const reportRows = byPeriod
    ? periods.buckets.map((b) =>
        toRow(
          isoDay(b.period),
          b,
          rows.find((r) => r.idx === b.idx),
        ),
      )
    : [...rows].sort(compareGroups(groupBy)).map((r) => toRow(r.grp, whole, r));

  return {
    groupBy,
    window: { from: from.toISOString(), to: to.toISOString() },
    generatedAt: now.toISOString(),
    rows: reportRows,
  };
}

// --- CSV ----------------------------------------------------------------------------------------

/** Cells a spreadsheet would run as a formula (CSV injection): prefixed with an apostrophe. */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One RFC 4180 field: quoted when it holds a comma, a quote, a line break or edge spaces, quotes
 * doubled. Strings a spreadsheet would evaluate as a formula get a leading apostrophe.
 */
export function csvField(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return "";
  if (typeof value !== "string") return String(value);
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvLine(values: readonly (string | number | boolean | null | undefined)[]): string {
  return values.map(csvField).join(",");
}

const GROUP_HEADER: Record<ReportGroupBy, string> = {
  day: "period",
  week: "period",
  queue: "queue",
  skill: "skill",
  client: "client",
};

/** The report as CSV: a header row, one line per row, CRLF line ends (RFC 4180); a UTF-8 BOM if asked (Excel). */
export function reportToCsv(report: TrackingReport, options: { bom?: boolean } = {}): string {
  const header = [
    GROUP_HEADER[report.groupBy],
    "from",
    "to",
    "tasks",
    ...TASK_STATES.map((s) => `state_${s.toLowerCase()}`),
    "completed",
    "failed",
    "cycle_time_mean_seconds",
    "sla_met",
    "sla_total",
    "sla_compliance_percent",
  ];
  const lines = report.rows.map((r) =>
    csvLine([
      r.group,
      r.from,
      r.to,
      r.tasks,
      ...TASK_STATES.map((s) => r.byState[s]),
      r.completed,
      r.failed,
      r.cycleTimeMeanSeconds,
      r.slaMet,
      r.slaTotal,
      r.slaCompliancePercent,
    ]),
  );
  return `${options.bom ? "\uFEFF" : ""}${[csvLine(header), ...lines].join("\r\n")}\r\n`;
}

/** e.g. `report-queue-2026-03-01-2026-03-08.csv` (dates of the window's bounds, UTC). */
export function reportFilename(report: TrackingReport, format: "csv" | "json"): string {
  const from = report.window.from.slice(0, 10);
  const to = report.window.to.slice(0, 10);
  return `report-${report.groupBy}-${from}-${to}.${format}`;
}
