import { beforeEach, describe, expect, it } from "vitest";
import { runEscalationSweeps } from "../escalation/sweeps";
import { resetTables } from "../escalation/test-helpers";
import { completeTask, scheduleTask, startTask } from "../state/lifecycle";
import { EXECUTOR, newTask, SYSTEM, setupEngine } from "../state/test-support";
import { inTransaction } from "../state/transaction";
import { forecastAccuracy } from "./forecast-record";
import { breachForecasts } from "./queue-forecast";

// Forecasts are stored and checked against what happened (issue 11, item 2).

const h = setupEngine();
const MINUTE = 60_000;

beforeEach(async () => {
  await resetTables(h.ctx);
  await h.ctx.prisma.taskForecast.deleteMany();
});

describe("forecast accuracy", () => {
  it("keeps the first forecast of each task and reports the median absolute error in minutes", async () => {
    const start = h.clock.now();
    const a = await newTask(h.ctx, { queue: { name: "normal" }, execution: { estimated_duration_hours: 1 } });
    const b = await newTask(h.ctx, { queue: { name: "normal" }, execution: { estimated_duration_hours: 2 } });
    await runEscalationSweeps(h.ctx);
    const stored = await h.ctx.prisma.taskForecast.findMany({ orderBy: { taskId: "asc" } });
    expect(stored.map((f) => [f.taskId, f.stateAt, f.predictedFinish.getTime() - start.getTime()])).toEqual([
      [a.id, "QUEUED", 60 * MINUTE],
      [b.id, "QUEUED", 120 * MINUTE],
    ]);
    for (const t of [a, b]) {
      await scheduleTask(h.ctx, t.id, SYSTEM);
      await startTask(h.ctx, t.id, EXECUTOR);
    }
    h.clock.advance(80 * MINUTE); // a: 20 min late
    await completeTask(h.ctx, a.id, EXECUTOR);
    await runEscalationSweeps(h.ctx); // a later forecast does not replace the first
    h.clock.advance(30 * MINUTE); // b: 10 min early
    await completeTask(h.ctx, b.id, EXECUTOR);
    const window = { from: start, to: h.clock.now() };
    const later = await h.ctx.prisma.taskForecast.findUniqueOrThrow({ where: { taskId: b.id } });
    expect(later.forecastAt).toEqual(start);
    expect(
      await forecastAccuracy(h.ctx.prisma, { ...window, to: new Date(window.to.getTime() + 1) }),
    ).toEqual({
      median_abs_error_minutes: 15,
      samples: 2,
    });
  });

  it("lists per queue the tasks forecast to breach", async () => {
    const late = await newTask(h.ctx, {
      queue: { name: "critical" },
      execution: { estimated_duration_hours: 3 },
    });
    await newTask(h.ctx, { queue: { name: "critical" }, execution: { estimated_duration_hours: 0.2 } });
    const map = await inTransaction(h.ctx, (tx, at) => breachForecasts(tx, at, ["critical", "normal"]));
    expect(map.get("critical")?.map((b) => b.task_id)).toEqual([late.id]);
    expect(map.get("normal")).toEqual([]);
  });
});
