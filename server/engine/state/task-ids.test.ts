import { describe, expect, it } from "vitest";
import { createTask } from "../queue/create-task";
import { formatTaskId } from "./task-ids";
import { SYSTEM, setupEngine, taskInput } from "./test-support";

const h = setupEngine({ poolSize: 10 });

describe("task ids", () => {
  it("formats TASK-YYYY-NNNNNN", () => {
    expect(formatTaskId(2024, 1234)).toBe("TASK-2024-001234");
  });

  it("gives 50 parallel creations 50 distinct sequential ids", async () => {
    const tasks = await Promise.all(Array.from({ length: 50 }, () => createTask(h.ctx, taskInput(), SYSTEM)));
    const ids = tasks.map((t) => t.id).sort();
    expect(new Set(ids).size).toBe(50);
    expect(ids).toEqual(Array.from({ length: 50 }, (_, i) => formatTaskId(2026, i + 1)));
  });

  it("restarts the sequence each year and never reuses a number", async () => {
    h.clock.set("2027-01-01T00:00:01Z");
    const first = await createTask(h.ctx, taskInput(), SYSTEM);
    expect(first.id).toBe("TASK-2027-000001");
    h.clock.set("2026-12-31T23:59:59Z");
    expect((await createTask(h.ctx, taskInput(), SYSTEM)).id).toBe("TASK-2026-000051");
    // A failed creation rolls its number back with it, so no id is ever burnt or shared.
    await expect(
      createTask(h.ctx, taskInput({ dependencies: { blocked_by: ["TASK-2026-999999"] } }), SYSTEM),
    ).rejects.toThrow();
    expect((await createTask(h.ctx, taskInput(), SYSTEM)).id).toBe("TASK-2026-000052");
  });
});
