import { describe, expect, it } from "vitest";
import type { QueueName } from "@/lib/queues";
import { allowedTargets } from "@/lib/transitions";
import { isDomainError } from "../errors";
import { dispatchOnce } from "../execution/dispatcher";
import { moveTask } from "../queue/queue-manager";
import { transitionTask } from "../state/state-controller";
import { ADMIN, EXECUTOR, newTask, OPERATOR, SYSTEM, setupEngine } from "../state/test-support";
import { updateTask } from "../state/update-task";
import { collectMetrics } from "./metrics-collector";
import { generateReport } from "./report-generator";
import {
  catchUpRollups,
  compactRollups,
  histogramPercentile,
  MAX_BLOCK_LEVEL,
  ROLLUP_COUNTERS,
  rollupCover,
} from "./rollups";
import { factsOf, loadRawTasks, type RawCounters, rawCounters, rawReportRow } from "./testing/raw-figures";

// The rollups after a random workload through the engine's own doors (creations, dispatches by
// the SQL hot path, starts, completions, failures, retries, blocks, cancels, moves across queues,
// skill and client changes) over many fake-clock hours, then over weeks: the hourly rows equal a
// recomputation from the raw rows, the day and block rows equal the folded hourly rows inside
// them, and /metrics and /reports give the raw rows' figures over windows whose edges fall
// mid-day with whole days (and blocks of days) between them.

const h = setupEngine();
const HOUR = 3_600_000;

/** A seeded generator (mulberry32): the same workload on every run, a different one per seed. */
function random(seed: number) {
  let a = seed;
  const next = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)]!,
  };
}

const QUEUES: QueueName[] = ["critical", "urgent", "high_priority", "normal", "low_priority", "backlog"];
const SKILLS = ["backend", "frontend", "design", ""];
const CLIENTS = ["Acme", "Beta Corp", "Gamma", undefined];
const ACTORS = [SYSTEM, ADMIN, EXECUTOR, OPERATOR];

/** Swallows what the engine refuses (a guard, a role, a full queue): the workload goes on. */
async function attempt(fn: () => Promise<unknown>): Promise<void> {
  try {
    await fn();
  } catch (error) {
    if (!isDomainError(error)) throw error;
  }
}

/** `maxMinutes`: the most minutes the clock moves between two steps (12: hours of work; more: weeks). */
async function runWorkload(seed: number, steps: number, maxMinutes = 12): Promise<void> {
  const rnd = random(seed);
  const { ctx, clock } = h;
  for (let step = 0; step < steps; step++) {
    clock.advance(rnd.int(maxMinutes) * 60_000 + rnd.int(60_000));
    const roll = rnd.next();
    const tasks = await ctx.prisma.task.findMany({
      where: { state: { notIn: ["COMPLETED", "CANCELLED"] } },
      select: { id: true, state: true, version: true },
    });
    const task = tasks.length > 0 ? rnd.pick(tasks) : null;
    if (roll < 0.2 || !task) {
      const client = rnd.pick(CLIENTS);
      await newTask(ctx, {
        definition: { title: `Work ${step}`, type: "analysis", skill_target: rnd.pick(SKILLS) || undefined },
        queue: { name: rnd.pick(QUEUES) },
        ...(client ? { context: { client: { name: client } } } : {}),
      });
    } else if (roll < 0.3) {
      await dispatchOnce(ctx);
    } else if (roll < 0.38) {
      await attempt(() =>
        moveTask(ctx, task.id, ADMIN, { queue: rnd.pick(QUEUES.filter((q) => q !== "backlog")) }),
      );
    } else if (roll < 0.42) {
      const client = rnd.pick(CLIENTS) ?? null;
      await attempt(() =>
        updateTask(
          ctx,
          task.id,
          {
            expected_version: task.version,
            definition: { skill_target: rnd.pick(SKILLS) },
            context: { client: { name: client } },
          },
          ADMIN,
        ),
      );
    } else if (roll < 0.44) {
      // Catch-ups and compactions in the middle of the work, each over what is pending then.
      await (step % 2 ? catchUpRollups(ctx) : compactRollups(ctx, { batch: 7 }));
    } else {
      const targets = allowedTargets(task.state);
      if (targets.length === 0) continue;
      const to = rnd.pick(targets);
      await attempt(() => transitionTask(ctx, task.id, to, rnd.pick(ACTORS), { reason: `step ${step}` }));
    }
  }
  // The reads come after the last change: a change at the very instant of a read's `now` is in
  // the rollups' hour before now but not in [from, now) of the raw reference.
  clock.advance(1_000);
}

const COUNTERS = ROLLUP_COUNTERS.map((c) => `sum(${c})`).join(", ");

/**
 * Rows of the rollups (summed per key) that differ from the recomputation, both ways, read as
 * the metrics' readers read them: after bringing the pending tasks up to date; then the block
 * rows (every level) that differ from the sum of the folded hourly rows inside them.
 */
async function rollupDifferences(): Promise<unknown[]> {
  await catchUpRollups(h.ctx);
  const blocks = await h.ctx.prisma.$queryRawUnsafe<unknown[]>(`
    WITH have AS (
      SELECT grain, key, level, start, cycle_bucket, row(${COUNTERS})::text AS v
      FROM task_rollup_blocks GROUP BY 1, 2, 3, 4, 5
    ),
    folded AS (
      SELECT grain, key, l.level, task_rollup_block(hour, l.level) AS start, cycle_bucket, row(${COUNTERS})::text AS v
      FROM task_rollups_hourly, generate_series(0, ${MAX_BLOCK_LEVEL}) AS l(level)
      WHERE compacted GROUP BY 1, 2, 3, 4, 5
    )
    SELECT b.grain AS block_grain, b.key AS block_key, b.level AS block_level, b.start AS block_start, b.v AS block,
           f.grain, f.key, f.level, f.start, f.v AS folded
    FROM have b FULL JOIN folded f
      ON (b.grain, b.key, b.level, b.start, b.cycle_bucket) = (f.grain, f.key, f.level, f.start, f.cycle_bucket)
    WHERE b.v IS DISTINCT FROM f.v
      AND NOT (COALESCE(b.v, f.v) = '(${ROLLUP_COUNTERS.map(() => 0).join(",")})')`);
  const hourly = await h.ctx.prisma.$queryRawUnsafe<unknown[]>(`
    WITH live AS (
      SELECT grain, key, hour, cycle_bucket,
             row(sum(started), sum(queue_ms), sum(completed), sum(cycle_ms), sum(sla_total), sum(sla_met),
                 sum(active), sum(failed), sum(retried), sum(blocked), sum(failures), sum(n_created),
                 sum(n_queued), sum(n_on_hold), sum(n_scheduled), sum(n_in_progress), sum(n_completed),
                 sum(n_failed), sum(n_blocked), sum(n_unblocked), sum(n_cancelled))::text AS v
      FROM task_rollups_hourly GROUP BY 1, 2, 3, 4
    ),
    raw AS (
      SELECT grain, key, hour, cycle_bucket,
             row(started::numeric, queue_ms::numeric, completed::numeric, cycle_ms::numeric, sla_total::numeric,
                 sla_met::numeric, active::numeric, failed::numeric, retried::numeric, blocked::numeric,
                 failures::numeric, n_created::numeric, n_queued::numeric, n_on_hold::numeric,
                 n_scheduled::numeric, n_in_progress::numeric, n_completed::numeric, n_failed::numeric,
                 n_blocked::numeric, n_unblocked::numeric, n_cancelled::numeric)::text AS v
      FROM task_rollups_recompute()
    )
    SELECT l.grain AS live_grain, l.key AS live_key, l.hour AS live_hour, l.v AS live,
           r.grain, r.key, r.hour, r.v AS raw
    FROM live l FULL JOIN raw r
      ON (l.grain, l.key, l.hour, l.cycle_bucket) = (r.grain, r.key, r.hour, r.cycle_bucket)
    WHERE l.v IS DISTINCT FROM r.v
      AND NOT (r.v IS NULL AND l.v = '(0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0)')`);
  return [...hourly, ...blocks];
}

const rounded = (x: number | null, decimals: number) =>
  x === null ? null : Math.round(x * 10 ** decimals) / 10 ** decimals;
const pct = (part: number, whole: number) => (whole === 0 ? null : rounded((100 * part) / whole, 2));

/** A KpiSet's figures in the reference's terms (percentiles apart). */
function kpiFigures(k: Awaited<ReturnType<typeof collectMetrics>>["overall"]) {
  return {
    started: k.queueTime.sample,
    queueMean: k.queueTime.value,
    completed: k.throughput.completed,
    cycleMean: k.cycleTime.value,
    slaTotal: k.slaCompliance.sample,
    slaMet: k.slaCompliance.count,
    active: k.errorRate.sample,
    failed: k.errorRate.count,
    retried: k.retryRate.count,
    blocked: k.blockedRate.count,
  };
}
function rawFigures(c: RawCounters) {
  return {
    started: c.started,
    queueMean: rounded(c.queueMeanS, 3),
    completed: c.completed,
    cycleMean: rounded(c.cycleMeanS, 3),
    slaTotal: c.slaTotal,
    slaMet: c.slaMet,
    active: c.active,
    failed: c.failed,
    retried: c.retried,
    blocked: c.blocked,
  };
}
function expectPercentile(actual: number | null, exact: number | null): void {
  if (exact === null) {
    expect(actual).toBeNull();
    return;
  }
  expect(actual).not.toBeNull();
  expect(Math.abs((actual as number) - exact)).toBeLessThanOrEqual(0.044 * exact + 0.5);
}

/**
 * Windows over the work so far: all of it, a few hours, the last hours, and, once the work spans
 * days, windows whose edges fall mid-day (hour-aligned, as the answers' windows are) with whole
 * days between them, read from day rows or blocks of several sizes.
 */
function windowsOver(start: number, now: number): [number, number][] {
  const lastHour = Math.floor(now / HOUR) * HOUR;
  const windows: [number, number][] = [
    [start, now],
    [start + 3 * HOUR, start + 9 * HOUR],
    [lastHour - 5 * HOUR, now],
  ];
  for (const [from, to] of [
    [start + 5 * HOUR, lastHour - 7 * HOUR],
    [start + 29 * HOUR, start + 29 * HOUR + 13 * 24 * HOUR],
    [start + 53 * HOUR, now],
  ] as const) {
    if (to - from > 2 * 24 * HOUR && to <= now) windows.push([from, to]);
  }
  return windows;
}

async function expectFiguresMatchRaw(): Promise<void> {
  const { ctx, clock } = h;
  const now = clock.now().getTime();
  const raw = (await loadRawTasks(ctx.prisma)).map((t) => factsOf(t, now));
  const start = Math.floor(raw.reduce((m, f) => Math.min(m, f.task.createdAt), now) / HOUR) * HOUR;
  for (const [from, to] of windowsOver(start, now)) {
    const window = { from: new Date(from), to: new Date(to) };
    const metrics = await collectMetrics(ctx, window);
    const all = rawCounters(raw, from, to);
    expect(kpiFigures(metrics.overall), `overall ${window.from.toISOString()}`).toEqual(rawFigures(all));
    expectPercentile(metrics.overall.cycleTime.p50, all.cycleP50S);
    expectPercentile(metrics.overall.cycleTime.p90, all.cycleP90S);
    expect(metrics.overall.errorRate.value).toBe(pct(all.failed, all.active));
    for (const q of metrics.queues) {
      const c = rawCounters(
        raw.filter((f) => f.task.queue === q.queue),
        from,
        to,
      );
      expect(kpiFigures(q.kpis), `${q.queue} ${window.from.toISOString()}`).toEqual(rawFigures(c));
      expectPercentile(q.kpis.cycleTime.p50, c.cycleP50S);
    }
    for (const point of metrics.series) {
      const c = rawCounters(raw, Date.parse(point.start), Date.parse(point.end));
      expect({
        completed: point.completed,
        started: point.started,
        sla: point.slaTotal,
        active: point.active,
      }).toEqual({
        completed: c.completed,
        started: c.started,
        sla: c.slaTotal,
        active: c.active,
      });
      expect(point.blockedRatePercent).toBe(pct(c.blocked, c.active));
    }

    for (const groupBy of ["day", "queue", "skill", "client"] as const) {
      const report = await generateReport(ctx, { ...window, groupBy });
      const groupOf = (f: (typeof raw)[number]) =>
        groupBy === "queue"
          ? f.task.queue
          : groupBy === "skill"
            ? f.task.skill
            : groupBy === "client"
              ? f.task.client
              : null;
      for (const row of report.rows) {
        const facts = groupBy === "day" ? raw : raw.filter((f) => groupOf(f) === row.group);
        const expected = rawReportRow(facts, Date.parse(row.from), Date.parse(row.to));
        expect(
          {
            tasks: row.tasks,
            byState: row.byState,
            completed: row.completed,
            failed: row.failed,
            cycle: row.cycleTimeMeanSeconds,
            slaTotal: row.slaTotal,
            slaMet: row.slaMet,
          },
          `${groupBy} ${row.group} ${row.from} in [${window.from.toISOString()}, ${window.to.toISOString()})`,
        ).toEqual({
          tasks: expected.tasks,
          byState: expected.byState,
          completed: expected.completed,
          failed: expected.failed,
          cycle: rounded(expected.cycleMeanS, 3),
          slaTotal: expected.slaTotal,
          slaMet: expected.slaMet,
        });
      }
      if (groupBy !== "day") {
        // every group with something to show has its row
        const shown = new Set(report.rows.map((r) => r.group));
        for (const f of raw) {
          const g = groupOf(f);
          if (shown.has(g)) continue;
          const e = rawReportRow(
            raw.filter((x) => groupOf(x) === g),
            Date.parse(report.window.from),
            Date.parse(report.window.to),
          );
          expect(e.tasks + e.completed + e.failed + e.slaTotal, `${groupBy} ${g} missing`).toBe(0);
        }
      }
    }
  }
}

describe("metrics rollups after a random workload", () => {
  it("equal a recomputation from the raw rows, and /metrics and /reports give the raw figures", async () => {
    await runWorkload(14, 260);
    expect(await h.ctx.prisma.taskStateHistory.count()).toBeGreaterThan(200);
    // the workload reached every kind of change the KPIs count
    const kinds = await h.ctx.prisma.$queryRawUnsafe<{ state: string; from_state: string | null }[]>(
      "SELECT DISTINCT state::text, from_state::text FROM task_state_history",
    );
    const seen = (state: string, from?: string) =>
      kinds.some((k) => k.state === state && (!from || k.from_state === from));
    for (const [state, from] of [
      ["COMPLETED"],
      ["CANCELLED"],
      ["BLOCKED"],
      ["IN_PROGRESS", "FAILED"],
    ] as const) {
      expect(seen(state, from), `${from ?? "*"} → ${state}`).toBe(true);
    }
    expect(await rollupDifferences()).toEqual([]);
    await expectFiguresMatchRaw();

    // more hours of work, then compaction: still equal, one row per key
    await runWorkload(41, 140);
    expect(await rollupDifferences()).toEqual([]);
    await compactRollups(h.ctx);
    expect(await rollupDifferences()).toEqual([]);
    const [dup] = await h.ctx.prisma.$queryRawUnsafe<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM (SELECT 1 FROM task_rollups_hourly GROUP BY grain, key, hour, cycle_bucket HAVING count(*) > 1) d`,
    );
    expect(dup?.n).toBe(0);
    await expectFiguresMatchRaw();

    // weeks of sparser work (steps up to 6 h apart), compactions along the way: windows with
    // whole days and blocks of days between mid-day edges, read while some deltas are unfolded
    await runWorkload(77, 150, 360);
    const cover = rollupCover(new Date(h.clock.now().getTime() - 14 * 24 * HOUR), h.clock.now(), "blocks");
    expect(
      Math.max(...cover.blocks.map((b) => b.level)),
      "the windows reach blocks of several days",
    ).toBeGreaterThan(1);
    const [unfolded] = await h.ctx.prisma.$queryRawUnsafe<{ n: number }[]>(
      "SELECT count(*)::int AS n FROM task_rollups_hourly WHERE NOT compacted",
    );
    expect(unfolded?.n, "deltas not folded yet at the check").toBeGreaterThan(0);
    expect(await rollupDifferences()).toEqual([]);
    await expectFiguresMatchRaw();
    await compactRollups(h.ctx);
    expect(await rollupDifferences()).toEqual([]);
    await expectFiguresMatchRaw();
  });

  it("stay equal under concurrent commits in the same queue and hour (append-only deltas, no shared row lock)", async () => {
    const tasks = await Promise.all(
      Array.from({ length: 16 }, (_, i) => newTask(h.ctx, { queue: { name: i % 2 ? "normal" : "urgent" } })),
    );
    await Promise.all(
      tasks.map((t) => transitionTask(h.ctx, t.id, "CANCELLED", ADMIN, { reason: "parallel" })),
    );
    expect(await rollupDifferences()).toEqual([]);
  });

  it("leave the hot path a note only; a reader brings them up to date first, once however many read", async () => {
    const task = await newTask(h.ctx, { queue: { name: "urgent" } });
    await transitionTask(h.ctx, task.id, "CANCELLED", ADMIN, { reason: "noted, not counted yet" });
    const pending = () => h.ctx.prisma.taskRollupPending.count({ where: { taskId: task.id } });
    expect(await pending()).toBeGreaterThan(0);
    const state = () => h.ctx.prisma.taskRollupState.findUnique({ where: { taskId: task.id } });
    expect(await state()).toBeNull(); // nothing computed in the writing transaction
    // Three readers at once: each catches up first; the task is counted once.
    const window = { from: new Date(h.clock.now().getTime() - HOUR), to: h.clock.now() };
    await Promise.all([
      collectMetrics(h.ctx, window),
      collectMetrics(h.ctx, window),
      generateReport(h.ctx, { ...window, groupBy: "queue" }),
    ]);
    expect(await pending()).toBe(0);
    expect(await state()).not.toBeNull();
    expect(await rollupDifferences()).toEqual([]);
  });

  it("takes a deleted task out, and empties with the tasks", async () => {
    // Its own finished task with history (the file's tests run in any order).
    const task = await newTask(h.ctx, { queue: { name: "normal" } });
    await transitionTask(h.ctx, task.id, "CANCELLED", ADMIN, { reason: "to be deleted" });
    expect(await rollupDifferences()).toEqual([]);
    expect(await h.ctx.prisma.taskRollupHourly.count()).toBeGreaterThan(0);
    await h.ctx.prisma.task.delete({ where: { id: task.id } });
    expect(await rollupDifferences()).toEqual([]);
    // Deleted while its last change was still pending.
    const pendingOne = await newTask(h.ctx, { queue: { name: "normal" } });
    await transitionTask(h.ctx, pendingOne.id, "CANCELLED", ADMIN, { reason: "deleted before a catch-up" });
    await h.ctx.prisma.task.delete({ where: { id: pendingOne.id } });
    expect(await rollupDifferences()).toEqual([]);
    await newTask(h.ctx, { queue: { name: "normal" } }); // pending at the truncate
    await h.ctx.prisma.$executeRawUnsafe("TRUNCATE tasks, task_state_history CASCADE");
    expect(await h.ctx.prisma.taskRollupHourly.count()).toBe(0);
    expect(await h.ctx.prisma.taskRollupBlock.count()).toBe(0);
    expect(await h.ctx.prisma.taskRollupPending.count()).toBe(0);
  });
});

describe("histogramPercentile", () => {
  it("places percentile_cont's ranks in the buckets' middles", () => {
    expect(histogramPercentile(new Map(), 0.5)).toBeNull();
    // 10 values in the bucket of 100 s: its middle
    const b = 1 + Math.floor(8 * Math.log2(100));
    const mid = 2 ** ((b - 0.5) / 8);
    expect(histogramPercentile(new Map([[b, 10]]), 0.5)).toBeCloseTo(mid, 6);
    expect(Math.abs(mid - 100) / 100).toBeLessThan(0.044);
    // two values: the median is halfway between their buckets' middles
    const b2 = b + 16;
    expect(
      histogramPercentile(
        new Map([
          [b, 1],
          [b2, 1],
        ]),
        0.5,
      ),
    ).toBeCloseTo((mid + 2 ** ((b2 - 0.5) / 8)) / 2, 6);
    expect(histogramPercentile(new Map([[0, 3]]), 0.9)).toBe(0.5);
  });
});
