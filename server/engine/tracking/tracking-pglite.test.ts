import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Database, openDatabase } from "@/server/db/client";
import { ensureReferenceData } from "@/server/db/reference-data";
import { FakeClock } from "../clock";
import type { EngineContext } from "../context";
import { queryAudit } from "./audit-query";
import { collectMetrics } from "./metrics-collector";
import { createEngineCounters, createPrometheusRegistry } from "./prometheus";
import { generateReport } from "./report-generator";

// The tracking reads on embedded PGlite (the default database without DATABASE_URL): the same
// SQL must run there. One retried task is enough to see every part answer.

describe("tracking on embedded PGlite", () => {
  let db: Database;
  let ctx: EngineContext;

  beforeAll(async () => {
    db = await openDatabase({ dataDir: "memory://" });
    await ensureReferenceData(db.prisma);
    ctx = { prisma: db.prisma, clock: new FakeClock("2026-03-03T00:00:00Z") };
    const at = (hour: number) => new Date(Date.UTC(2026, 2, 2, hour));
    const states = [
      "CREATED",
      "QUEUED",
      "SCHEDULED",
      "IN_PROGRESS",
      "FAILED",
      "IN_PROGRESS",
      "COMPLETED",
    ] as const;
    const hours = [8, 8, 9, 9, 10, 11, 13];
    await db.prisma.task.create({
      data: {
        id: "TASK-2026-000001",
        createdAt: at(8),
        title: "On PGlite",
        state: "COMPLETED",
        stateChangedAt: at(13),
        queueName: "high_priority",
        queueEnteredAt: at(8),
        slaDeadline: at(16),
        clientName: "Acme",
        updatedAt: at(13),
        updatedBy: "test",
        version: states.length,
      },
    });
    await db.prisma.taskStateHistory.createMany({
      data: states.map((state, i) => ({
        taskId: "TASK-2026-000001",
        state,
        fromState: i === 0 ? null : states[i - 1]!,
        at: at(hours[i]!),
        actor: "test",
        version: i + 1,
      })),
    });
    await db.prisma.auditLog.create({ data: { at: at(13), actor: "test", action: "task.transitioned" } });
  }, 60_000);

  afterAll(() => db?.close());

  it("computes the KPIs, a report, the audit page and the Prometheus text", async () => {
    const window = { from: new Date("2026-03-02T00:00:00Z"), to: new Date("2026-03-03T00:00:00Z") };
    const metrics = await collectMetrics(ctx, window);
    expect(metrics.overall.queueTime.value).toBe(3600);
    expect(metrics.overall.cycleTime.value).toBe(5 * 3600);
    // from the histogram: within 4.4 %
    expect(Math.abs((metrics.overall.cycleTime.p50 ?? 0) - 5 * 3600)).toBeLessThanOrEqual(0.044 * 5 * 3600);
    expect(metrics.overall.retryRate).toMatchObject({ value: 100, sample: 1 });
    expect(metrics.series).toHaveLength(1);

    const report = await generateReport(ctx, { ...window, groupBy: "client" });
    expect(report.rows).toMatchObject([{ group: "Acme", tasks: 1, completed: 1, failed: 1 }]);

    expect((await queryAudit(ctx, { limit: 1 })).entries).toHaveLength(1);

    const text = await createPrometheusRegistry(ctx, { counters: createEngineCounters() }).metrics();
    expect(text).toContain('orchestrator_tasks{queue="high_priority",state="COMPLETED"} 1');
    expect(text).toContain('orchestrator_kpi_sla_compliance_ratio{queue="all"} 1');
  });
});
