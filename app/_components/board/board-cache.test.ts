import { describe, expect, it } from "vitest";
import type { BoardCard, BoardSnapshot } from "@/lib/board";
import { applyQueuePositions, upsertCard } from "./board-cache";

const card = (id: string, version: number, title = `t${version}`): BoardCard => ({
  id,
  title,
  state: "QUEUED",
  queue: "normal",
  position: 0,
  priorityScore: 50,
  slaDeadline: null,
  progressPercent: 0,
  assignedTo: null,
  skillTarget: "",
  clientName: null,
  blockerReason: null,
  waitingOn: 0,
  escalationUrgency: null,
  intakeId: null,
  projectType: null,
  version,
  updatedAt: "2026-01-01T00:00:00.000Z",
});

const snapshot = (...cards: BoardCard[]): BoardSnapshot => ({
  cards,
  serverTime: "2026-01-01T00:00:00.000Z",
});

describe("upsertCard", () => {
  it("adds an unknown card", () => {
    expect(upsertCard(snapshot(card("A", 1)), card("B", 2)).cards.map((c) => c.id)).toEqual(["A", "B"]);
  });

  it("replaces a card with a newer version", () => {
    expect(upsertCard(snapshot(card("A", 2)), card("A", 3, "new")).cards[0]?.title).toBe("new");
  });

  it("ignores a stale or repeated version", () => {
    const held = snapshot(card("A", 5, "current"));
    expect(upsertCard(held, card("A", 4, "stale"))).toBe(held);
    expect(upsertCard(held, card("A", 5, "again"))).toBe(held);
  });

  it("takes the same version when its escalation urgency changed (escalations do not bump versions)", () => {
    const held = snapshot(card("A", 5));
    const escalated = upsertCard(held, { ...card("A", 5), escalationUrgency: "high" });
    expect(escalated.cards[0]?.escalationUrgency).toBe("high");
    expect(upsertCard(escalated, { ...card("A", 4), escalationUrgency: null })).toBe(escalated);
  });
});

describe("applyQueuePositions", () => {
  it("takes the positions of the queue's waiting cards, leaving the others alone", () => {
    const a = { ...card("A", 1), position: 0 };
    const b = { ...card("B", 1), position: 1 };
    const other = { ...card("C", 1), queue: "urgent", position: 0 };
    const next = applyQueuePositions(snapshot(a, b, other), "normal", [
      { id: "B", position: 0 },
      { id: "A", position: 1 },
    ]);
    expect(next.cards.map((c) => [c.id, c.position])).toEqual([
      ["A", 1],
      ["B", 0],
      ["C", 0],
    ]);
  });

  it("returns the same snapshot when nothing moved", () => {
    const held = snapshot({ ...card("A", 1), position: 0 });
    expect(applyQueuePositions(held, "normal", [{ id: "A", position: 0 }])).toBe(held);
  });
});
