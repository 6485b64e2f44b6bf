import { describe, expect, it } from "vitest";
import { createTask } from "../queue/create-task";
import { formatTaskId } from "./task-ids";
import { SYSTEM, setupEngine, taskInput } from "./test-support";

const h = setupEngine({ poolSize: 10 });

describe("task ids", () => {
  it("formats TASK-YYYY-NNNNNN", () => {
    expect(formatTaskId(2024, 1234)).toBe("TASK-2024-001234");
  });

  /** The last number given in `year` so far (other tests of the file create tasks too). */
  const lastNumber = async (year: number) =>
    (
      await h.ctx.prisma.task.findMany({
        where: { id: { startsWith: `TASK-${year}-` } },
        select: { id: true },
      })
    )
      .map((t) => Number(t.id.slice(-6)))
      .reduce((a, b) => Math.max(a, b), 0);

  it("gives 50 parallel creations 50 distinct sequential ids", async () => {
    h.clock.set("2026-03-02T09:00:00Z");
    const before = await lastNumber(2026);
    const tasks = await Promise.all(Array.from({ length: 50 }, () => createTask(h.ctx, taskInput(), SYSTEM)));
    const ids = tasks.map((t) => t.id).sort();
    expect(new Set(ids).size).toBe(50);
    expect(ids).toEqual(Array.from({ length: 50 }, (_, i) => formatTaskId(2026, before + i + 1)));
  });

  it("restarts the sequence each year and never reuses a number", async () => {
    // Years of its own: 2030 has a number given, then 2031 starts at 1, then 2030 goes on.
    h.clock.set("2030-12-31T23:59:58Z");
    expect((await createTask(h.ctx, taskInput(), SYSTEM)).id).toBe("TASK-2030-000001");
    h.clock.set("2031-01-01T00:00:01Z");
    expect((await createTask(h.ctx, taskInput(), SYSTEM)).id).toBe("TASK-2031-000001");
    h.clock.set("2030-12-31T23:59:59Z");
    expect((await createTask(h.ctx, taskInput(), SYSTEM)).id).toBe("TASK-2030-000002");
    // A failed creation rolls its number back with it, so no id is ever burnt or shared.
    await expect(
      createTask(h.ctx, taskInput({ dependencies: { blocked_by: ["TASK-2026-999999"] } }), SYSTEM),
    ).rejects.toThrow();
    expect((await createTask(h.ctx, taskInput(), SYSTEM)).id).toBe("TASK-2030-000003");
  });
});
