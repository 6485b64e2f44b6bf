import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { KpiSet, MetricsReport } from "@/lib/metrics";
import { QUEUES, type QueueName } from "@/lib/queues";
import type { TaskStateName } from "@/lib/states";
import { createTestDatabase, type TestDatabase } from "@/test/database";
import { FakeClock } from "../clock";
import type { EngineContext } from "../context";
import { calendarBuckets, collectMetrics } from "./metrics-collector";
import {
  checkScrapeToken,
  createEngineCounters,
  createPrometheusRegistry,
  engineCounters,
  incrementEngineCounter,
  prometheusRegistry,
} from "./prometheus";
import { csvField, csvLine, generateReport, reportFilename, reportToCsv } from "./report-generator";

// Hand-built histories at fixed timestamps (no engine commands), so every KPI has an exact
// expected value. Times are UTC; the clock stands at NOW.

const H = 3600;
const NOW = "2026-03-10T12:00:00.000Z";
const FROM = new Date("2026-03-01T00:00:00.000Z");
const TO = new Date("2026-03-08T00:00:00.000Z");

type Step = [TaskStateName, string];

interface FixtureTask {
  id: string;
  queue: QueueName;
  history: Step[];
  /** Default: queue entry + the queue's SLA. */
  slaDeadline?: string | null;
  skill?: string;
  client?: string | null;
  archived?: boolean;
}

/** A figure read from a histogram: within `rel` of the exact one. */
function expectWithin(actual: number | null, exact: number, rel: number): void {
  expect(actual).not.toBeNull();
  expect(Math.abs((actual as number) - exact)).toBeLessThanOrEqual(rel * exact);
}

async function insertTask(db: TestDatabase, t: FixtureTask): Promise<void> {
  const first = t.history[0]!;
  const last = t.history[t.history.length - 1]!;
  const enteredAt = new Date((t.history.find(([s]) => s === "QUEUED") ?? first)[1]);
  const sla = QUEUES.find((q) => q.name === t.queue)?.slaMinutes ?? null;
  const slaDeadline =
    t.slaDeadline !== undefined
      ? t.slaDeadline && new Date(t.slaDeadline)
      : sla === null
        ? null
        : new Date(enteredAt.getTime() + sla * 60_000);
  await db.prisma.task.create({
    data: {
      id: t.id,
      createdAt: new Date(first[1]),
      title: `Fixture ${t.id}`,
      skillTarget: t.skill ?? "",
      clientName: t.client ?? null,
      state: last[0],
      previousState: t.history[t.history.length - 2]?.[0] ?? null,
      stateChangedAt: new Date(last[1]),
      queueName: t.queue,
      queueEnteredAt: enteredAt,
      slaDeadline,
      version: t.history.length,
      updatedAt: new Date(last[1]),
      updatedBy: "test",
      archivedAt: t.archived ? new Date(last[1]) : null,
    },
  });
  await db.prisma.taskStateHistory.createMany({
    data: t.history.map(([state, at], i) => ({
      taskId: t.id,
      state,
      fromState: i === 0 ? null : t.history[i - 1]![0],
      at: new Date(at),
      actor: "test",
      version: i + 1,
    })),
  });
}

/**
 * T1 high: queue 1 h, cycle 5 h, SLA met.          T2 high: queue 2 h, failed and retried, cycle 10 h, SLA met.
 * T3 normal: queue 6 h, blocked 12 h, cycle 24 h.  T4 normal: SLA breached at 03-05 00:00, started 4 h later (queue 28 h), still running.
 * T5 normal: started 03-07 (queue 2 h), completed exactly at TO (outside).  T6 critical: completed before the window (archived).
 * T7 backlog: waiting, no SLA.  T8 urgent: cancelled before its deadline, never started.
 * T9 critical: never started, SLA breached 03-06 11:00.  T10 normal: created after the window, SLA not yet due at NOW.
 */
const FIXTURE: FixtureTask[] = [
  {
    id: "TASK-2026-000001",
    queue: "high_priority",
    skill: "project-management",
    client: 'Acme, "Intl"',
    history: [
      ["CREATED", "2026-03-02T08:00:00Z"],
      ["QUEUED", "2026-03-02T08:00:00Z"],
      ["SCHEDULED", "2026-03-02T09:00:00Z"],
      ["IN_PROGRESS", "2026-03-02T09:00:00Z"],
      ["COMPLETED", "2026-03-02T13:00:00Z"],
    ],
  },
  {
    id: "TASK-2026-000002",
    queue: "high_priority",
    skill: "backend",
    client: 'Acme, "Intl"',
    history: [
      ["CREATED", "2026-03-02T10:00:00Z"],
      ["QUEUED", "2026-03-02T10:00:00Z"],
      ["SCHEDULED", "2026-03-02T12:00:00Z"],
      ["IN_PROGRESS", "2026-03-02T12:00:00Z"],
      ["FAILED", "2026-03-02T14:00:00Z"],
      ["IN_PROGRESS", "2026-03-02T15:00:00Z"],
      ["COMPLETED", "2026-03-02T20:00:00Z"],
    ],
  },
  {
    id: "TASK-2026-000003",
    queue: "normal",
    skill: "frontend",
    client: "Beta\nCorp",
    history: [
      ["CREATED", "2026-03-03T00:00:00Z"],
      ["QUEUED", "2026-03-03T00:00:00Z"],
      ["SCHEDULED", "2026-03-03T06:00:00Z"],
      ["IN_PROGRESS", "2026-03-03T06:00:00Z"],
      ["BLOCKED", "2026-03-03T08:00:00Z"],
      ["UNBLOCKED", "2026-03-03T20:00:00Z"],
      ["IN_PROGRESS", "2026-03-03T21:00:00Z"],
      ["COMPLETED", "2026-03-04T00:00:00Z"],
    ],
  },
  {
    id: "TASK-2026-000004",
    queue: "normal",
    skill: "backend",
    client: "Beta\nCorp",
    history: [
      ["CREATED", "2026-03-04T00:00:00Z"],
      ["QUEUED", "2026-03-04T00:00:00Z"],
      ["SCHEDULED", "2026-03-05T04:00:00Z"],
      ["IN_PROGRESS", "2026-03-05T04:00:00Z"],
    ],
  },
  {
    id: "TASK-2026-000005",
    queue: "normal",
    history: [
      ["CREATED", "2026-03-07T10:00:00Z"],
      ["QUEUED", "2026-03-07T10:00:00Z"],
      ["SCHEDULED", "2026-03-07T12:00:00Z"],
      ["IN_PROGRESS", "2026-03-07T12:00:00Z"],
      ["COMPLETED", "2026-03-08T00:00:00Z"],
    ],
  },
  {
    id: "TASK-2026-000006",
    queue: "critical",
    archived: true,
    history: [
      ["CREATED", "2026-02-27T10:00:00Z"],
      ["QUEUED", "2026-02-27T10:00:00Z"],
      ["SCHEDULED", "2026-02-27T10:10:00Z"],
      ["IN_PROGRESS", "2026-02-27T10:10:00Z"],
      ["COMPLETED", "2026-02-28T23:59:59.999Z"],
    ],
  },
  {
    id: "TASK-2026-000007",
    queue: "backlog",
    history: [
      ["CREATED", "2026-03-03T12:00:00Z"],
      ["QUEUED", "2026-03-03T12:00:00Z"],
    ],
  },
  {
    id: "TASK-2026-000008",
    queue: "urgent",
    history: [
      ["CREATED", "2026-03-06T10:00:00Z"],
      ["QUEUED", "2026-03-06T10:00:00Z"],
      ["CANCELLED", "2026-03-06T11:00:00Z"],
    ],
  },
  {
    id: "TASK-2026-000009",
    queue: "critical",
    history: [
      ["CREATED", "2026-03-06T10:00:00Z"],
      ["QUEUED", "2026-03-06T10:00:00Z"],
    ],
  },
  {
    id: "TASK-2026-000010",
    queue: "normal",
    history: [
      ["CREATED", "2026-03-10T11:30:00Z"],
      ["QUEUED", "2026-03-10T11:30:00Z"],
    ],
  },
];

async function insertFixture(db: TestDatabase, tasks: FixtureTask[] = FIXTURE): Promise<void> {
  for (const t of tasks) await insertTask(db, t);
}

let db: TestDatabase;
let ctx: EngineContext;

beforeAll(async () => {
  db = await createTestDatabase();
  ctx = { prisma: db.prisma, clock: new FakeClock(NOW) };
  await insertFixture(db);
});

afterAll(async () => {
  await db?.drop();
});

const queueKpis = (report: MetricsReport, queue: QueueName): KpiSet => {
  const q = report.queues.find((x) => x.queue === queue);
  if (!q) throw new Error(`no ${queue}`);
  return q.kpis;
};

describe("collectMetrics over [03-01, 03-08)", () => {
  let report: MetricsReport;
  beforeAll(async () => {
    report = await collectMetrics(ctx, { from: FROM, to: TO });
  });

  it("describes the window", () => {
    expect(report.window).toEqual({ from: FROM.toISOString(), to: TO.toISOString(), days: 7 });
    expect(report.queue).toBeNull();
    expect(report.generatedAt).toBe(NOW);
    expect(report.queues.map((q) => q.queue)).toEqual([
      "critical",
      "urgent",
      "high_priority",
      "normal",
      "low_priority",
      "backlog",
      "scheduled",
    ]);
    expect(report.queues.find((q) => q.queue === "normal")?.capacity).toBe(50);
    expect(report.queues.find((q) => q.queue === "backlog")?.capacity).toBeNull();
  });

  it("queue time: mean of queue entry → first start for tasks started in the window", () => {
    // T1 1 h, T2 2 h, T3 6 h, T4 28 h, T5 2 h
    expect(report.overall.queueTime).toMatchObject({ value: 7.8 * H, sample: 5, unit: "seconds" });
    // overall has no target of its own: it fails because normal fails
    expect(report.overall.queueTime.target).toBeNull();
    expect(report.overall.queueTime.status).toBe("fail");
    expect(queueKpis(report, "high_priority").queueTime).toMatchObject({
      value: 1.5 * H,
      sample: 2,
      status: "pass",
      target: { comparator: "lt", value: 2 * H, source: "seed" },
    });
    expect(queueKpis(report, "normal").queueTime).toMatchObject({
      value: 12 * H,
      sample: 3,
      status: "fail",
      target: { value: 8 * H, source: "seed" },
    });
    expect(queueKpis(report, "critical").queueTime).toMatchObject({
      value: null,
      sample: 0,
      status: "no_data",
      target: { value: 15 * 60, source: "orchestrator" },
    });
    expect(queueKpis(report, "backlog").queueTime.target).toBeNull();
  });

  it("cycle time: created → completed for tasks completed in the window, mean p50 p90", () => {
    // T1 5 h, T2 10 h, T3 24 h (T5 completes at TO: outside; T6 before FROM)
    expect(report.overall.cycleTime).toMatchObject({
      value: 13 * H,
      sample: 3,
      target: null,
      status: "no_target",
    });
    // percentiles come from the histogram: within 4.4 % of percentile_cont's
    expectWithin(report.overall.cycleTime.p50, 10 * H, 0.044);
    expectWithin(report.overall.cycleTime.p90, 21.2 * H, 0.044); // 10 + 0.8 × (24 − 10)
    const high = queueKpis(report, "high_priority").cycleTime;
    expect(high.value).toBe(7.5 * H);
    expectWithin(high.p50, 7.5 * H, 0.044);
    expectWithin(high.p90, 9.5 * H, 0.044);
  });

  it("throughput: completed per day", () => {
    expect(report.overall.throughput).toMatchObject({ value: 0.429, completed: 3, status: "no_target" });
    expect(queueKpis(report, "high_priority").throughput).toMatchObject({ value: 0.286, completed: 2 });
    expect(queueKpis(report, "urgent").throughput).toMatchObject({ value: 0, completed: 0 });
  });

  it("SLA compliance: met when started by the deadline, breached at the deadline", () => {
    // met: T1, T2, T3, T5; breached: T4 (started late), T9 (never started). T8 cancelled in time: out.
    expect(report.overall.slaCompliance).toMatchObject({
      value: 66.67,
      count: 4,
      sample: 6,
      status: "fail",
      target: { comparator: "gt", value: 95, source: "seed" },
    });
    expect(queueKpis(report, "high_priority").slaCompliance).toMatchObject({
      value: 100,
      sample: 2,
      status: "pass",
    });
    expect(queueKpis(report, "normal").slaCompliance).toMatchObject({ value: 66.67, count: 2, sample: 3 });
    expect(queueKpis(report, "critical").slaCompliance).toMatchObject({
      value: 0,
      sample: 1,
      status: "fail",
    });
    expect(queueKpis(report, "urgent").slaCompliance).toMatchObject({
      value: null,
      sample: 0,
      status: "no_data",
    });
    expect(queueKpis(report, "backlog").slaCompliance.sample).toBe(0);
  });

  it("error, retry and blocked rates over the tasks that went to work in the window", () => {
    // went to work in the window: T1..T5; T2 failed and was retried; T3 was blocked
    expect(report.overall.errorRate).toMatchObject({ value: 20, count: 1, sample: 5, status: "fail" });
    expect(report.overall.retryRate).toMatchObject({ value: 20, count: 1, sample: 5, status: "fail" });
    expect(report.overall.blockedRate).toMatchObject({ value: 20, count: 1, sample: 5, status: "fail" });
    const high = queueKpis(report, "high_priority");
    expect(high.errorRate).toMatchObject({ value: 50, sample: 2, status: "fail" });
    expect(high.retryRate).toMatchObject({ value: 50, sample: 2 });
    expect(high.blockedRate).toMatchObject({ value: 0, sample: 2, status: "pass" });
    const normal = queueKpis(report, "normal");
    expect(normal.errorRate).toMatchObject({ value: 0, sample: 3, status: "pass" });
    expect(normal.blockedRate).toMatchObject({ value: 33.33, count: 1, sample: 3, status: "fail" });
    expect(queueKpis(report, "backlog").errorRate.status).toBe("no_data");
  });

  it("per-day series: UTC days, same definitions per bucket", () => {
    expect(report.series.map((p) => p.start.slice(0, 10))).toEqual([
      "2026-03-01",
      "2026-03-02",
      "2026-03-03",
      "2026-03-04",
      "2026-03-05",
      "2026-03-06",
      "2026-03-07",
    ]);
    const [d01, d02, d03, d04, d05, d06, d07] = report.series;
    expect(d01).toMatchObject({ completed: 0, started: 0, slaTotal: 0, active: 0, errorRatePercent: null });
    expect(d02).toMatchObject({
      completed: 2,
      throughputPerDay: 2,
      queueTimeSeconds: 1.5 * H,
      started: 2,
      slaCompliancePercent: 100,
      slaTotal: 2,
      active: 2,
      errorRatePercent: 50,
      retryRatePercent: 50,
      blockedRatePercent: 0,
    });
    expect(d03).toMatchObject({
      completed: 0,
      queueTimeSeconds: 6 * H,
      slaCompliancePercent: 100,
      active: 1,
      blockedRatePercent: 100,
      errorRatePercent: 0,
    });
    // T3 completes at midnight: its last running span ends where 03-04 begins
    expect(d04).toMatchObject({ completed: 1, started: 0, slaTotal: 0, active: 0, blockedRatePercent: null });
    expect(d05).toMatchObject({
      queueTimeSeconds: 28 * H,
      slaCompliancePercent: 0,
      slaTotal: 1,
      active: 1,
      errorRatePercent: 0,
    });
    // T4 went to work on 03-05: the cohort counts it there only
    expect(d06).toMatchObject({ slaCompliancePercent: 0, slaTotal: 1, active: 0, completed: 0 });
    expect(d07).toMatchObject({
      queueTimeSeconds: 2 * H,
      slaCompliancePercent: 100,
      active: 1, // T5
      completed: 0,
      end: TO.toISOString(),
    });
  });
});

describe("window boundaries", () => {
  it("includes a completion at `from` and excludes one at `to`", async () => {
    const at13 = await collectMetrics(ctx, { from: new Date("2026-03-02T13:00:00Z"), to: TO });
    expect(at13.overall.throughput.completed).toBe(3); // T1 at 13:00, T2, T3
    const after13 = await collectMetrics(ctx, { from: new Date("2026-03-02T14:00:00Z"), to: TO });
    expect(after13.overall.throughput.completed).toBe(2);
    const oneMsMore = await collectMetrics(ctx, { from: FROM, to: new Date("2026-03-08T00:00:00.001Z") });
    expect(oneMsMore.overall.throughput.completed).toBe(4); // T5 now inside
    expect(oneMsMore.overall.cycleTime.value).toBe(13.25 * H); // (5 + 10 + 24 + 14) / 4
  });

  it("counts a failure or a retry in the hour the task went to work, whenever it happens", async () => {
    // T2 went to work 12:00, failed 14:00, retried 15:00, runs until 20:00
    const later = await collectMetrics(ctx, {
      from: new Date("2026-03-02T15:00:00Z"),
      to: new Date("2026-03-02T18:00:00Z"),
    });
    expect(later.overall.errorRate).toMatchObject({ value: null, sample: 0 });
    const atStart = await collectMetrics(ctx, {
      from: new Date("2026-03-02T12:00:00Z"),
      to: new Date("2026-03-02T13:00:00Z"),
    });
    expect(atStart.overall.errorRate).toMatchObject({ value: 100, sample: 1 });
    expect(atStart.overall.retryRate).toMatchObject({ value: 100, sample: 1 });
  });

  it("answers hour-resolved windows: from down to its hour, to up to its hour unless past now", async () => {
    const r = await collectMetrics(ctx, {
      from: new Date("2026-03-02T13:20:00Z"),
      to: new Date("2026-03-07T23:10:00Z"),
    });
    expect(r.window).toMatchObject({ from: "2026-03-02T13:00:00.000Z", to: "2026-03-08T00:00:00.000Z" });
    expect(r.overall.throughput.completed).toBe(3); // T1 at 13:00 is inside
    const live = await collectMetrics(ctx, { from: new Date("2026-03-10T00:00:00Z"), to: new Date(NOW) });
    expect(live.window.to).toBe(NOW);
  });

  it("clips series buckets to the window", async () => {
    const r = await collectMetrics(ctx, {
      from: new Date("2026-03-02T12:00:00Z"),
      to: new Date("2026-03-03T12:00:00Z"),
    });
    expect(r.series.map((p) => [p.start, p.end])).toEqual([
      ["2026-03-02T12:00:00.000Z", "2026-03-03T00:00:00.000Z"],
      ["2026-03-03T00:00:00.000Z", "2026-03-03T12:00:00.000Z"],
    ]);
    // T1 at 13:00, T2 at 20:00 in half a day
    expect(r.series[0]).toMatchObject({ completed: 2, throughputPerDay: 4 });
    expect(r.overall.throughput.value).toBe(2);
  });

  it("an SLA is not breached before its deadline passes on the clock", async () => {
    const window = { from: new Date("2026-03-10T00:00:00Z"), to: new Date("2026-03-12T00:00:00Z") };
    const before = await collectMetrics(ctx, window);
    expect(before.overall.slaCompliance).toMatchObject({ sample: 0, status: "no_data" });
    const later = await collectMetrics({ ...ctx, clock: new FakeClock("2026-03-11T12:00:00Z") }, window);
    expect(later.overall.slaCompliance).toMatchObject({ value: 0, sample: 1 }); // T10, due 03-11 11:30
  });
});

describe("one queue", () => {
  it("restricts overall, queues and series to it", async () => {
    const r = await collectMetrics(ctx, { from: FROM, to: TO, queue: "high_priority" });
    expect(r.queue).toBe("high_priority");
    expect(r.queues.map((q) => q.queue)).toEqual(["high_priority"]);
    expect(r.overall.queueTime).toMatchObject({ value: 1.5 * H, status: "pass", target: { value: 2 * H } });
    expect(r.overall.errorRate).toMatchObject({ value: 50, sample: 2 });
    expect(r.overall.throughput.completed).toBe(2);
    expect(r.series[1]).toMatchObject({ completed: 2, active: 2 });
    expect(r.series[2]).toMatchObject({ completed: 0, active: 0, slaTotal: 0 });
  });

  it("leaves out series when asked", async () => {
    const r = await collectMetrics(ctx, { from: FROM, to: TO }, { series: false });
    expect(r.series).toEqual([]);
    expect(r.overall.throughput.completed).toBe(3);
  });
});

describe("calendarBuckets", () => {
  it("cuts UTC days and ISO weeks (Monday) clipped to the window", () => {
    const days = calendarBuckets(new Date("2026-03-01T10:00:00Z"), new Date("2026-03-03T00:00:00Z"), "day");
    expect(
      days.map((b) => [b.idx, b.period.toISOString(), b.start.toISOString(), b.end.toISOString()]),
    ).toEqual([
      [1, "2026-03-01T00:00:00.000Z", "2026-03-01T10:00:00.000Z", "2026-03-02T00:00:00.000Z"],
      [2, "2026-03-02T00:00:00.000Z", "2026-03-02T00:00:00.000Z", "2026-03-03T00:00:00.000Z"],
    ]);
    // 2026-03-01 is a Sunday: its week began Monday 02-23
    const weeks = calendarBuckets(FROM, new Date("2026-03-10T00:00:00Z"), "week");
    expect(
      weeks.map((b) => [b.period.toISOString().slice(0, 10), b.start.toISOString().slice(0, 10)]),
    ).toEqual([
      ["2026-02-23", "2026-03-01"],
      ["2026-03-02", "2026-03-02"],
      ["2026-03-09", "2026-03-09"],
    ]);
  });
});

// --- report-generator ---------------------------------------------------------------------------

/** A small RFC 4180 reader, to check the CSV round-trips. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(field);
      field = "";
    } else if (c === "\r" && text[i + 1] === "\n") {
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
      i++;
    } else field += c;
  }
  if (field !== "" || row.length > 0) rows.push([...row, field]);
  return rows;
}

describe("generateReport", () => {
  it("groups by queue: counts by state at the window's end, completed, failed, cycle time, SLA", async () => {
    const report = await generateReport(ctx, { from: FROM, to: TO, groupBy: "queue" });
    expect(report.groupBy).toBe("queue");
    expect(report.window).toEqual({ from: FROM.toISOString(), to: TO.toISOString() });
    expect(report.rows.map((r) => r.group)).toEqual([
      "critical",
      "urgent",
      "high_priority",
      "normal",
      "backlog",
    ]);
    const row = (g: string) => report.rows.find((r) => r.group === g)!;
    expect(row("high_priority")).toMatchObject({
      from: FROM.toISOString(),
      to: TO.toISOString(),
      tasks: 2,
      completed: 2,
      failed: 1,
      cycleTimeMeanSeconds: 7.5 * H,
      slaMet: 2,
      slaTotal: 2,
      slaCompliancePercent: 100,
    });
    expect(row("high_priority").byState).toMatchObject({ COMPLETED: 2, FAILED: 0, QUEUED: 0 });
    // T5 completes exactly at `to`: still IN_PROGRESS at the end of the window
    expect(row("normal")).toMatchObject({
      tasks: 3,
      completed: 1,
      failed: 0,
      cycleTimeMeanSeconds: 24 * H,
      slaMet: 2,
      slaTotal: 3,
      slaCompliancePercent: 66.67,
    });
    expect(row("normal").byState).toMatchObject({ COMPLETED: 1, IN_PROGRESS: 2 });
    // T6 finished before the window: not listed, so critical holds T9 only
    expect(row("critical")).toMatchObject({ tasks: 1, completed: 0, slaTotal: 1, slaCompliancePercent: 0 });
    expect(row("critical").byState.QUEUED).toBe(1);
    expect(row("urgent")).toMatchObject({ tasks: 1, slaTotal: 0, slaCompliancePercent: null });
    expect(row("urgent").byState.CANCELLED).toBe(1);
    expect(row("backlog")).toMatchObject({ tasks: 1, cycleTimeMeanSeconds: null });
  });

  it("groups by skill and by client, unspecified last", async () => {
    const bySkill = await generateReport(ctx, { from: FROM, to: TO, groupBy: "skill" });
    expect(bySkill.rows.map((r) => [r.group, r.tasks, r.completed])).toEqual([
      ["backend", 2, 1],
      ["frontend", 1, 1],
      ["project-management", 1, 1],
      [null, 4, 0],
    ]);
    const byClient = await generateReport(ctx, { from: FROM, to: TO, groupBy: "client" });
    expect(byClient.rows.map((r) => [r.group, r.tasks, r.failed])).toEqual([
      ['Acme, "Intl"', 2, 1],
      ["Beta\nCorp", 2, 0],
      [null, 4, 0],
    ]);
  });

  it("groups by day: every day listed, each its own window", async () => {
    const report = await generateReport(ctx, { from: FROM, to: TO, groupBy: "day" });
    expect(report.rows.map((r) => r.group)).toEqual([
      "2026-03-01",
      "2026-03-02",
      "2026-03-03",
      "2026-03-04",
      "2026-03-05",
      "2026-03-06",
      "2026-03-07",
    ]);
    const [d01, d02, d03, d04] = report.rows;
    expect(d01).toMatchObject({ tasks: 0, completed: 0, slaCompliancePercent: null });
    expect(d02).toMatchObject({
      tasks: 2,
      completed: 2,
      failed: 1,
      cycleTimeMeanSeconds: 7.5 * H,
      slaTotal: 2,
    });
    expect(d02!.byState.COMPLETED).toBe(2);
    // T1 and T2 were done before 03-03 began; T3 (running at midnight) and T7 (waiting) remain
    expect(d03).toMatchObject({ tasks: 2, completed: 0, slaMet: 1, slaTotal: 1 });
    expect(d03!.byState).toMatchObject({ IN_PROGRESS: 1, QUEUED: 1, COMPLETED: 0 });
    expect(d04).toMatchObject({ tasks: 3, completed: 1, cycleTimeMeanSeconds: 24 * H });
    expect(d04!.byState).toMatchObject({ COMPLETED: 1, QUEUED: 2 });
  });

  it("groups by ISO week, clipped to the window, labelled by the week's Monday", async () => {
    const report = await generateReport(ctx, { from: FROM, to: TO, groupBy: "week" });
    expect(report.rows.map((r) => [r.group, r.from, r.to, r.tasks, r.completed, r.failed])).toEqual([
      ["2026-02-23", FROM.toISOString(), "2026-03-02T00:00:00.000Z", 0, 0, 0],
      ["2026-03-02", "2026-03-02T00:00:00.000Z", TO.toISOString(), 8, 3, 1],
    ]);
  });

  it("writes CSV: header row, quoted commas, quotes and newlines, CRLF line ends", async () => {
    const report = await generateReport(ctx, { from: FROM, to: TO, groupBy: "client" });
    const csv = reportToCsv(report);
    expect(csv.startsWith("client,from,to,tasks,state_created,state_queued,")).toBe(true);
    expect(csv).toContain('\r\n"Acme, ""Intl""",2026-03-01T00:00:00.000Z,2026-03-08T00:00:00.000Z,2,');
    expect(csv).toContain('\r\n"Beta\nCorp",');
    expect(csv.endsWith("\r\n")).toBe(true);
    const rows = parseCsv(csv);
    expect(rows).toHaveLength(4);
    const header = rows[0]!;
    expect(header).toContain("sla_compliance_percent");
    expect(rows.every((r) => r.length === header.length)).toBe(true);
    expect(rows.map((r) => r[0])).toEqual(["client", 'Acme, "Intl"', "Beta\nCorp", ""]);
    const acme = Object.fromEntries(header.map((h, i) => [h, rows[1]![i]]));
    expect(acme).toMatchObject({
      tasks: "2",
      state_completed: "2",
      completed: "2",
      failed: "1",
      cycle_time_mean_seconds: String(7.5 * H),
      sla_compliance_percent: "100",
    });
    expect(rows[3]![header.indexOf("sla_compliance_percent")]).toBe("50"); // T5 met, T9 breached
    expect(reportToCsv(report, { bom: true }).startsWith("\uFEFFclient,")).toBe(true);
    expect(reportFilename(report, "csv")).toBe("report-client-2026-03-01-2026-03-08.csv");
  });

  it("neutralises cells a spreadsheet would run as formulas", () => {
    expect(csvField("=HYPERLINK(1)")).toBe("'=HYPERLINK(1)");
    expect(csvField("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvField("-1+2")).toBe("'-1+2");
    expect(csvField(-1)).toBe("-1");
    expect(csvField(" padded")).toBe('" padded"');
    expect(csvField(null)).toBe("");
    expect(csvLine(["a", 'b"c', "d,e", 3, null])).toBe('a,"b""c","d,e",3,');
  });
});

// --- prometheus ------------------------------------------------------------------------------

/** The sample lines of an exposition, as "name{labels}" → value. */
function samples(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split("\n")) {
    if (!line || line.startsWith("#")) continue;
    const at = line.lastIndexOf(" ");
    out.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return out;
}

describe("prometheus registry", () => {
  beforeAll(async () => {
    await db.prisma.escalation.createMany({
      data: [
        { status: "OPEN", taskId: "TASK-2026-000004" },
        { status: "ACKNOWLEDGED", taskId: "TASK-2026-000009" },
        { status: "RESOLVED", taskId: "TASK-2026-000008" },
      ].map((e, i) => ({
        id: `ESC-${i}`,
        taskId: e.taskId,
        reason: "sla_breach_imminent",
        urgency: "high",
        suggestedAction: "Call",
        escalatedTo: "account_manager",
        deadline: new Date(NOW),
        status: e.status as "OPEN" | "ACKNOWLEDGED" | "RESOLVED",
        openKey: e.status === "RESOLVED" ? null : `${e.taskId}:sla_breach_imminent`,
        createdAt: new Date(NOW),
      })),
    });
  });

  it("exposes tasks by queue and state, load, capacity and open escalations", async () => {
    const registry = createPrometheusRegistry(ctx, { counters: createEngineCounters() });
    const text = await registry.metrics();
    expect(text).toContain("# TYPE orchestrator_tasks gauge");
    const s = samples(text);
    expect(s.get('orchestrator_tasks{queue="normal",state="COMPLETED"}')).toBe(2);
    expect(s.get('orchestrator_tasks{queue="normal",state="IN_PROGRESS"}')).toBe(1);
    expect(s.get('orchestrator_tasks{queue="normal",state="QUEUED"}')).toBe(1);
    expect(s.get('orchestrator_tasks{queue="high_priority",state="COMPLETED"}')).toBe(2);
    expect(s.get('orchestrator_tasks{queue="urgent",state="CANCELLED"}')).toBe(1);
    // T6 is archived; known label sets are exported as 0 rather than left out
    expect(s.get('orchestrator_tasks{queue="critical",state="COMPLETED"}')).toBe(0);
    expect(s.get('orchestrator_tasks{queue="scheduled",state="FAILED"}')).toBe(0);
    expect(s.get('orchestrator_queue_in_progress{queue="normal"}')).toBe(1);
    expect(s.get('orchestrator_queue_in_progress{queue="critical"}')).toBe(0);
    expect(s.get('orchestrator_queue_capacity{queue="critical"}')).toBe(3);
    expect(s.get('orchestrator_queue_capacity{queue="normal"}')).toBe(50);
    expect(s.has('orchestrator_queue_capacity{queue="backlog"}')).toBe(false);
    expect(s.get('orchestrator_escalations_open{status="OPEN"}')).toBe(1);
    expect(s.get('orchestrator_escalations_open{status="ACKNOWLEDGED"}')).toBe(1);
  });

  it("exposes the KPIs of the last 24 h, as ratios, per queue and over all", async () => {
    // at 03-03 00:00, the last 24 h are the whole of 03-02: T1 and T2
    const registry = createPrometheusRegistry(
      { prisma: db.prisma, clock: new FakeClock("2026-03-03T00:00:00Z") },
      { counters: createEngineCounters() },
    );
    const s = samples(await registry.metrics());
    expect(s.get('orchestrator_kpi_queue_time_seconds{queue="all"}')).toBe(1.5 * H);
    expect(s.get('orchestrator_kpi_throughput_per_day{queue="all"}')).toBe(2);
    expect(s.get('orchestrator_kpi_sla_compliance_ratio{queue="all"}')).toBe(1);
    expect(s.get('orchestrator_kpi_error_ratio{queue="all"}')).toBe(0.5);
    expect(s.get('orchestrator_kpi_retry_ratio{queue="high_priority"}')).toBe(0.5);
    expect(s.get('orchestrator_kpi_blocked_ratio{queue="all"}')).toBe(0);
    expect(s.get('orchestrator_kpi_cycle_time_seconds{queue="all",stat="mean"}')).toBe(7.5 * H);
    expectWithin(
      s.get('orchestrator_kpi_cycle_time_seconds{queue="all",stat="p90"}') ?? null,
      9.5 * H,
      0.044,
    );
    expect(s.get('orchestrator_kpi_target_met{kpi="slaCompliance",queue="all"}')).toBe(1);
    expect(s.get('orchestrator_kpi_target_met{kpi="errorRate",queue="all"}')).toBe(0);
    expect(s.get('orchestrator_kpi_target_met{kpi="blockedRate",queue="high_priority"}')).toBe(1);
    // nothing measured in normal that day: no sample rather than a made-up 0
    expect(s.has('orchestrator_kpi_queue_time_seconds{queue="normal"}')).toBe(false);
    expect(s.has('orchestrator_kpi_target_met{kpi="cycleTime",queue="all"}')).toBe(false);
    expect(s.get('orchestrator_kpi_throughput_per_day{queue="normal"}')).toBe(0);
  });

  it("reads fresh values on every scrape", async () => {
    const registry = createPrometheusRegistry(ctx, { counters: createEngineCounters() });
    const before = samples(await registry.metrics());
    await insertTask(db, {
      id: "TASK-2026-000011",
      queue: "low_priority",
      history: [
        ["CREATED", "2026-03-10T11:00:00Z"],
        ["QUEUED", "2026-03-10T11:00:00Z"],
      ],
    });
    const after = samples(await registry.metrics());
    expect(before.get('orchestrator_tasks{queue="low_priority",state="QUEUED"}')).toBe(0);
    expect(after.get('orchestrator_tasks{queue="low_priority",state="QUEUED"}')).toBe(1);
    await db.prisma.task.delete({ where: { id: "TASK-2026-000011" } });
  });

  it("exposes the engine counters incremented through incrementEngineCounter", async () => {
    const registry = createPrometheusRegistry(ctx);
    const key = 'orchestrator_transitions_total{from="QUEUED",to="SCHEDULED"}';
    const before = samples(await registry.metrics()).get(key) ?? 0;
    incrementEngineCounter("transitions", { from: "QUEUED", to: "SCHEDULED" });
    incrementEngineCounter("transitions", { from: "QUEUED", to: "SCHEDULED" }, 2);
    expect(samples(await registry.metrics()).get(key)).toBe(before + 3);
    expect(engineCounters()).toBe(engineCounters());
    expect(() => incrementEngineCounter("retries", { nope: "x" })).toThrow();
  });

  it("keeps one registry per process and engine context", () => {
    expect(prometheusRegistry(ctx)).toBe(prometheusRegistry(ctx));
    expect(prometheusRegistry({ ...ctx })).not.toBe(prometheusRegistry(ctx));
  });

  it("checks the bearer token: disabled without METRICS_TOKEN, 401 material without the right one", () => {
    expect(checkScrapeToken(null, undefined)).toBe("disabled");
    expect(checkScrapeToken("Bearer anything", "")).toBe("disabled");
    expect(checkScrapeToken(null, "s3cret")).toBe("unauthorized");
    expect(checkScrapeToken("Bearer wrong", "s3cret")).toBe("unauthorized");
    expect(checkScrapeToken("Basic s3cret", "s3cret")).toBe("unauthorized");
    expect(checkScrapeToken("Bearer s3cret-and-more", "s3cret")).toBe("unauthorized");
    expect(checkScrapeToken("Bearer s3cret", "s3cret")).toBe("ok");
    expect(checkScrapeToken("bearer  s3cret ", "s3cret")).toBe("ok");
  });
});
