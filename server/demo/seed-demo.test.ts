import { describe, expect, it } from "vitest";
import { loadSeedTasks } from "../engine/format/seed-format";
import { listTaskIds } from "../engine/presenters/task-list";
import { setupEngine } from "../engine/state/test-support";
import { DEMO_CONFLICT_INTAKE } from "./demo-conflict";
import { WORKED_EXAMPLE_INTAKE } from "./demo-tasks";
import { seedDemoData } from "./seed-demo";

describe("seedDemoData", () => {
  const engine = setupEngine();

  it("loads the seed's worked example and realistic tasks across queues, once", async () => {
    const created = await seedDemoData(engine.ctx);
    expect(created).toBeGreaterThanOrEqual(20);
    expect(await seedDemoData(engine.ctx)).toBe(0);
    expect(await engine.ctx.prisma.task.count()).toBe(created);

    const ids = (
      await engine.ctx.prisma.task.findMany({
        where: { intakeId: WORKED_EXAMPLE_INTAKE },
        orderBy: { id: "asc" },
      })
    ).map((t) => t.id);
    const [brief, scoping, architecture] = await loadSeedTasks(engine.ctx.prisma, ids);
    expect(brief?.definition).toMatchObject({
      title: "Brief analysis",
      skill_target: "project-management",
      entry_point: "avant-projet/brief-analysis",
    });
    expect(brief?.queue.name).toBe("high_priority");
    expect(scoping?.dependencies.blocked_by).toEqual([brief?.id]);
    expect(architecture?.dependencies.blocked_by).toEqual([scoping?.id]);

    // The board and the command bar find the client's request by its words (issue 12).
    expect((await listTaskIds(engine.ctx.prisma, { q: "Refonte", limit: 200 })).ids).toEqual(
      expect.arrayContaining(ids),
    );
    expect((await listTaskIds(engine.ctx.prisma, { q: "site e-commerce" })).ids.sort()).toEqual(ids);

    // A person has something to decide from the first minute, whatever the simulator does.
    const open = await engine.ctx.prisma.escalation.findMany({ where: { status: { not: "RESOLVED" } } });
    expect(open.map((e) => e.reason)).toEqual(["dependency_conflict"]);
    const dependent = await engine.ctx.prisma.task.findUniqueOrThrow({ where: { id: open[0]!.taskId } });
    expect(dependent).toMatchObject({ intakeId: DEMO_CONFLICT_INTAKE, state: "QUEUED" });

    const queues = await engine.ctx.prisma.task.groupBy({ by: ["queueName"], _count: true });
    expect(queues.length).toBeGreaterThanOrEqual(6);
  });
});
