import { describe, expect, it } from "vitest";
import { loadSeedTask } from "../engine/format/seed-format";
import { createTask } from "../engine/queue/create-task";
import { setupEngine } from "../engine/state/test-support";
import { collectMetrics } from "../engine/tracking/metrics-collector";
import { HISTORY_ACTOR, seedDemoHistory } from "./demo-history";

const DAY_MS = 86_400_000;

describe("seedDemoHistory", () => {
  const engine = setupEngine();

  it("writes a month of finished work the metrics read day by day, once, with ids from the counters", async () => {
    const now = engine.ctx.clock.now();
    const written = await seedDemoHistory(engine.ctx, now);
    expect(written).toBeGreaterThan(500);
    expect(await seedDemoHistory(engine.ctx, now)).toBe(0);

    const metrics = await collectMetrics(engine.ctx, {
      from: new Date(now.getTime() - 30 * DAY_MS),
      to: now,
    });
    const daysWithWork = metrics.series.filter((point) => point.completed > 0).length;
    expect(daysWithWork).toBeGreaterThanOrEqual(25);
    expect(metrics.overall.throughput.completed).toBeGreaterThan(400);
    const sla = metrics.overall.slaCompliance.value!;
    expect(sla).toBeGreaterThan(70);
    expect(sla).toBeLessThan(100);
    // Nothing of the past waits on anyone (no open task, so no escalation from the history);
    // some failed once and completed on their retry, so the retry rate is not empty.
    const open = await engine.ctx.prisma.task.count({
      where: { updatedBy: HISTORY_ACTOR, state: { notIn: ["COMPLETED", "CANCELLED"] } },
    });
    expect(open).toBe(0);
    expect(metrics.overall.retryRate.sample).toBeGreaterThan(0);

    // Each history task reads as a whole task in the seed format, with its state history.
    const [one] = await engine.ctx.prisma.task.findMany({ where: { state: "COMPLETED" }, take: 1 });
    const task = await loadSeedTask(engine.ctx.prisma, one!.id);
    expect(task?.state.history.map((h) => h.state)).toEqual([
      "CREATED",
      "QUEUED",
      "IN_PROGRESS",
      "COMPLETED",
    ]);

    // A task created afterwards gets the next free id: the history reserved its numbers.
    const next = await createTask(
      engine.ctx,
      { definition: { title: "After the history" } },
      { id: "t", role: "system" },
    );
    expect(await engine.ctx.prisma.task.count({ where: { id: next.id } })).toBe(1);
    expect(next.id > one!.id || next.id.slice(5, 9) !== one!.id.slice(5, 9)).toBe(true);
  });
});
