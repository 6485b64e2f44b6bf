import { describe, expect, it } from "vitest";
import type { SeedTask } from "@/lib/seed-format";
import { collectNeighbourhood, edgesOf, layoutGraph, NODE_WIDTH, recentActiveIntakes } from "./graph-model";

function task(id: string, blockedBy: string[] = [], blocks: string[] = [], state = "QUEUED"): SeedTask {
  return {
    id,
    state: { current: state },
    dependencies: { blocked_by: blockedBy, blocks, parent_task: null, subtasks: [] },
  } as unknown as SeedTask;
}

describe("edgesOf", () => {
  it("draws blocker → dependent edges between shown tasks only", () => {
    const edges = edgesOf([task("A", [], ["B"], "COMPLETED"), task("B", ["A", "X"])]);
    expect(edges).toEqual([{ id: "A->B", source: "A", target: "B", satisfied: true }]);
  });
});

describe("layoutGraph", () => {
  it("puts a blocker left of what it blocks", () => {
    const { positions } = layoutGraph([task("A", [], ["B"]), task("B", ["A"])]);
    expect(positions.get("A")!.x + NODE_WIDTH).toBeLessThan(positions.get("B")!.x);
  });
});

describe("collectNeighbourhood", () => {
  it("walks blockers and dependents up to the depth", async () => {
    const all = new Map(
      [task("A", [], ["B"]), task("B", ["A"], ["C"]), task("C", ["B"], ["D"]), task("D", ["C"])].map((t) => [
        t.id,
        t,
      ]),
    );
    const found = await collectNeighbourhood("A", async (id) => all.get(id)!, 2);
    expect(found.map((t) => t.id).sort()).toEqual(["A", "B", "C"]);
  });
});

describe("recentActiveIntakes", () => {
  const card = (intakeId: string | null, state: string, updatedAt: string) =>
    ({ intakeId, state, updatedAt }) as unknown as import("@/lib/board").BoardCard;

  it("lists the intakes with open work, the most recently active first", () => {
    const cards = [
      card("INK-A", "QUEUED", "2026-12-01T10:00:00Z"),
      card("INK-B", "IN_PROGRESS", "2026-12-01T12:00:00Z"),
      card("INK-A", "BLOCKED", "2026-12-01T13:00:00Z"),
      card("INK-C", "COMPLETED", "2026-12-01T14:00:00Z"),
      card(null, "QUEUED", "2026-12-01T15:00:00Z"),
    ];
    expect(recentActiveIntakes(cards)).toEqual(["INK-A", "INK-B"]);
    expect(recentActiveIntakes(cards, 1)).toEqual(["INK-A"]);
  });
});
