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
  type WindowInput,
} from "./metrics-collector";
import {
  catchUpRollups,
  PENDING_BREACHES_FROM,
  rollupCover,
  rollupCoverParams,
  rollupCoverSince,
  rollupRowsSql,
  rollupWindow,
} from "./rollups";

// report-generator: summaries on demand over a window [from, to), grouped by period (UTC day or
// ISO week), queue, skill (skill_target) or client (client_name); as JSON or CSV. Read from the
// rollups (rollups.ts) and the live tasks, never the raw history; hour-resolved windows as the
// metrics' (metrics-collector.ts), day-resolved for the client grouping (its rollup is by day).
// Periods read one row per UTC day and key (hours at the window's edges); groups over the whole
// window read the fewest blocks of days (at most two per size), so a 90-day client report reads
// about ten rows per client, not ninety.
//
// For each row — a group over the whole window, or a period clipped to the window:
// - tasks: tasks active in the row's window (created before its end, not COMPLETED/CANCELLED
//   before its start), and byState: those tasks by their state at the end of the row's window.
//   A live state's count at an instant T is the live count now minus the net entries into that
//   state since T (rollup columns n_<state>); COMPLETED and CANCELLED count the tasks that ended
//   so in the row's window (a task never leaves them);
// - completed: tasks completed (first COMPLETED) in it; failed: failures in it (entries into
//   FAILED: a task failing twice counts twice);
// - cycleTimeMeanSeconds: mean created → completed of the tasks completed in it;
// - SLA: the metrics' definition (decided in the row's window: met at start, breached at deadline).
// Period rows are all listed, empty ones too; group rows only for groups with something to show.

export interface ReportRequest extends WindowInput {
  groupBy: ReportGroupBy;
}

const GRAIN: Record<ReportGroupBy, "q" | "s" | "c"> = {
  day: "q",
  week: "q",
  queue: "q",
  skill: "s",
  client: "c",
};

/** A live task's group, for the live counts and the pending breaches. */
const LIVE_GROUP_SQL: Record<ReportGroupBy, string> = {
  day: "NULL::text",
  week: "NULL::text",
  queue: "t.queue_name",
  skill: "NULLIF(t.skill_target, '')",
  client: "NULLIF(t.client_name, '')",
};

const LIVE_STATES = TASK_STATES.filter((s) => s !== "COMPLETED" && s !== "CANCELLED");
const netColumn = (state: TaskStateName) => `n_${state.toLowerCase()}`;

/**
 * Per bucket (1..n; n + 1 = from the window's end to now, for the live counts) and group: the
 * flows and the net change of each state. $1 from, $2 to, $3 now, $4 origin, $5 step (s), $6 n,
 * $7 on: the cover of [from, to) and of [to, ∞) (rollupCoverParams).
 */
function reportSql(groupBy: ReportGroupBy): string {
  const byPeriod = groupBy === "day" || groupBy === "week";
  const zeros = TASK_STATES.map((st) => `0 AS ${netColumn(st)}`).join(", ");
  return `
WITH params AS (
  SELECT $1::timestamptz AS w_from, $2::timestamptz AS w_to, $3::timestamptz AS now,
         $4::timestamptz AS origin, $5::float8 AS step, $6::int AS buckets
),
r AS (
  SELECT CASE WHEN r.at >= p.w_to THEN p.buckets + 1 ELSE ${bucketOfSql("r.at")} END AS idx,
         ${byPeriod ? "NULL::text" : "NULLIF(r.key, '')"} AS grp,
         r.completed, r.failures, r.cycle_ms, r.sla_total, r.sla_met,
         ${TASK_STATES.map((st) => `r.${netColumn(st)}`).join(", ")}
  FROM (${rollupRowsSql(GRAIN[groupBy], 7)}) r, params p
  UNION ALL
  SELECT ${bucketOfSql("t.sla_deadline")}, ${LIVE_GROUP_SQL[groupBy]}, 0, 0, 0, 1, 0, ${zeros}
  FROM ${PENDING_BREACHES_FROM}
)
SELECT idx, grp, sum(completed)::int AS completed, sum(failures)::int AS failed,
       sum(cycle_ms)::float8 AS cycle_ms, sum(sla_total)::int AS sla_total, sum(sla_met)::int AS sla_met,
       ${TASK_STATES.map((st) => `sum(${netColumn(st)})::int AS ${netColumn(st)}`).join(", ")}
FROM r GROUP BY idx, grp`;
}

/** The live tasks now, per group and state. */
const liveSql = (groupBy: ReportGroupBy) => `
SELECT ${LIVE_GROUP_SQL[groupBy]} AS grp, t.state::text AS state, count(*)::int AS n
FROM tasks t
WHERE t.state NOT IN ('COMPLETED', 'CANCELLED') AND t.archived_at IS NULL
GROUP BY 1, 2`;

type ReportSqlRow = {
  idx: number;
  grp: string | null;
  completed: number;
  failed: number;
  cycle_ms: number;
  sla_total: number;
  sla_met: number;
} & Record<string, number>;

/** A group's figures per bucket, with its state counts at each bucket's end. */
interface GroupFigures {
  flows: Map<number, ReportSqlRow>;
  byStateAtEnd: Map<number, Record<TaskStateName, number>>;
}

/**
 * Walks back from now: the live count of a state at the end of bucket k is the count now minus
 * the net entries of buckets k + 1 .. n + 1. The ended states count their bucket's entries.
 */
function groupFigures(rows: ReportSqlRow[], live: Map<string, number>, buckets: number): GroupFigures {
  const flows = new Map(rows.map((r) => [r.idx, r]));
  const byStateAtEnd = new Map<number, Record<TaskStateName, number>>();
  const stock = new Map(LIVE_STATES.map((st) => [st, live.get(st) ?? 0]));
  for (let k = buckets + 1; k >= 1; k--) {
    if (k <= buckets) {
      const counts = emptyByState();
      for (const st of LIVE_STATES) counts[st] = stock.get(st) ?? 0;
      counts.COMPLETED = flows.get(k)?.n_completed ?? 0;
      counts.CANCELLED = flows.get(k)?.n_cancelled ?? 0;
      byStateAtEnd.set(k, counts);
    }
    for (const st of LIVE_STATES) stock.set(st, (stock.get(st) ?? 0) - (flows.get(k)?.[netColumn(st)] ?? 0));
  }
  return { flows, byStateAtEnd };
}

const isoDay = (d: Date) => d.toISOString().slice(0, 10);

function emptyByState(): Record<TaskStateName, number> {
  return Object.fromEntries(TASK_STATES.map((s) => [s, 0])) as Record<TaskStateName, number>;
}

function toRow(
  group: string | null,
  bucket: Bucket,
  r: ReportSqlRow | undefined,
  byState: Record<TaskStateName, number>,
): ReportRow {
  const tasks = TASK_STATES.reduce((sum, st) => sum + byState[st], 0);
  return {
    group,
    from: bucket.start.toISOString(),
    to: bucket.end.toISOString(),
    tasks,
    byState,
    completed: r?.completed ?? 0,
    failed: r?.failed ?? 0,
    cycleTimeMeanSeconds: r && r.completed > 0 ? round(r.cycle_ms / r.completed / 1000, 3) : null,
    slaMet: r?.sla_met ?? 0,
    slaTotal: r?.sla_total ?? 0,
    slaCompliancePercent: percent(r?.sla_met ?? 0, r?.sla_total ?? 0),
  };
}

function compareGroups(groupBy: ReportGroupBy) {
  return (a: string | null, b: string | null): number => {
    if (a === b) return 0;
    if (a === null) return 1;
    if (b === null) return -1;
    if (groupBy === "queue") {
      return (QUEUE_NAMES as readonly string[]).indexOf(a) - (QUEUE_NAMES as readonly string[]).indexOf(b);
    }
    return a < b ? -1 : 1;
  };
}

/** A summary of [from, to) (default: the last 7 days) grouped as asked, as of `ctx.clock.now()`. */
export async function generateReport(ctx: EngineContext, request: ReportRequest): Promise<TrackingReport> {
  const now = ctx.clock.now();
  const asked = resolveWindow(now, request);
  const { groupBy } = request;
  const { from, to } = rollupWindow(asked.from, asked.to, now, groupBy === "client" ? "day" : "hour");
  const byPeriod = groupBy === "day" || groupBy === "week";
  const periods = bucketing(from, to, byPeriod ? groupBy : "whole");
  const n = periods.buckets.length;

  await catchUpRollups(ctx);
  const [rows, liveRows] = await Promise.all([
    analyticQuery<ReportSqlRow>(
      ctx.prisma,
      `report by ${groupBy}`,
      reportSql(groupBy),
      from,
      to,
      now,
      periods.origin,
      periods.stepSeconds,
      n,
      ...rollupCoverParams(rollupCover(from, to, byPeriod ? "days" : "blocks"), rollupCoverSince(to, now)),
    ),
    analyticQuery<{ grp: string | null; state: string; n: number }>(
      ctx.prisma,
      `report by ${groupBy} (live)`,
      liveSql(groupBy),
    ),
  ]);

  // Rows by group in one pass each (a thousand clients: filtering the rows once per group cost
  // more than the query).
  const flowsOf = new Map<string | null, ReportSqlRow[]>();
  const liveOf = new Map<string | null, Map<string, number>>();
  for (const r of rows) {
    if (!flowsOf.has(r.grp)) flowsOf.set(r.grp, []);
    if (r.idx >= 1) flowsOf.get(r.grp)!.push(r);
  }
  for (const l of liveRows) {
    if (!liveOf.has(l.grp)) liveOf.set(l.grp, new Map());
    liveOf.get(l.grp)!.set(l.state, l.n);
  }
  const groups = new Set<string | null>([...flowsOf.keys(), ...liveOf.keys()]);
  const figures = new Map(
    [...groups].map((g) => [g, groupFigures(flowsOf.get(g) ?? [], liveOf.get(g) ?? new Map(), n)] as const),
  );
  const rowOf = (g: string | null, b: Bucket) => {
    const f = figures.get(g);
    return toRow(
      byPeriod ? isoDay(b.period) : g,
      b,
      f?.flows.get(b.idx),
      f?.byStateAtEnd.get(b.idx) ?? emptyByState(),
    );
  };

  const reportRows = byPeriod
    ? periods.buckets.map((b) => rowOf(null, b))
    : [...groups]
        .sort(compareGroups(groupBy))
        .map((g) => rowOf(g, periods.buckets[0]!))
        .filter((r) => r.tasks + r.completed + r.failed + r.slaTotal > 0);

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
