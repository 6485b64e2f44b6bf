import { describe, expect, it } from "vitest";
import type { WaitingTaskView } from "../data/types";
import { moveAcross, moveWithin, neighbourOf } from "./queue-order";

const task = (id: string, position: number): WaitingTaskView => ({
  id,
  title: id,
  position,
  priority_score: 50,
  entered_at: "2026-01-01T00:00:00.000Z",
  sla_deadline: null,
  blockers_done: true,
  version: 1,
});
const list = ["A", "B", "C"].map(task);

describe("moveWithin", () => {
  it("moves a task to the top and renumbers", () => {
    expect(moveWithin(list, 2, 0).map((t) => [t.id, t.position])).toEqual([
      ["C", 0],
      ["A", 1],
      ["B", 2],
    ]);
  });
});

describe("neighbourOf", () => {
  it("names the next task when first, else the previous one", () => {
    const moved = moveWithin(list, 2, 0);
    expect(neighbourOf(moved, 0)).toEqual({ before: "A" });
    expect(neighbourOf(moved, 2)).toEqual({ after: "A" });
    expect(neighbourOf([task("A", 0)], 0)).toBeNull();
  });
});

describe("moveAcross", () => {
  it("takes the task out of one list and puts it at the index of the other", () => {
    const { source, target } = moveAcross(list, [task("X", 0)], "B", 0);
    expect(source.map((t) => [t.id, t.position])).toEqual([
      ["A", 0],
      ["C", 1],
    ]);
    expect(target.map((t) => [t.id, t.position])).toEqual([
      ["B", 0],
      ["X", 1],
    ]);
  });
});
