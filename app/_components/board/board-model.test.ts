import { describe, expect, it } from "vitest";
import type { BoardCard } from "@/lib/board";
import { buildColumns, distinctValues, matchesFilters } from "./board-model";

const card = (over: Partial<BoardCard>): BoardCard => ({
  id: "TASK-2026-000001",
  title: "Brief analysis",
  state: "QUEUED",
  queue: "normal",
  position: 0,
  priorityScore: 50,
  slaDeadline: null,
  progressPercent: 0,
  assignedTo: null,
  skillTarget: "frontend",
  clientName: "Acme",
  blockerReason: null,
  waitingOn: 0,
  escalationUrgency: null,
  intakeId: null,
  projectType: null,
  version: 1,
  updatedAt: "2026-01-01T00:00:00.000Z",
  ...over,
});

describe("matchesFilters", () => {
  it("keeps cards matching every filter, text in id, title, client, skill or assignee", () => {
    const c = card({ assignedTo: "marie" });
    expect(matchesFilters(c, {})).toBe(true);
    expect(matchesFilters(c, { queue: "normal", skill: "frontend", client: "Acme" })).toBe(true);
    expect(matchesFilters(c, { queue: "urgent" })).toBe(false);
    expect(matchesFilters(c, { q: "BRIEF" })).toBe(true);
    expect(matchesFilters(c, { q: "marie" })).toBe(true);
    expect(matchesFilters(c, { q: "000001" })).toBe(true);
    expect(matchesFilters(c, { q: "nothing" })).toBe(false);
  });

  it("finds a client's request by its intake id and its project, and filters by intake", () => {
    const c = card({ intakeId: "INK-2026-000001", projectType: "ecommerce" });
    expect(matchesFilters(c, { q: "ink-2026-000001" })).toBe(true);
    expect(matchesFilters(c, { q: "ecommerce" })).toBe(true);
    expect(matchesFilters(c, { intake: "INK-2026-000001" })).toBe(true);
    expect(matchesFilters(c, { intake: "INK-2026-000002" })).toBe(false);
    expect(matchesFilters(card({}), { intake: "INK-2026-000001" })).toBe(false);
  });
});

describe("buildColumns", () => {
  it("orders waiting cards by queue then position, the others most recent first", () => {
    const columns = buildColumns(
      [
        card({ id: "A", queue: "normal", position: 1 }),
        card({ id: "B", queue: "urgent", position: 0 }),
        card({ id: "C", queue: "normal", position: 0 }),
        card({ id: "D", state: "COMPLETED", updatedAt: "2026-01-01T00:00:00.000Z" }),
        card({ id: "E", state: "COMPLETED", updatedAt: "2026-01-02T00:00:00.000Z" }),
      ],
      {},
    );
    expect(columns.get("QUEUED")?.map((c) => c.id)).toEqual(["B", "C", "A"]);
    expect(columns.get("COMPLETED")?.map((c) => c.id)).toEqual(["E", "D"]);
    expect(columns.get("BLOCKED")).toEqual([]);
  });
});

describe("distinctValues", () => {
  it("lists each value once, sorted, without empties", () => {
    const cards = [
      card({ clientName: "b" }),
      card({ clientName: null }),
      card({ clientName: "a" }),
      card({}),
    ];
    expect(distinctValues(cards, (c) => c.clientName)).toEqual(["a", "Acme", "b"]);
  });

  it("adds the server's values (every live task's) to the loaded cards'", () => {
    const cards = [card({ clientName: "b" })];
    expect(distinctValues(cards, (c) => c.clientName, ["z", "b", "c"])).toEqual(["b", "c", "z"]);
  });
});
