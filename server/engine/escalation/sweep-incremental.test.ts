import pg from "pg";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { EngineContext } from "../context";
import { scheduleTask, startTask } from "../state/lifecycle";
import { setupLoggedPrisma } from "../state/logged-prisma";
import { EXECUTOR, newTask, SYSTEM, setupEngine } from "../state/test-support";
import { RECHECK_MS } from "./sweep-changes";
import { runEscalationSweeps, type SweepOptions } from "./sweeps";
import { escalationsOf, resetTables, standingEscalation } from "./test-helpers";

// A sweep pass costs what changed since the last one (sweep-changes.ts), plus a rolling slice of
// everything: told by the statements it sends, not by time. The forecast's statement names the
// queues it reads; the SLA clock refresh names the tasks, or walks the live clocks by a slice.

const h = setupEngine();
const MINUTE = 60_000;
const logged = setupLoggedPrisma(h);
const { sent } = logged;
let ctx: EngineContext;

beforeAll(() => {
  ctx = { prisma: logged.prisma, clock: h.clock };
});

beforeEach(async () => {
  await resetTables(h.ctx);
});

/**
 * One pass, and the queues its forecast read, the task ids its clock refresh named and the size
 * of the slices its rolling walk over every live clock asked for.
 */
async function pass(options: SweepOptions = {}) {
  sent.length = 0;
  const result = await runEscalationSweeps(ctx, options);
  const forecastQueues = sent
    .filter((s) => s.query.includes("/* forecast rows */"))
    .flatMap((s) => s.params[0] as string[])
    .sort();
  const refreshes = sent.filter((s) => s.query.includes('q.sla_minutes AS "slaMinutes"'));
  return {
    result,
    forecastQueues,
    refreshedIds: refreshes.flatMap((s) => (s.params[0] as string[] | null) ?? []).sort(),
    walkSlices: refreshes.filter((s) => s.params[0] === null).map((s) => Number(s.params[3])),
  };
}

const task = (queue: "critical" | "urgent", hours: number) =>
  newTask(h.ctx, { queue: { name: queue }, execution: { estimated_duration_hours: hours } });

describe("an incremental sweep pass", () => {
  it("forecasts again only the queue that changed, and still raises the imminent SLA there", async () => {
    const other = await task("urgent", 0.25); // 2 h SLA: within the hour 65 min later
    h.clock.advance(65 * MINUTE);
    const atRisk = await task("critical", 0.25); // 1 h SLA, a free slot: makes it for now

    // The process's first pass knows nothing of earlier ones: it reads the last 10 min of
    // changes (the critical task's), not every queue, and forecasts its candidates' queues.
    const first = await pass();
    expect(first.result.raised).toBe(0);
    expect(first.forecastQueues).toEqual(["critical", "urgent"]);
    expect(first.refreshedIds).toEqual([atRisk.id]);

    h.clock.advance(MINUTE);
    const quiet = await pass();
    expect(quiet.result).toMatchObject({ raised: 0, skipped: false });
    expect(quiet.forecastQueues).toEqual([]);
    expect(quiet.refreshedIds).toEqual([]);
    expect(quiet.walkSlices).toEqual([50]);

    // Three long tasks take the critical queue's three slots: the waiting one will now miss.
    const ahead = [await task("critical", 2), await task("critical", 2), await task("critical", 2)];
    for (const t of ahead) {
      await scheduleTask(h.ctx, t.id, SYSTEM);
      await startTask(h.ctx, t.id, EXECUTOR);
    }
    h.clock.advance(MINUTE);
    const changed = await pass();
    expect(changed.forecastQueues).toEqual(["critical"]);
    expect(changed.refreshedIds).toEqual(ahead.map((t) => t.id).sort());
    expect(await escalationsOf(h.ctx, atRisk.id, "sla_breach_imminent")).toHaveLength(1);
    expect(await escalationsOf(h.ctx, other.id)).toEqual([]);
  });

  it("sees a change that wrote no event once its queue's forecast is RECHECK_MS old", async () => {
    const waiting = await task("urgent", 0.25);
    h.clock.advance(65 * MINUTE);
    expect((await pass()).result.raised).toBe(0);
    // Behind the engine's back: no event, so no pass knows before the forecast is too old to trust.
    await h.ctx.prisma.$executeRaw`UPDATE queues SET capacity = 0 WHERE name = 'urgent'`;
    try {
      h.clock.advance(MINUTE);
      const quiet = await pass();
      expect(quiet.forecastQueues).toEqual([]);
      h.clock.advance(RECHECK_MS);
      const recheck = await pass();
      expect(recheck.forecastQueues).toEqual(["urgent"]);
      expect(await escalationsOf(h.ctx, waiting.id, "sla_breach_imminent")).toHaveLength(1);
    } finally {
      await h.ctx.prisma.$executeRaw`UPDATE queues SET capacity = 5 WHERE name = 'urgent'`;
    }
  });

  it("resolves, one slice a pass, the escalations whose cause went away without an event", async () => {
    const standing = [
      await standingEscalation(h.ctx),
      await standingEscalation(h.ctx),
      await standingEscalation(h.ctx),
    ];
    await pass();
    // Behind the engine's back: no event, so only the rolling check can know.
    const taskIds = standing.map((e) => e.taskId);
    await h.ctx.prisma.$executeRaw`UPDATE tasks SET state = 'CANCELLED' WHERE id = ANY(${taskIds}::text[])`;
    const closed: number[] = [];
    for (let i = 0; i < 3; i++) {
      h.clock.advance(MINUTE);
      closed.push((await pass({ rollingSlice: 1 })).result.closed);
    }
    expect(closed).toEqual([1, 1, 1]);
    const left = await h.ctx.prisma.escalation.count({ where: { taskId: { in: taskIds }, status: "OPEN" } });
    expect(left).toBe(0);
  });

  it("escalates a deadline it skipped while the task was locked once every past deadline is looked at again", async () => {
    const late = await task("critical", 0.25); // 1 h SLA
    await pass();
    h.clock.advance(61 * MINUTE);
    // The deadline passes while another transaction holds the task's row: two passes skip it
    // (a pass also reads the deadlines passed since the pass before last: one of overlap).
    const holder = new pg.Client({ connectionString: h.db.url });
    await holder.connect();
    try {
      await holder.query("BEGIN");
      await holder.query("SELECT id FROM tasks WHERE id = $1 FOR UPDATE", [late.id]);
      await pass();
      h.clock.advance(MINUTE);
      await pass();
      await holder.query("COMMIT");
    } finally {
      await holder.end();
    }
    // Passed before the pass before last, and the task unchanged: not among what a pass reads.
    h.clock.advance(MINUTE);
    await pass();
    expect(await escalationsOf(h.ctx, late.id, "sla_breached")).toEqual([]);
    h.clock.advance(RECHECK_MS);
    await pass();
    expect(await escalationsOf(h.ctx, late.id, "sla_breached")).toHaveLength(1);
  });
});
